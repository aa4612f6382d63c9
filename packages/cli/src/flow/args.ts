// Flag parsing shared by the flow commands (prompt, status, post, rank, verify, export): the global connection flags
// plus each command's own, with node:util's parser so an unknown or misspelt flag is an error, not silently ignored.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliError } from '../errors.ts';

export const GLOBAL_OPTIONS = {
  rpc: { type: 'string' },
  graphql: { type: 'string' },
  deployments: { type: 'string' },
  account: { type: 'string' },
  'private-key': { type: 'string' },
  'block-range': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

export const GLOBAL_USAGE = `global options:
  --rpc URL            chain JSON-RPC (default: the deployments file's, else http://127.0.0.1:8545)
  --graphql URL        rollup node GraphQL reader (default: the deployments file's, else http://127.0.0.1:8080/graphql)
  --deployments FILE   contract addresses (default: the running node's /deployments.json, else
                       <repo>/.tt/devnet/deployments.json; a mismatch between the two is reported)
  --block-range N      blocks per eth_getLogs query (default 10000, or TT_BLOCK_RANGE; public RPCs cap it)
  --account N          devnet test account N of the standard test mnemonic (default 1; #0 is the node's)
  --private-key KEY    sign with this key instead; better, set TT_PRIVATE_KEY=KEY in the environment: a command
                       line is readable by every local user (ps, /proc/<pid>/cmdline), a process's environment is not
  --json               machine output: the last line of stdout is one JSON object`;

export type GlobalFlags = {
  rpc?: string;
  graphql?: string;
  deployments?: string;
  account?: string;
  'private-key'?: string;
  'block-range'?: string;
  json: boolean;
  help: boolean;
};

export interface Parsed<V> {
  values: V & GlobalFlags;
  positionals: string[];
}

/** Parses argv against the global options plus `options`; throws a usage error (exit 2) on anything unknown. */
export function parseCommandArgs<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
  usage: string,
): Parsed<ReturnType<typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>>['values']> {
  try {
    const { values, positionals } = parseArgs({
      args: argv,
      options: { ...GLOBAL_OPTIONS, ...options },
      allowPositionals: true,
      strict: true,
    });
    return { values: values as never, positionals };
  } catch (err) {
    throw new CliError(
      (err as Error).message,
      `usage: ${usage.split('\n')[0]}  (tt <command> --help for details)`,
      2,
    );
  }
}

export function parseIntegerFlag(
  name: string,
  text: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!/^-?\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new CliError(`--${name} must be a whole number from ${min} to ${max}, not '${text}'`, undefined, 2);
  }
  return n;
}

/** Reads a decimal like 0.8 into thousandths (800), the unit the contract and backend use, rejecting finer precision. */
export function parseMilli(
  name: string,
  text: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)(?:\.(\d{1,3}))?$/.exec(text.trim());
  const milli = m ? Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0')) : NaN;
  if (!m || milli < min || milli > max) {
    throw new CliError(
      `--${name} must be a number from ${min / 1000} to ${max / 1000} with at most 3 decimals, not '${text}'`,
      undefined,
      2,
    );
  }
  return milli;
}

export function conversationIdArg(positionals: string[], usage: string): bigint {
  const [text, ...extra] = positionals;
  if (!text || extra.length)
    throw new CliError('give exactly one conversation id', `usage: ${usage.split('\n')[0]}`, 2);
  if (!/^\d+$/.test(text))
    throw new CliError(
      `a conversation id is a whole number, not '${text}'`,
      'list them with `pnpm tt status`',
      2,
    );
  return BigInt(text);
}

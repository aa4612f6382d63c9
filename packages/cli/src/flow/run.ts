// The frame every flow command runs in: --help, flag parsing, the output mode, and the translation of the client's
// TtError (message + hint + code) and the engine's LlmError into the CLI's error; under --json the error is also the
// last stdout line.
import { TtError } from '@tt/client';
import { LlmError } from '@tt/llm';
import { CliError } from '../errors.ts';
import { GLOBAL_USAGE, parseCommandArgs, type GlobalFlags, type Parsed } from './args.ts';
import { createOutput, type Output } from './output.ts';
import type { ParseArgsConfig } from 'node:util';

export interface FlowSpec<O extends NonNullable<ParseArgsConfig['options']>> {
  /** First line: the synopsis; the rest: what it does and its own options. */
  usage: string;
  options: O;
}

export async function runFlow<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  spec: FlowSpec<O>,
  body: (
    args: Parsed<Record<string, unknown>> & { values: GlobalFlags },
    out: Output,
  ) => Promise<number | void>,
): Promise<number> {
  const args = parseCommandArgs(argv, spec.options, spec.usage);
  if (args.values.help) {
    process.stdout.write(`usage: ${spec.usage}\n\n${GLOBAL_USAGE}\n`);
    return 0;
  }
  const out = createOutput(args.values.json);
  try {
    return (await body(args as never, out)) ?? 0;
  } catch (err) {
    const cli = toCliError(err);
    if (out.json && cli) {
      const code = err instanceof TtError || err instanceof LlmError ? err.code : 'error';
      process.stdout.write(
        JSON.stringify({ error: { code, message: cli.message, hint: cli.hint ?? null } }) + '\n',
      );
    }
    throw cli ?? err;
  }
}

export function toCliError(err: unknown): CliError | null {
  if (err instanceof CliError) return err;
  if (err instanceof TtError) return new CliError(err.message, err.hint, err.code === 'bad-argument' ? 2 : 1);
  // The engine's errors say what to do in the message itself.
  if (err instanceof LlmError) return new CliError(err.message, undefined, 1);
  return null;
}

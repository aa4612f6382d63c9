// The file-driven entry of the backend bundle: `node backend.mjs --inputs <drive> --outputs <drive>` runs the
// unchanged backend over a list of rollup requests (a JSON array of /finish answers, exactly as a node hands them
// over) and writes what it emitted for each (formatResults). Inside the Cartesi machine the drives are raw flash
// drives, so the real emulator can run the real backend without the rollup device; on the host they are files.
import { ENGINE_VERSION } from '@tt/llm';
import { readConfig } from '../config.ts';
import { runRollupLoop, type Logger } from '../rollup/loop.ts';
import { startBackend } from '../start.ts';
import { BatchRollupClient, formatResults } from './client.ts';
import { readDrive, writeDrive } from './drive.ts';

export interface BatchArgs {
  inputs: string;
  outputs: string;
}

/** `--inputs X --outputs Y` → the batch mode; no --inputs → null (the normal rollup loop). */
export function batchArgs(argv: readonly string[]): BatchArgs | null {
  const at = (flag: string) => {
    const i = argv.indexOf(flag);
    return i === -1 ? undefined : argv[i + 1];
  };
  const inputs = at('--inputs');
  const outputs = at('--outputs');
  if (inputs === undefined && outputs === undefined) return null;
  if (!inputs || !outputs) throw new Error('batch mode needs both --inputs <drive> and --outputs <drive>');
  return { inputs, outputs };
}

export async function runBatch(
  args: BatchArgs,
  log: Logger,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  let requests: unknown;
  try {
    requests = JSON.parse(readDrive(args.inputs));
  } catch (e) {
    throw new Error(
      `--inputs ${args.inputs} does not hold a JSON array of rollup requests: ${(e as Error).message}`,
    );
  }
  if (!Array.isArray(requests))
    throw new Error(`--inputs ${args.inputs} does not hold a JSON array of rollup requests`);
  // the batch talks to no node: the URL is only there to satisfy the configuration's checks
  const config = readConfig({ ROLLUP_HTTP_SERVER_URL: 'http://127.0.0.1:5004', ...env });
  const stop = new AbortController();
  const client = new BatchRollupClient(requests, stop);
  const { backend, engine, hash } = await startBackend(config, client, log);
  log.info(
    `batch: ${requests.length} request(s), model ${config.modelName} ${hash}, engine ${ENGINE_VERSION} ${engine.backend}`,
  );
  await runRollupLoop(client, backend, { log, signal: stop.signal });
  writeDrive(args.outputs, formatResults(client.results));
  log.info(`batch: wrote ${client.results.length} result(s) to ${args.outputs}`);
}

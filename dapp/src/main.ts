// The backend process: read the configuration, load the model, then answer the rollup API forever.
// Bundled by scripts/build.mjs into dist/backend.mjs, which runs under plain `node` with the engine's .wasm files beside it.
import { checkModelPair, ENGINE_VERSION } from '@tt/llm';
import { useRiscv64WasmFlags } from '@tt/llm/v8-flags';
import { ConfigError, readConfig } from './config.ts';
import { RollupClient } from './rollup/client.ts';
import { describe, runRollupLoop, type Logger } from './rollup/loop.ts';
import { startBackend } from './start.ts';
import { batchArgs, runBatch } from './batch/main.ts';

const log: Logger = {
  info: (m) => console.log(`[tt-dapp] ${m}`),
  warn: (m) => console.warn(`[tt-dapp] warning: ${m}`),
  error: (m) => console.error(`[tt-dapp] error: ${m}`),
};

async function main(): Promise<void> {
  const config = readConfig();
  const client = new RollupClient(config.rollupUrl);
  const { backend, engine, hash, tokenizerPieces } = await startBackend(config, client, log);
  log.info(
    `model ${config.modelName} (${config.modelLicense}) ${hash}, ${JSON.stringify(engine.config)}, ` +
      `engine ${ENGINE_VERSION} ${engine.backend}; contract ${config.contract}; rollup API ${shownUrl(client.baseUrl)}`,
  );
  const pair = checkModelPair(engine.config, tokenizerPieces);
  if (pair.warning) log.warn(pair.warning);

  const stop = new AbortController();
  for (const sig of ['SIGTERM', 'SIGINT'] as const) {
    process.once(sig, () => {
      log.info(`${sig}: stopping after the current request`);
      stop.abort();
    });
  }
  // Last line of defence: the loop catches its handlers' errors, but a stray callback must not kill the process
  // (the node would turn its exit into a rollup exception and halt the application).
  process.on('uncaughtException', (err) => log.error(`uncaught exception, going on: ${describe(err, true)}`));
  process.on('unhandledRejection', (err) =>
    log.error(`unhandled rejection, going on: ${describe(err, true)}`),
  );

  await runRollupLoop(client, backend, { log, signal: stop.signal });
}

// `--inputs <drive> --outputs <drive>`: the file-driven batch mode (batch/main.ts), e.g. inside the Cartesi machine
useRiscv64WasmFlags(); // before any engine is compiled (see @tt/llm's v8-flags.ts)

const batch = (() => {
  try {
    return batchArgs(process.argv.slice(2));
  } catch (err) {
    log.error((err as Error).message);
    process.exit(2);
  }
})();

(batch ? runBatch(batch, log) : main()).then(
  () => process.exit(0),
  (err: unknown) => {
    log.error(err instanceof ConfigError ? err.message : `cannot start: ${describe(err, true)}`);
    process.exit(1);
  },
);

/**
 * The rollup API's address as it may be logged: its origin only. Its path can hold the secret that lets a process
 * answer inputs (the devnet's /host-runner/<secret>), and logs are read by more people than the backend's environment.
 */
function shownUrl(url: string): string {
  const u = new URL(url);
  return u.pathname.replace(/\/+$/, '') ? `${u.origin}/… (path not shown)` : u.origin;
}

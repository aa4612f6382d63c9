// The backend process: read the configuration, load the model, then answer the rollup API forever.
// Bundled by scripts/build.mjs into dist/backend.mjs, which runs under plain `node` with the engine's .wasm files beside it.
import { readFile } from 'node:fs/promises';
import { checkModelPair, countTokenizerPieces, ENGINE_VERSION, loadEngine, modelHash } from '@tt/llm';
import { Backend } from './backend.ts';
import { ConfigError, readConfig } from './config.ts';
import { RollupClient } from './rollup/client.ts';
import { describe, runRollupLoop, type Logger } from './rollup/loop.ts';
import { engineWasm } from './wasm.ts';

const log: Logger = {
  info: (m) => console.log(`[tt-dapp] ${m}`),
  warn: (m) => console.warn(`[tt-dapp] warning: ${m}`),
  error: (m) => console.error(`[tt-dapp] error: ${m}`),
};

async function main(): Promise<void> {
  const config = readConfig();
  const [checkpoint, tokenizer] = await Promise.all([
    readFile(config.checkpointPath),
    readFile(config.tokenizerPath),
  ]);
  const hash = await modelHash(checkpoint, tokenizer);
  const tokenizerPieces = countTokenizerPieces(tokenizer);
  const wasm = engineWasm();
  const client = new RollupClient(config.rollupUrl);
  const backend = new Backend({
    client,
    contract: config.contract,
    model: { name: config.modelName, license: config.modelLicense, hash },
    engineVersion: ENGINE_VERSION,
    tokenizerPieces,
    loadEngine: () => loadEngine({ checkpoint, tokenizer, backend: config.engineBackend, ...wasm }),
    log,
  });
  const engine = await backend.start();
  log.info(
    `model ${config.modelName} (${config.modelLicense}) ${hash}, ${JSON.stringify(engine.config)}, ` +
      `engine ${ENGINE_VERSION} ${engine.backend}; contract ${config.contract}; rollup API ${client.baseUrl}`,
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

main().then(
  () => process.exit(0),
  (err: unknown) => {
    log.error(err instanceof ConfigError ? err.message : `cannot start: ${describe(err, true)}`);
    process.exit(1);
  },
);

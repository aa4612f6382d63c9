// The backend as both entries start it (main.ts for a node's rollup API, batch/main.ts for a list of requests): the
// model files read, their hash taken, the engine loaded, so a missing or broken model stops the start-up.
import { readFile } from 'node:fs/promises';
import { countTokenizerPieces, ENGINE_VERSION, loadEngine, modelHash } from '@tt/llm';
import { Backend } from './backend.ts';
import type { BackendConfig } from './config.ts';
import type { BackendEngine } from './engine.ts';
import type { RollupClient } from './rollup/client.ts';
import type { Logger } from './rollup/loop.ts';
import { Teacher } from './teach/teacher.ts';
import { engineWasm, trainWasm } from './wasm.ts';

export async function startBackend(
  config: BackendConfig,
  client: RollupClient,
  log: Logger,
): Promise<{ backend: Backend; engine: BackendEngine; hash: string; tokenizerPieces: number | null }> {
  const [checkpoint, tokenizer] = await Promise.all([
    readFile(config.checkpointPath),
    readFile(config.tokenizerPath),
  ]);
  const hash = await modelHash(checkpoint, tokenizer);
  const tokenizerPieces = countTokenizerPieces(tokenizer);
  const wasm = engineWasm();
  const teacher = new Teacher({
    checkpoint,
    tokenizer,
    baseHash: hash,
    stepsPerInput: config.teach.stepsPerInput,
    hyperParameters: config.teach.hyperParameters,
    backend: config.engineBackend,
    ...trainWasm(),
  });
  const backend = new Backend({
    client,
    contract: config.contract,
    model: { name: config.modelName, license: config.modelLicense, hash },
    engineVersion: ENGINE_VERSION,
    tokenizerPieces,
    loadEngine: () => loadEngine({ checkpoint, tokenizer, backend: config.engineBackend, ...wasm }),
    loadModelEngine: (trained) =>
      loadEngine({ checkpoint: trained, tokenizer, backend: config.engineBackend, ...wasm }),
    teacher,
    log,
  });
  const engine = await backend.start();
  return { backend, engine, hash, tokenizerPieces };
}

// @tt/llm/node: Node-only helpers around the engine (files, the native build, model downloads).
import { readFile } from 'node:fs/promises';
import { loadEngine, loadTokenizer, type Engine, type Tokenizer } from './engine.ts';
import { llmError } from './errors.ts';
import type { BackendChoice } from './wasm.ts';
import { wasmPaths } from './paths.ts';
import { resolveBackend } from './wasm.ts';

export * from './index.ts';
export { wasmPaths, threadedWasmPath, nativePath, nativeSourcePaths, distDir, repoRoot } from './paths.ts';
export {
  fetchModel,
  sha256File,
  MODELS,
  defaultCacheDir,
  downloadFile,
  importFile,
  verifyFile,
  DownloadError,
} from './fetch.ts';
export type { ModelName, FetchOptions, FetchProgress, DownloadSpec } from './fetch.ts';
export { runNative, type NativeRunOptions, type NativeRunResult } from './native.ts';
export { trainWasmPaths, trainNativePath } from './paths.ts';
export { runTeachNative, type TeachNativeOptions, type TeachNativeResult } from './teach-native.ts';
export { readStepFile, stepFileWriter, writeFileAtomic } from './teach-files.ts';

async function readOrExplain(path: string, what: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw llmError(
      'bad-argument',
      `cannot read the ${what} at ${path} (${err.code ?? err.message}): pass an existing file, or download one with \`pnpm tt model fetch\``,
    );
  }
}

/** loadEngine with the checkpoint, tokenizer and the package's own .wasm read from disk. */
export async function loadEngineFromFiles(opts: {
  checkpointPath: string;
  tokenizerPath: string;
  backend?: BackendChoice;
}): Promise<Engine> {
  const backend = resolveBackend(opts.backend ?? 'auto');
  const [checkpoint, tokenizer, wasm] = await Promise.all([
    readOrExplain(opts.checkpointPath, 'checkpoint'),
    readOrExplain(opts.tokenizerPath, 'tokenizer'),
    readOrExplain(wasmPaths()[backend], `engine build (run \`pnpm --filter @tt/llm build\`)`),
  ]);
  return loadEngine({ checkpoint, tokenizer, backend, wasm });
}

/** loadTokenizer with the tokenizer file and the package's own .wasm read from disk. */
export async function loadTokenizerFromFile(
  tokenizerPath: string,
  backend: BackendChoice = 'auto',
): Promise<Tokenizer> {
  const b = resolveBackend(backend);
  const [tokenizer, wasm] = await Promise.all([
    readOrExplain(tokenizerPath, 'tokenizer'),
    readOrExplain(wasmPaths()[b], `engine build (run \`pnpm --filter @tt/llm build\`)`),
  ]);
  return loadTokenizer({ tokenizer, backend: b, wasm });
}

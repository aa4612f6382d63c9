// @tt/llm: the deterministic llama2 engine, browser-safe entry (no Node built-ins imported here).
export { loadEngine, loadTokenizer, Engine, Tokenizer, BOS, EOS } from './engine.ts';
export type { LoadEngineOptions, LoadTokenizerOptions, GenerateOptions, GenerateResult } from './engine.ts';
export { LlmError } from './errors.ts';
export type { LlmErrorCode } from './errors.ts';
export {
  readCheckpointHeader,
  expectedCheckpointBytes,
  parameterCount,
  checkpointFloatCount,
} from './checkpoint.ts';
export type { ModelConfig } from './checkpoint.ts';
export { defaultWasmUrl, simdSupported, simdDistrusted, resolveBackend } from './wasm.ts';
export type { Backend, BackendChoice, Build, WasmSource } from './wasm.ts';
export { threadsUnavailable } from './threads.ts';
export { modelHash, sha256, Sha256, toHex } from './sha256.ts';
export { ENGINE_VERSION } from './version.ts';

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
export { countTokenizerPieces, checkModelPair } from './model-check.ts';
export type { ModelPairCheck } from './model-check.ts';
export { defaultWasmUrl, simdSupported, simdDistrusted, resolveBackend } from './wasm.ts';
export type { Backend, BackendChoice, Build, WasmSource } from './wasm.ts';
export { threadsUnavailable } from './threads.ts';
export { modelHash, sha256, toHex } from './sha256.ts';
export { ENGINE_VERSION } from './version.ts';
// Training (DPO fine-tuning): browser-safe too; the trainer is its own .wasm (dist/llm-train-*.wasm).
export { teach, TEACH_ENGINE_VERSION } from './teach.ts';
export type {
  TeachOptions,
  TeachProgress,
  TeachPhase,
  TeachResult,
  TeachManifest,
  TeachEvaluation,
} from './teach.ts';
export { createTrainer, Trainer, defaultTrainWasmUrl } from './trainer.ts';
export type { CreateTrainerOptions, StepMetrics, PairLogProbs } from './trainer.ts';
export { checkPairs, encodePairs } from './teach-pairs.ts';
export type { PreferencePair } from './teach-pairs.ts';
export {
  DEFAULT_HYPER_PARAMETERS,
  resolveHyperParameters,
  totalSteps,
  encodeHyperParameters,
  decodeHyperParameters,
} from './teach-params.ts';
export type { HyperParameters, LrSchedule } from './teach-params.ts';
export { teachPlotSvg } from './teach-plot.ts';
export type { TeachPlotOptions } from './teach-plot.ts';

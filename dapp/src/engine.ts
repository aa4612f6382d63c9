// What the backend needs from the inference engine (@tt/llm's Engine, docs/interfaces.md "Engine API").
// Declared here by shape so the handlers depend on these few members only.

export interface EngineConfig {
  dim: number;
  hiddenDim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  vocabSize: number;
  seqLen: number;
  sharedClassifier: boolean;
}

export interface GenerateOptions {
  prompt: string | Uint8Array;
  steps: number;
  temperature: number;
  topp: number;
  seed: bigint;
  onToken?: (token: number, pos: number) => void;
}

export interface GenerateResult {
  /** BOS + prompt + generated */
  tokens: number[];
  promptTokens: number;
  /** the generated tokens' bytes, exactly */
  bytes: Uint8Array;
  text: string;
}

export interface BackendEngine {
  readonly config: EngineConfig;
  readonly backend: 'simd' | 'scalar';
  encode(text: string | Uint8Array, opts?: { bos?: boolean; eos?: boolean }): number[];
  generate(opts: GenerateOptions): GenerateResult | Promise<GenerateResult>;
  dispose(): void;
}

export type EngineBackendChoice = 'simd' | 'scalar' | 'auto';

// Errors the engine raises. Each has a stable kebab-case `code` (for programs: the backend maps them to its report
// codes) and a message that says what is wrong and what to do about it.

export type LlmErrorCode =
  | 'checkpoint-truncated'
  | 'checkpoint-bad-header'
  | 'checkpoint-size-mismatch'
  | 'tokenizer-truncated'
  | 'tokenizer-bad-header'
  | 'tokenizer-bad-piece'
  | 'tokenizer-too-small'
  | 'out-of-memory'
  | 'not-loaded'
  | 'token-out-of-range'
  | 'position-out-of-range'
  | 'no-byte-pieces'
  | 'prompt-too-long'
  | 'bad-steps'
  | 'bad-temperature'
  | 'bad-top-p'
  | 'bad-seed'
  | 'bad-argument'
  | 'wasm-unavailable'
  | 'simd-unsupported'
  | 'simd-untrusted'
  | 'disposed'
  | 'native-unavailable'
  | 'native-failed'
  // training (src/teach.ts)
  | 'teach-no-pairs'
  | 'teach-bad-pair'
  | 'teach-bad-hyperparameter'
  | 'teach-non-finite'
  | 'teach-bad-step-file'
  | 'teach-write-failed'
  | 'teach-aborted';

export class LlmError extends Error {
  constructor(
    readonly code: LlmErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'LlmError';
  }
}

/** The C side's error numbers (c/tt.h and c/native_main.c). */
export const C_ERRORS: Record<number, LlmErrorCode> = {
  1: 'checkpoint-truncated',
  2: 'checkpoint-bad-header',
  3: 'checkpoint-size-mismatch',
  4: 'tokenizer-bad-header',
  5: 'tokenizer-too-small',
  6: 'tokenizer-bad-piece',
  7: 'out-of-memory',
  8: 'not-loaded',
  9: 'token-out-of-range',
  10: 'position-out-of-range',
  11: 'no-byte-pieces',
  12: 'bad-argument',
  100: 'prompt-too-long',
  101: 'bad-steps',
  102: 'bad-steps',
  // c/train.h
  20: 'teach-non-finite',
  21: 'teach-bad-step-file',
  22: 'teach-bad-pair',
  23: 'teach-bad-hyperparameter',
  24: 'bad-argument',
};

const GENERIC: Record<LlmErrorCode, string> = {
  'checkpoint-truncated':
    'the checkpoint is shorter than its 28-byte header: pass a llama2.c .bin checkpoint',
  'checkpoint-bad-header':
    'the checkpoint header is not a llama2.c version-0 header (dims must be positive, dim divisible by n_heads, n_heads by n_kv_heads, head size even): pass a legacy llama2.c .bin checkpoint',
  'checkpoint-size-mismatch':
    'the checkpoint size does not match its header: the file is truncated or not a llama2.c checkpoint; download it again (pnpm tt model fetch)',
  'tokenizer-truncated': 'the tokenizer file ends in the middle of a piece: download tokenizer.bin again',
  'tokenizer-bad-header':
    'the tokenizer is shorter than its header or has a non-positive max_token_length: pass a llama2.c tokenizer.bin',
  'tokenizer-bad-piece': 'the tokenizer has a piece with a negative length: pass a llama2.c tokenizer.bin',
  'tokenizer-too-small':
    "the tokenizer has fewer pieces than the model's vocabulary: pass the tokenizer the model was trained with",
  'out-of-memory': 'the engine could not get enough WebAssembly memory for this model',
  'not-loaded': 'the engine has no model loaded',
  'token-out-of-range': "a token id is outside the model's vocabulary",
  'position-out-of-range': "a position is outside the model's context (seq_len)",
  'no-byte-pieces':
    'the text needs byte-fallback tokens (ids 3..258) but the vocabulary is smaller than that',
  'prompt-too-long': "the prompt has more tokens than the model's context (seq_len): shorten it",
  'bad-steps': 'steps out of range',
  'bad-temperature': 'temperature must be a finite number >= 0',
  'bad-top-p': 'top-p must be a number in [0, 1]',
  'bad-seed': 'seed must be an integer in [0, 2^64)',
  'bad-argument': 'an argument was out of range',
  'wasm-unavailable': 'the engine .wasm could not be loaded',
  'simd-unsupported': 'this WebAssembly runtime does not support SIMD128: use backend "scalar" or "auto"',
  'simd-untrusted':
    'this WebAssembly runtime\'s SIMD arithmetic does not round as IEEE requires, so its results would differ from other machines: use backend "scalar" or "auto"',
  disposed: 'the engine was disposed',
  'native-unavailable':
    'the native engine build (dist/llm-native) is missing: run `pnpm --filter @tt/llm build` (needs gcc)',
  'native-failed': 'the native engine failed',
  'teach-no-pairs':
    'there are no preference pairs to train on: rank some conversations first (ties are left out)',
  'teach-bad-pair': 'a preference pair does not fit the model: fix or leave out that pair',
  'teach-bad-hyperparameter': 'a hyper-parameter is out of its range',
  'teach-non-finite':
    'training produced NaN or Inf: the step was refused and nothing was written; lower the learning rate or check the base checkpoint',
  'teach-bad-step-file':
    'the step file does not belong to this training run or is damaged: resume with the same base, pairs and hyper-parameters, or start again without it',
  'teach-write-failed': 'a training file could not be written: free some space or choose another folder',
  'teach-aborted': 'training was stopped before its last step: resume it from its last step file',
};

export function cError(num: number, detail?: string): LlmError {
  const code = C_ERRORS[num] ?? 'bad-argument';
  return new LlmError(code, detail ? `${GENERIC[code]} (${detail})` : GENERIC[code]);
}

export function llmError(code: LlmErrorCode, detail?: string): LlmError {
  return new LlmError(code, detail ?? GENERIC[code]);
}

// Reading a llama2.c version-0 checkpoint header in TypeScript: for the CLI's `info`, for exact error messages
// (the C side only says "mismatch"; here we can say by how much), and for tests that build checkpoints.

export interface ModelConfig {
  dim: number;
  hiddenDim: number;
  nLayers: number;
  nHeads: number;
  nKvHeads: number;
  vocabSize: number;
  seqLen: number;
  /** true when the header's vocab_size was positive: the classifier reuses the token embedding table */
  sharedClassifier: boolean;
}

export const HEADER_BYTES = 28;

/** The seven int32 header fields, or null when there are fewer than 28 bytes. */
export function readCheckpointHeader(bytes: Uint8Array): ModelConfig | null {
  if (bytes.length < HEADER_BYTES) return null;
  const v = new DataView(bytes.buffer, bytes.byteOffset, HEADER_BYTES);
  const h = Array.from({ length: 7 }, (_, i) => v.getInt32(4 * i, true));
  const [dim, hiddenDim, nLayers, nHeads, nKvHeads, vocab, seqLen] = h as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    dim,
    hiddenDim,
    nLayers,
    nHeads,
    nKvHeads,
    vocabSize: Math.abs(vocab),
    seqLen,
    sharedClassifier: vocab > 0,
  };
}

/**
 * The config a loaded C context reports (engine.c's tt_config, train.c's tt_tr_config): eight int32s at `ptr` in the
 * module's memory, the seven header fields with vocab_size made positive, then 1 for a shared classifier.
 */
export function readLoadedConfig(memory: WebAssembly.Memory, ptr: number): ModelConfig {
  const c = new Int32Array(memory.buffer, ptr >>> 0, 8);
  return {
    dim: c[0]!,
    hiddenDim: c[1]!,
    nLayers: c[2]!,
    nHeads: c[3]!,
    nKvHeads: c[4]!,
    vocabSize: c[5]!,
    seqLen: c[6]!,
    sharedClassifier: c[7] === 1,
  };
}

/** Number of float32 values after the header, in file order (including the two unused RoPE tables). */
export function checkpointFloatCount(c: ModelConfig): number {
  const headSize = c.dim / c.nHeads;
  const kvDim = headSize * c.nKvHeads;
  const L = c.nLayers;
  return (
    c.vocabSize * c.dim + // token embedding
    L * c.dim + // attention norms
    L * c.dim * c.dim + // wq
    2 * L * c.dim * kvDim + // wk, wv
    L * c.dim * c.dim + // wo
    L * c.dim + // ffn norms
    3 * L * c.dim * c.hiddenDim + // w1, w2, w3
    c.dim + // final norm
    c.seqLen * headSize + // two RoPE tables of seq_len * head_size / 2
    (c.sharedClassifier ? 0 : c.vocabSize * c.dim)
  );
}

export function expectedCheckpointBytes(c: ModelConfig): number {
  return HEADER_BYTES + 4 * checkpointFloatCount(c);
}

/** Learned parameters: everything in the file except the unused RoPE tables. */
export function parameterCount(c: ModelConfig): number {
  return checkpointFloatCount(c) - c.seqLen * (c.dim / c.nHeads);
}

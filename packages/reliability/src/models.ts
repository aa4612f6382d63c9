// Model files for the suites: the shared stories260K + tokenizer.bin (never copied into the repo), and small
// seeded checkpoints / tokenizers built here for the loader fuzzing.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkpointFloatCount, type ModelConfig } from '@tt/llm';
import { sharedModels } from '@tt/llm/testing';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const shared = sharedModels();
export const modelsDir = shared.dir;
export const modelFiles = { checkpoint: shared.checkpoint, tokenizer: shared.tokenizer };
export const haveModel = shared.available;
/** Appended to a suite's name when the model is missing, so the skip says why. */
export const modelNote = haveModel ? '' : ` [SKIPPED: ${shared.missingReason}]`;

export const FULL = !!process.env.TT_RELIABILITY_FULL;
/** A size knob: env var if set, else the CI or the full default. */
export function sized(envName: string, ci: number, full: number): number {
  const v = process.env[envName];
  if (v !== undefined && v !== '' && Number.isFinite(Number(v))) return Math.max(0, Math.floor(Number(v)));
  return FULL ? full : ci;
}

let drawn: number | undefined;

/**
 * The seed of a property test: `fixed` unless TT_FUZZ_SEED says otherwise (a number: that seed for every property, to
 * reproduce a run; "random": one new seed for the whole run, as `pnpm test:fuzz` does). Printed, so any failure can be
 * run again.
 */
export function fuzzSeed(fixed: number, what = 'fast-check'): number {
  const env = process.env.TT_FUZZ_SEED;
  if (env === 'random') drawn ??= Math.floor(Math.random() * 2 ** 31);
  const seed = env === 'random' ? drawn! : env ? Number(env) : fixed;
  if (!Number.isSafeInteger(seed))
    throw new Error(`TT_FUZZ_SEED must be an integer or "random", not '${env}'`);
  console.log(`${what}: seed ${seed} (reproduce with TT_FUZZ_SEED=${seed})`);
  return seed;
}

function rng(seed: number): () => number {
  let s = (seed ^ 0x9e3779b9) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

export const SMALL_SHAPE: ModelConfig = {
  dim: 16,
  hiddenDim: 24,
  nLayers: 2,
  nHeads: 4,
  nKvHeads: 2,
  vocabSize: 300,
  seqLen: 32,
  sharedClassifier: false,
};

export function writeHeader(bytes: Uint8Array, c: ModelConfig): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, 28);
  const f = [
    c.dim,
    c.hiddenDim,
    c.nLayers,
    c.nHeads,
    c.nKvHeads,
    c.sharedClassifier ? c.vocabSize : -c.vocabSize,
    c.seqLen,
  ];
  f.forEach((x, i) => v.setInt32(4 * i, x, true));
}

/** A llama2.c v0 checkpoint with small seeded weights. */
export function makeCheckpoint(c: ModelConfig, seed = 1): Uint8Array {
  const n = checkpointFloatCount(c);
  const bytes = new Uint8Array(28 + 4 * n);
  writeHeader(bytes, c);
  const f = new Float32Array(bytes.buffer, 28, n);
  const r = rng(seed);
  for (let i = 0; i < n; i++) f[i] = (r() - 0.5) * 0.2;
  return bytes;
}

/**
 * A llama2.c tokenizer.bin with `n` pieces: <unk>, <s>, </s>, the 256 byte pieces <0x00>..<0xFF>, then short words.
 * Layout: int32 max_token_length, then per piece float score, int32 len, bytes.
 */
export function makeTokenizer(n: number): Uint8Array {
  const pieces: Uint8Array[] = [];
  const enc = new TextEncoder();
  const special = ['<unk>', '<s>', '</s>'];
  for (let i = 0; i < n; i++) {
    let s: string;
    if (i < 3) s = special[i]!;
    else if (i < 259) s = `<0x${(i - 3).toString(16).toUpperCase().padStart(2, '0')}>`;
    else
      s =
        ' ' +
        String.fromCharCode(97 + ((i - 259) % 26)) +
        String.fromCharCode(97 + (Math.floor((i - 259) / 26) % 26));
    pieces.push(enc.encode(s));
  }
  const maxLen = Math.max(...pieces.map((p) => p.length));
  const size = 4 + pieces.reduce((t, p) => t + 8 + p.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setInt32(0, maxLen, true);
  let o = 4;
  pieces.forEach((p, i) => {
    v.setFloat32(o, i < 259 ? 0 : -i, true);
    v.setInt32(o + 4, p.length, true);
    out.set(p, o + 8);
    o += 8 + p.length;
  });
  return out;
}

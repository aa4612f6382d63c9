// Test models for every package's tests and benchmarks, in one place:
//  - the small real model (stories260K + the Llama 2 tokenizer): the shared folder beside the repository
//    (../shared/models, see its README), or $TT_MODELS_DIR. One rule for all, so a developer who keeps the models
//    elsewhere sets one variable, and a missing model is reported the same way everywhere;
//  - synthetic ones: seeded pseudo-random checkpoints of any shape and tokenizers with the Llama layout, generated on
//    the fly (cached in the OS temp folder, never committed), for tests that need no real weights or many shapes;
//  - what bit-exactness is checked on (the generation cases, the logits fingerprint) and preference pairs sampled
//    from a real model, shared by this package's suites and the Cartesi machine's (packages/machine).
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { checkpointFloatCount, type ModelConfig } from './checkpoint.ts';
import type { Engine } from './engine.ts';
import type { PreferencePair } from './teach-pairs.ts';
import { repoRoot } from './paths.ts';

export { logitsHash, STORIES260K_CASES, STORIES15M_SHAPE_CASES, type BitExactCase } from './bitexact.ts';

export interface SharedModels {
  dir: string;
  checkpoint: string;
  tokenizer: string;
  /** Both files exist. */
  available: boolean;
  /** Why the files cannot be used (for a visible skip), or null when they can. */
  missingReason: string | null;
}

export function sharedModels(env: Record<string, string | undefined> = process.env): SharedModels {
  const dir = env.TT_MODELS_DIR || join(repoRoot(), '..', 'shared', 'models');
  const checkpoint = join(dir, 'stories260K.bin');
  const tokenizer = join(dir, 'tokenizer.bin');
  const missing = [checkpoint, tokenizer].filter((p) => !existsSync(p));
  return {
    dir,
    checkpoint,
    tokenizer,
    available: missing.length === 0,
    missingReason: missing.length
      ? `model files not found: ${missing.join(', ')} (set TT_MODELS_DIR to the folder with stories260K.bin and tokenizer.bin)`
      : null,
  };
}

export type Shape = Omit<ModelConfig, 'sharedClassifier'> & { sharedClassifier?: boolean };

export const STORIES15M_SHAPE: Shape = {
  dim: 288,
  hiddenDim: 768,
  nLayers: 6,
  nHeads: 6,
  nKvHeads: 6,
  vocabSize: 32000,
  seqLen: 256,
};
/** Small but with every feature: GQA, unshared classifier, a dim that is not a multiple of 16. */
export const TINY_SHAPE: Shape = {
  dim: 40,
  hiddenDim: 84,
  nLayers: 2,
  nHeads: 4,
  nKvHeads: 2,
  vocabSize: 32000,
  seqLen: 64,
  sharedClassifier: false,
};

/** xorshift-multiply generator: a fixed stream of floats in [-1, 1) for a given seed. */
function randomStream(seed: number): () => number {
  let s = (seed ^ 0x9e3779b9) >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (Math.imul(s, 0x2545f491) >>> 8) / 8388608 - 1;
  };
}

/**
 * Writes a llama2.c version-0 header (seven little-endian int32: dim, hidden_dim, n_layers, n_heads, n_kv_heads,
 * vocab_size negated for an unshared classifier, seq_len) at the start of `bytes`, whatever their other content:
 * the loader tests corrupt headers with it.
 */
export function writeCheckpointHeader(bytes: Uint8Array, c: ModelConfig): void {
  const v = new DataView(bytes.buffer, bytes.byteOffset, 28);
  const fields = [
    c.dim,
    c.hiddenDim,
    c.nLayers,
    c.nHeads,
    c.nKvHeads,
    c.sharedClassifier ? c.vocabSize : -c.vocabSize,
    c.seqLen,
  ];
  fields.forEach((x, i) => v.setInt32(4 * i, x, true));
}

/** A llama2.c version-0 checkpoint of the given shape with seeded random weights (scaled so activations stay O(1)). */
export function makeRandomCheckpoint(shape: Shape, seed: number): Uint8Array {
  const shared = shape.sharedClassifier !== false;
  const config: ModelConfig = { ...shape, sharedClassifier: shared };
  const n = checkpointFloatCount(config);
  const bytes = new Uint8Array(28 + 4 * n);
  writeCheckpointHeader(bytes, config);
  const f = new Float32Array(bytes.buffer, 28, n);
  const rnd = randomStream(seed);
  const { dim, hiddenDim: hid, nLayers: L, vocabSize: V, seqLen } = shape;
  const hs = dim / shape.nHeads;
  const kv = hs * shape.nKvHeads;
  let o = 0;
  const fill = (count: number, scale: number, offset = 0) => {
    for (let i = 0; i < count; i++) f[o++] = offset + scale * rnd();
  };
  fill(V * dim, 0.1); // embedding (and classifier when shared)
  fill(L * dim, 0.1, 1); // attention norms
  fill(L * dim * dim, 1 / Math.sqrt(dim)); // wq
  fill(2 * L * dim * kv, 1 / Math.sqrt(dim)); // wk, wv
  fill(L * dim * dim, 1 / Math.sqrt(dim)); // wo
  fill(L * dim, 0.1, 1); // ffn norms
  fill(L * hid * dim, 1 / Math.sqrt(dim)); // w1
  fill(L * dim * hid, 1 / Math.sqrt(hid)); // w2
  fill(L * hid * dim, 1 / Math.sqrt(dim)); // w3
  fill(dim, 0.1, 1); // final norm
  fill(seqLen * hs, 1000); // the unused RoPE tables: garbage, so using them by mistake would show
  if (!shared) fill(V * dim, 0.1);
  if (o !== n) throw new Error(`generator wrote ${o} floats, layout has ${n}`);
  return bytes;
}

const GENERATOR_VERSION = 1;

/** Path of a cached random checkpoint (made once per machine; the name carries shape, seed and generator version). */
export function randomCheckpointPath(shape: Shape, seed: number): string {
  const dir = join(tmpdir(), 'tt-llm-random-checkpoints');
  const name = `v${GENERATOR_VERSION}-${shape.dim}-${shape.hiddenDim}-${shape.nLayers}-${shape.nHeads}-${shape.nKvHeads}-${shape.vocabSize}-${shape.seqLen}-${shape.sharedClassifier === false ? 'u' : 's'}-${seed}.bin`;
  const path = join(dir, name);
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, makeRandomCheckpoint(shape, seed));
    renameSync(tmp, path); // atomic: parallel test files never read half a file
  }
  return path;
}

/**
 * A llama2.c-format tokenizer with the Llama layout of special and byte pieces (ids 0-2, then <0x00>..<0xFF>) and
 * made-up pieces after them, for tests that must run without the real tokenizer.bin.
 */
export function makeSyntheticTokenizer(vocab: number): Uint8Array {
  const pieces: { score: number; bytes: Uint8Array }[] = [];
  const enc = new TextEncoder();
  for (const s of ['<unk>', '\n<s>\n', '\n</s>\n']) pieces.push({ score: 0, bytes: enc.encode(s) });
  for (let b = 0; b < 256; b++)
    pieces.push({ score: 0, bytes: enc.encode(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`) });
  const letters = ' etaoinshrdlu';
  for (let i = 0; pieces.length < vocab; i++) {
    let s = '';
    let k = i;
    do {
      s += letters[k % letters.length];
      k = Math.floor(k / letters.length);
    } while (k > 0);
    pieces.push({ score: -i, bytes: enc.encode(s) });
  }
  const size = 4 + pieces.reduce((n, p) => n + 8 + p.bytes.length, 0);
  const out = new Uint8Array(size);
  const v = new DataView(out.buffer);
  v.setInt32(0, Math.max(...pieces.map((p) => p.bytes.length)), true);
  let o = 4;
  for (const p of pieces) {
    v.setFloat32(o, p.score, true);
    v.setInt32(o + 4, p.bytes.length, true);
    out.set(p.bytes, o + 8);
    o += 8 + p.bytes.length;
  }
  return out;
}

/** The real tokenizer.bin when present, else a synthetic one with the same vocabulary size, written to tmp. */
export function anyTokenizerPath(): string {
  const real = sharedModels().tokenizer;
  if (existsSync(real)) return real;
  const path = join(tmpdir(), 'tt-llm-random-checkpoints', 'synthetic-tokenizer-32000.bin');
  if (!existsSync(path)) {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, makeSyntheticTokenizer(32000));
  }
  return path;
}

/** A response that ended because the model sampled BOS keeps that BOS as its last token: "the story ends here". */
function withEnd(tokens: number[], steps: number): number[] {
  return tokens.length < steps + 1 ? [...tokens, 1] : tokens;
}

/**
 * n preference pairs from a real model (ids from the generation itself, never re-encoded): two sampled stories per
 * pair (seeds 2c+1, 2c+2); the prompt is the first tokens of the first story (BOS and up to two more), chosen its
 * continuation, rejected the second story after its BOS.
 */
export function sampledPairs(engine: Engine, n: number, steps = 48): PreferencePair[] {
  const pairs: PreferencePair[] = [];
  for (let c = 0; c < n; c++) {
    const gen = { prompt: '', steps, temperature: 1, topp: 0.9 };
    const a = withEnd(engine.generate({ ...gen, seed: 2 * c + 1 }).tokens, steps);
    const b = withEnd(engine.generate({ ...gen, seed: 2 * c + 2 }).tokens, steps);
    const k = Math.min(3, a.length - 1);
    pairs.push({ promptTokens: a.slice(0, k), chosenTokens: a.slice(k), rejectedTokens: b.slice(1) });
  }
  return pairs;
}

// The sampling of the in-machine benchmarks: bench:vm (packages/machine) generates with it inside the Cartesi
// machine, and bench:riscv counts the same generation under qemu-user, so their figures describe the same work.
// Temperature 1.2 and top-p 0.95 on a random model make a nearly flat distribution over the vocabulary: top-p's
// worst case. Seed 7 draws no BOS in the first 48 positions of the stories15M-shaped random model.
export const BENCH_SAMPLING = { temperature: 1.2, topp: 0.95, seed: 7n } as const;

// The sampler's tie rules, on a model whose logits are all equal (its classifier is zero): greedy takes the lowest id,
// top-p orders equal probabilities by id, so the nucleus is the lowest ids. Then top-p's nucleus against a reference.
import { describe, expect, it } from 'vitest';
import { loadEngine } from '../src/index.ts';
import { wasmPaths } from '../src/paths.ts';
import { compileWasm, instantiate, type EngineExports } from '../src/wasm.ts';
import { TINY_SHAPE, makeRandomCheckpoint, makeSyntheticTokenizer, read } from './models.ts';

const vocab = 300;
const shape = { ...TINY_SHAPE, vocabSize: vocab, seqLen: 32, sharedClassifier: false };
const flat = makeRandomCheckpoint(shape, 9);
new Float32Array(flat.buffer, flat.length - vocab * shape.dim * 4, vocab * shape.dim).fill(0); // the classifier

describe('sampler ties', () => {
  for (const backend of ['simd', 'scalar'] as const) {
    it(`${backend}: greedy picks the lowest id, top-p keeps the lowest ids, the seed decides within them`, async () => {
      const engine = await loadEngine({
        checkpoint: flat,
        tokenizer: makeSyntheticTokenizer(vocab),
        backend,
        wasm: read(wasmPaths()[backend]),
      });
      expect([...engine.forward(1, 0)].every((l) => l === 0)).toBe(true);
      const greedy = engine.generate({ prompt: '', steps: 5, temperature: 0, topp: 0.9, seed: 0n });
      expect(greedy.tokens).toEqual([1, 0, 0, 0, 0, 0]);

      const seen = new Set<number>();
      for (let seed = 0n; seed < 20n; seed++) {
        const r = engine.generate({ prompt: '', steps: 30, temperature: 1, topp: 0.25, seed });
        for (const t of r.tokens.slice(1)) seen.add(t);
      }
      // With uniform probabilities the nucleus of 0.25 is the first ~75 ids in id order.
      expect(Math.max(...seen)).toBeLessThanOrEqual(Math.ceil(vocab * 0.25) + 1);
      expect(seen.size).toBeGreaterThan(30); // and the draws spread over it
      // Without top-p the whole vocabulary is in play.
      const all = new Set<number>();
      for (let seed = 0n; seed < 20n; seed++)
        for (const t of engine.generate({ prompt: '', steps: 30, temperature: 1, topp: 1, seed }).tokens)
          all.add(t);
      expect(Math.max(...all)).toBeGreaterThan(vocab / 2);
    });
  }
});

// Top-p's nucleus against a plain reference: c/sampler.c orders only the probability buckets that hold the nucleus,
// and must give exactly the nucleus (and so the token) that a full stable sort gives, for every distribution.
const SEED = 20240613;

/** c/sampler.c's entry point for this test: top-p on given probabilities and coin, the nucleus's ids written out. */
type SamplerExports = EngineExports & {
  tt_sample_topp(
    ctx: number,
    p: number,
    n: number,
    topp: number,
    coin: number,
    hint: number,
    ids: number,
    size: number,
  ): number;
};

/** The reference: candidates >= (1 - topp) / (n - 1), fully sorted by (probability desc, id asc), float32 sums. */
function referenceTopp(p: Float32Array, topp: number, coin: number): { token: number; nucleus: number[] } {
  const f = Math.fround;
  const n = p.length;
  const cutoff = f(f(1 - topp) / f(n - 1));
  const cand: number[] = [];
  for (let i = 0; i < n; i++) if (p[i]! >= cutoff) cand.push(i);
  if (cand.length === 0) {
    let best = 0;
    for (let i = 1; i < n; i++) if (p[i]! > p[best]!) best = i;
    return { token: best, nucleus: [] };
  }
  cand.sort((a, b) => (p[a] !== p[b] ? p[b]! - p[a]! : a - b));
  let cum = 0;
  let size = cand.length;
  for (let i = 0; i < cand.length; i++) {
    cum = f(cum + p[cand[i]!]!);
    if (cum > topp) {
      size = i + 1;
      break;
    }
  }
  const nucleus = cand.slice(0, size);
  const r = f(coin * cum);
  let cdf = 0;
  for (const id of nucleus) {
    cdf = f(cdf + p[id]!);
    if (r < cdf) return { token: id, nucleus };
  }
  return { token: nucleus[size - 1]!, nucleus };
}

/** mulberry32: the test's own fixed stream in [0, 1). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** softmax(logits / temperature) in float32, as the engine computes probabilities (max first, sum in id order). */
function softmax(logits: number[], temperature: number): Float32Array {
  const f = Math.fround;
  const x = logits.map((l) => f(f(l) / f(temperature)));
  const max = Math.max(...x);
  const out = new Float32Array(x.length);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    out[i] = Math.exp(x[i]! - max);
    sum = f(sum + out[i]!);
  }
  for (let i = 0; i < x.length; i++) out[i] = f(out[i]! / sum);
  return out;
}

interface Dist {
  name: string;
  p: Float32Array;
}

/** Fixed-seed distributions of every kind top-p meets, and some it should never meet but must still get right. */
function distributions(rand: () => number): Dist[] {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const normalised = (w: number[]) => {
    const s = w.reduce((a, b) => a + b, 0);
    return Float32Array.from(w, (v) => v / s);
  };
  const shuffled = (p: Float32Array) => {
    for (let i = p.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [p[i], p[j]] = [p[j]!, p[i]!];
    }
    return p;
  };
  const out: Dist[] = [];
  for (const n of [32000, 32000, 5000, 512]) {
    // a random model at a high temperature: nearly flat, as bench:vm samples
    out.push({
      name: `flat n=${n}`,
      p: softmax(
        Array.from({ length: n }, () => gauss() * 0.5),
        1.2,
      ),
    });
    // a trained model's shape: Zipf-like over shuffled ids
    out.push({
      name: `zipf n=${n}`,
      p: shuffled(normalised(Array.from({ length: n }, (_, r) => 1 / (r + 2.7) ** (1 + rand())))),
    });
    // one token takes most of the mass; the nucleus is one or a few tokens
    const peak = Array.from({ length: n }, () => rand() * 1e-3);
    peak[Math.floor(rand() * n)] = n * 0.9;
    out.push({ name: `peaked n=${n}`, p: normalised(peak) });
    // few distinct values, so the nucleus ends inside a run of ties ordered by id
    const levels = [1, 2, 3, 5, 8].map((v) => v * rand());
    out.push({
      name: `ties n=${n}`,
      p: normalised(Array.from({ length: n }, () => levels[Math.floor(rand() * levels.length)]!)),
    });
    out.push({ name: `uniform n=${n}`, p: new Float32Array(n).fill(Math.fround(1 / n)) });
    // exact zeros, subnormals and values just around the cutoff
    out.push({
      name: `zeros and subnormals n=${n}`,
      p: Float32Array.from({ length: n }, (_, i) =>
        i % 3 === 0 ? 0 : i % 3 === 1 ? 1e-40 * rand() : (rand() * 2) / n,
      ),
    });
    // masses far from 1: never enough to pass topp (every candidate is ordered), or several times over
    out.push({ name: `mass 0.3 n=${n}`, p: Float32Array.from({ length: n }, () => (rand() * 0.6) / n) });
    out.push({ name: `mass 4 n=${n}`, p: Float32Array.from({ length: n }, () => (rand() * 8) / n) });
  }
  for (const n of [2, 3, 4, 7]) {
    for (let k = 0; k < 4; k++)
      out.push({ name: `tiny n=${n} #${k}`, p: normalised(Array.from({ length: n }, () => rand() ** 3)) });
    out.push({ name: `tiny uniform n=${n}`, p: new Float32Array(n).fill(Math.fround(1 / n)) });
  }
  return out;
}

const TOPPS = [0.9, 0.95, 0.5, 0.05, 1e-7, 1.4e-45, Math.fround(0.999), 0.99999994];

describe('top-p nucleus', () => {
  const shape = { ...TINY_SHAPE, vocabSize: 32000, sharedClassifier: true };
  for (const backend of ['simd', 'scalar'] as const) {
    it(`${backend}: the nucleus and the token are a full stable sort's, for every distribution, top-p and hint (seed ${SEED})`, async () => {
      const x = (await instantiate(await compileWasm(read(wasmPaths()[backend])))) as SamplerExports;
      const ctx = x.tt_context_new();
      const ckpt = makeRandomCheckpoint(shape, 3);
      const ckptPtr = x.tt_alloc(ckpt.length);
      new Uint8Array(x.memory.buffer, ckptPtr, ckpt.length).set(ckpt);
      expect(x.tt_load_model(ctx, ckptPtr, ckpt.length)).toBe(0);
      const pPtr = x.tt_alloc(shape.vocabSize * 4);
      const idsPtr = x.tt_alloc(shape.vocabSize * 4);
      const sizePtr = x.tt_alloc(4);

      const rand = rng(SEED);
      let checked = 0;
      let nontrivial = 0;
      for (const d of distributions(rand)) {
        const max = d.p.reduce((a, b) => Math.max(a, b), 0);
        // the engine's hint is the largest probability; any hint must give the same result
        const hints = [max, 0, 1, 3e38, max * (0.5 + rand())];
        for (const topp of TOPPS) {
          const coin = Math.floor(rand() * 16777216) / 16777216;
          const want = referenceTopp(d.p, Math.fround(topp), coin);
          if (want.nucleus.length > 1) nontrivial++;
          for (const hint of hints) {
            new Float32Array(x.memory.buffer, pPtr, d.p.length).set(d.p);
            const token = x.tt_sample_topp(ctx, pPtr, d.p.length, topp, coin, hint, idsPtr, sizePtr);
            const size = new Int32Array(x.memory.buffer, sizePtr, 1)[0]!;
            const nucleus = [...new Int32Array(x.memory.buffer, idsPtr, size)];
            const what = `${d.name}, topp ${topp}, coin ${coin}, hint ${hint}`;
            expect(size, `${what}: nucleus size`).toBe(want.nucleus.length);
            expect(nucleus, `${what}: nucleus`).toEqual(want.nucleus);
            expect(token, `${what}: token`).toBe(want.token);
            checked++;
          }
        }
      }
      console.log(
        `top-p nucleus (${backend}): ${checked} cases from seed ${SEED}, ${nontrivial} nuclei of 2+ tokens`,
      );
      expect(nontrivial).toBeGreaterThan(100); // the cases exercise real nuclei, not only single tokens
      // out-of-range arguments are refused, not sampled
      expect(x.tt_sample_topp(ctx, pPtr, shape.vocabSize + 1, 0.9, 0.5, 1, idsPtr, sizePtr)).toBeLessThan(0);
      expect(x.tt_sample_topp(ctx, pPtr, 100, 1, 0.5, 1, idsPtr, sizePtr)).toBeLessThan(0);
    });
  }
});

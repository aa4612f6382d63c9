// Every training operation of the C trainer (c/train_kernels.c), forward and backward, in both WebAssembly builds,
// against the float64 reference (test/train-reference.ts): the forward values directly, the backward passes against
// central finite differences of the reference. Inputs are seeded pseudo-random; the seed is printed in each name.
import { beforeAll, describe, expect, it } from 'vitest';
import { instantiateTrainModule, type TrainExports } from '../src/trainer.ts';
import { trainWasmPaths } from '../src/paths.ts';
import { read } from './models.ts';
import { uniform } from './teach-data.ts';
import {
  finiteDifference,
  refAttention,
  refLogprob,
  refMatmul,
  refRmsnorm,
  refRope,
  refSwiglu,
  type Vec,
} from './train-reference.ts';

const SEED = 20240611;

/** Uniform in [-1, 1). */
function rng(seed: number): () => number {
  const u = uniform(seed);
  return () => 2 * u() - 1;
}

/** n float32-representable values, scale * [-1, 1) + offset, held in float64 for the reference. */
function randomVec(r: () => number, n: number, scale = 1, offset = 0): Vec {
  return Float64Array.from({ length: n }, () => Math.fround(offset + scale * r()));
}

/** max |got - want| relative to max |want|. */
function relErr(got: ArrayLike<number>, want: ArrayLike<number>): number {
  let diff = 0;
  let size = 0;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i]! - want[i]!));
    size = Math.max(size, Math.abs(want[i]!));
  }
  return diff / Math.max(size, 1e-30);
}

function dotSum(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Finite differences of loss() with respect to the chosen entries of a (all when indices is omitted). */
function numericGrad(loss: () => number, a: Float64Array, indices?: number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const i of indices ?? a.keys()) out.set(i, finiteDifference(loss, a, i, 1e-5));
  return out;
}

function gradErr(analytic: ArrayLike<number>, numeric: Map<number, number>): number {
  const idx = [...numeric.keys()];
  return relErr(
    idx.map((i) => analytic[i]!),
    idx.map((i) => numeric.get(i)!),
  );
}

function sample(r: () => number, n: number, count: number): number[] {
  return Array.from({ length: count }, () => Math.floor(((r() + 1) / 2) * n));
}

/** Float32 buffers inside the module's memory. */
class Mem {
  constructor(readonly x: TrainExports) {}
  put(v: ArrayLike<number>): number {
    const p = this.x.tt_alloc(Math.max(4, v.length * 4));
    new Float32Array(this.x.memory.buffer, p, v.length).set(v);
    return p;
  }
  zeros(n: number): number {
    return this.put(new Float32Array(n));
  }
  get(p: number, n: number): Float32Array {
    return new Float32Array(this.x.memory.buffer, p, n).slice();
  }
  ints(v: readonly number[]): number {
    const p = this.x.tt_alloc(Math.max(4, v.length * 4));
    new Int32Array(this.x.memory.buffer, p, v.length).set(v);
    return p;
  }
}

type Kernels = TrainExports & Record<string, (...a: number[]) => number>;

for (const backend of ['simd', 'scalar'] as const) {
  describe(`training operations, ${backend} build (seed ${SEED})`, () => {
    let m: Mem;
    let k: Kernels;
    beforeAll(async () => {
      const x = await instantiateTrainModule(backend, read(trainWasmPaths()[backend]));
      m = new Mem(x);
      k = x as Kernels;
    });

    it('batched matmul (odd T, n not a multiple of 16, several row blocks): y, dx, dW', () => {
      const r = rng(SEED);
      const [T, n, d] = [5, 37, 1000];
      const x = randomVec(r, T * n);
      const w = randomVec(r, d * n, 0.2);
      const dy = randomVec(r, T * d);
      const py = m.zeros(T * d);
      k.tt_trk_matmul!(py, m.put(x), m.put(w), T, n, d, m.zeros(16 * n));
      expect(relErr(m.get(py, T * d), refMatmul(x, w, T, n, d))).toBeLessThan(1e-5);

      const dx0 = randomVec(r, T * n, 0.5);
      const pdx = m.put(dx0);
      k.tt_trk_matmul_dx!(pdx, m.put(dy), m.put(w), T, n, d, 1);
      const dx = Array.from(m.get(pdx, T * n), (v, i) => v - dx0[i]!);
      const pdxFresh = m.put(randomVec(r, T * n)); // add = 0 overwrites whatever was there
      k.tt_trk_matmul_dx!(pdxFresh, m.put(dy), m.put(w), T, n, d, 0);
      const pdw = m.zeros(d * n);
      k.tt_trk_matmul_dw!(pdw, m.put(dy), m.put(x), T, n, d, m.zeros(32 * T));
      const loss = () => dotSum(dy, refMatmul(x, w, T, n, d));
      const gx = numericGrad(loss, x);
      expect(gradErr(dx, gx)).toBeLessThan(1e-4);
      expect(gradErr(m.get(pdxFresh, T * n), gx)).toBeLessThan(1e-4);
      expect(gradErr(m.get(pdw, d * n), numericGrad(loss, w, sample(r, d * n, 60)))).toBeLessThan(1e-4);
    });

    it('dW accumulates onto what is there (the gradients of a step add up)', () => {
      const r = rng(SEED + 1);
      const [T, n, d] = [4, 20, 40];
      const x = randomVec(r, T * n);
      const dy = randomVec(r, T * d);
      const scratch = m.zeros(32 * T);
      const once = m.zeros(d * n);
      k.tt_trk_matmul_dw!(once, m.put(dy), m.put(x), T, n, d, scratch);
      const twice = m.zeros(d * n);
      k.tt_trk_matmul_dw!(twice, m.put(dy), m.put(x), T, n, d, scratch);
      k.tt_trk_matmul_dw!(twice, m.put(dy), m.put(x), T, n, d, scratch);
      const a = m.get(once, d * n);
      const b = m.get(twice, d * n);
      expect(
        relErr(
          b,
          Array.from(a, (v) => 2 * v),
        ),
      ).toBeLessThan(1e-6);
    });

    it('RMSNorm: y, dx (added to what is there), dw', () => {
      const r = rng(SEED + 2);
      const [T, n] = [3, 37];
      const x = randomVec(r, T * n);
      const w = randomVec(r, n, 0.1, 1);
      const dy = randomVec(r, T * n);
      const py = m.zeros(T * n);
      const prinv = m.zeros(T);
      const px = m.put(x);
      const pw = m.put(w);
      k.tt_trk_rmsnorm!(py, prinv, px, pw, T, n);
      expect(relErr(m.get(py, T * n), refRmsnorm(x, w, T, n))).toBeLessThan(1e-6);
      const dx0 = randomVec(r, T * n);
      const pdx = m.put(dx0);
      const pdw = m.zeros(n);
      k.tt_trk_rmsnorm_bwd!(pdx, pdw, m.put(dy), px, pw, prinv, T, n, m.zeros(n));
      const dx = Array.from(m.get(pdx, T * n), (v, i) => v - dx0[i]!);
      const loss = () => dotSum(dy, refRmsnorm(x, w, T, n));
      expect(gradErr(dx, numericGrad(loss, x))).toBeLessThan(1e-4);
      expect(gradErr(m.get(pdw, n), numericGrad(loss, w))).toBeLessThan(1e-4);
    });

    it('RoPE: rotation and its backward', () => {
      const r = rng(SEED + 3);
      const [T, n, hs] = [6, 24, 8];
      const v = randomVec(r, T * n);
      const dy = randomVec(r, T * n);
      const cos = m.zeros(T * (hs / 2));
      const sin = m.zeros(T * (hs / 2));
      k.tt_trk_rope_tables!(cos, sin, T, hs);
      const pv = m.put(v);
      k.tt_trk_rope!(pv, T, n, hs, cos, sin);
      expect(relErr(m.get(pv, T * n), refRope(v, T, n, hs))).toBeLessThan(1e-6);
      const pd = m.put(dy);
      k.tt_trk_rope_bwd!(pd, T, n, hs, cos, sin);
      expect(
        gradErr(
          m.get(pd, T * n),
          numericGrad(() => dotSum(dy, refRope(v, T, n, hs)), v),
        ),
      ).toBeLessThan(1e-5);
    });

    it('causal grouped-query attention (4 query heads on 2 key/value heads): out, dq, dk, dv', () => {
      const r = rng(SEED + 4);
      const [T, nh, nkv, hs] = [7, 4, 2, 6];
      const dim = nh * hs;
      const kv = nkv * hs;
      const q = randomVec(r, T * dim, 1.5);
      const kk = randomVec(r, T * kv, 1.5);
      const v = randomVec(r, T * kv);
      const dy = randomVec(r, T * dim);
      const scale = Math.fround(Math.sqrt(hs));
      const pout = m.zeros(T * dim);
      const patt = m.zeros(nh * T * T);
      const [pq, pk, pv] = [m.put(q), m.put(kk), m.put(v)];
      const scratch = () => m.zeros(k.tt_trk_attention_scratch!(T, hs));
      k.tt_trk_attention!(pout, patt, pq, pk, pv, T, nh, nkv, hs, scale, scratch());
      expect(relErr(m.get(pout, T * dim), refAttention(q, kk, v, T, nh, nkv, hs))).toBeLessThan(1e-5);
      const [dq, dk, dv] = [m.zeros(T * dim), m.put(randomVec(r, T * kv)), m.put(randomVec(r, T * kv))];
      k.tt_trk_attention_bwd!(dq, dk, dv, m.put(dy), patt, pq, pk, pv, T, nh, nkv, hs, scale, scratch());
      const loss = () => dotSum(dy, refAttention(q, kk, v, T, nh, nkv, hs));
      expect(gradErr(m.get(dq, T * dim), numericGrad(loss, q))).toBeLessThan(1e-4);
      expect(gradErr(m.get(dk, T * kv), numericGrad(loss, kk))).toBeLessThan(1e-4);
      expect(gradErr(m.get(dv, T * kv), numericGrad(loss, v))).toBeLessThan(1e-4);
    });

    it('SwiGLU: silu(h1) * h3 and its backward (in place on dg)', () => {
      const r = rng(SEED + 5);
      const n = 50;
      const h1 = randomVec(r, n, 4);
      const h3 = randomVec(r, n, 2);
      const dg = randomVec(r, n);
      const pg = m.zeros(n);
      const [p1, p3] = [m.put(h1), m.put(h3)];
      k.tt_trk_swiglu!(pg, p1, p3, n);
      expect(relErr(m.get(pg, n), refSwiglu(h1, h3))).toBeLessThan(1e-6);
      const pdg = m.put(dg);
      const pd3 = m.zeros(n);
      k.tt_trk_swiglu_bwd!(pdg, pd3, pdg, p1, p3, n);
      const loss = () => dotSum(dg, refSwiglu(h1, h3));
      expect(gradErr(m.get(pdg, n), numericGrad(loss, h1))).toBeLessThan(1e-5);
      expect(gradErr(m.get(pd3, n), numericGrad(loss, h3))).toBeLessThan(1e-5);
    });

    it('log-softmax of the targets (the classifier output) and its backward', () => {
      const r = rng(SEED + 6);
      const [R, V] = [3, 37];
      const logits = randomVec(r, R * V, 5);
      const targets = [4, 36, 0];
      const coef = 0.7;
      const pl = m.put(logits);
      const lp = (k.tt_trk_logprob as unknown as (...a: number[]) => number)(pl, pl, m.ints(targets), R, V);
      expect(Math.abs(lp - refLogprob(logits, targets, V))).toBeLessThan(1e-5);
      k.tt_trk_logprob_bwd!(pl, m.ints(targets), R, V, coef);
      const g = numericGrad(() => coef * refLogprob(logits, targets, V), logits);
      expect(gradErr(m.get(pl, R * V), g)).toBeLessThan(1e-5);
    });
  });
}

describe("the SIMD build computes exp four lanes at a time with the scalar build's bits", () => {
  it('on every branch: normal, subnormal results, underflow to 0, overflow to Inf, NaN, the cut-offs', async () => {
    const special = [
      0,
      -0,
      1e-30,
      -1e-8,
      -0.5,
      0.5,
      -1,
      1,
      -10,
      10,
      -87.3,
      -87.34,
      -87.5,
      -100,
      -103.9,
      -103.972084,
      -103.972085,
      -104,
      -200,
      88,
      88.5,
      88.7228394,
      88.72284,
      89,
      1000,
      -Infinity,
      Infinity,
      Number.NaN,
    ];
    const r = rng(SEED + 7);
    const inputs = Float32Array.from([...special, ...Array.from({ length: 4000 }, () => 110 * r() - 15)]);
    const out: Float32Array[] = [];
    for (const backend of ['simd', 'scalar'] as const) {
      const x = await instantiateTrainModule(backend, read(trainWasmPaths()[backend]));
      const mem = new Mem(x);
      const po = mem.zeros(inputs.length);
      (x as Kernels).tt_trk_exp!(po, mem.put(inputs), inputs.length);
      out.push(mem.get(po, inputs.length));
    }
    const bits = (a: Float32Array) =>
      Array.from(new Uint32Array(a.buffer), (u, i) => (Number.isNaN(a[i]) ? 'NaN' : u));
    expect(bits(out[0]!)).toEqual(bits(out[1]!));
    inputs.forEach((v, i) => {
      const want = Math.exp(v);
      const got = out[0]![i]!;
      if (Number.isNaN(v)) expect(got).toBeNaN();
      else if (got === Infinity) expect(want).toBeGreaterThan(3.4e38);
      else if (want < 1.2e-38)
        expect(Math.abs(got - want)).toBeLessThan(1.5e-45 + 1e-6 * want); // subnormal: absolute
      else expect(Math.abs(got / want - 1)).toBeLessThan(3e-7);
    });
  });
});

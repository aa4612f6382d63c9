// A plain float64 reference of everything training computes, written from the equations and sharing no code with
// the C trainer: each operation on its own, the teacher-forced sequence log-probability of a whole model, and the DPO
// loss. The gradient tests take finite differences of these functions and compare them with the C backward passes.
import { readCheckpointHeader, type ModelConfig } from '../src/checkpoint.ts';

export type Vec = Float64Array;

/** y (T, d) = x (T, n) W^T, W (d, n) row by row. */
export function refMatmul(x: ArrayLike<number>, w: ArrayLike<number>, T: number, n: number, d: number): Vec {
  const y = new Float64Array(T * d);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += w[i * n + j]! * x[t * n + j]!;
      y[t * d + i] = s;
    }
  return y;
}

/** Per row: w * x / sqrt(mean(x^2) + 1e-5). */
export function refRmsnorm(x: ArrayLike<number>, w: ArrayLike<number>, T: number, n: number): Vec {
  const y = new Float64Array(T * n);
  for (let t = 0; t < T; t++) {
    let ss = 0;
    for (let j = 0; j < n; j++) ss += x[t * n + j]! ** 2;
    const r = 1 / Math.sqrt(ss / n + 1e-5);
    for (let j = 0; j < n; j++) y[t * n + j] = w[j]! * x[t * n + j]! * r;
  }
  return y;
}

/** Row t rotated by position t: pair (2i, 2i+1) of each head by t * 10000^(-2i/headSize). */
export function refRope(v: ArrayLike<number>, T: number, n: number, headSize: number): Vec {
  const y = Float64Array.from(v as ArrayLike<number>);
  for (let t = 0; t < T; t++)
    for (let i = 0; i < n; i += 2) {
      const pair = (i % headSize) / 2;
      const angle = t * Math.pow(10000, (-2 * pair) / headSize);
      const [a, b] = [v[t * n + i]!, v[t * n + i + 1]!];
      y[t * n + i] = a * Math.cos(angle) - b * Math.sin(angle);
      y[t * n + i + 1] = a * Math.sin(angle) + b * Math.cos(angle);
    }
  return y;
}

/** Causal grouped-query attention: out_t = sum_{u<=t} softmax_u(q_t·k_u / sqrt(hs)) v_u per head. */
export function refAttention(
  q: ArrayLike<number>,
  k: ArrayLike<number>,
  v: ArrayLike<number>,
  T: number,
  nHeads: number,
  nKvHeads: number,
  hs: number,
): Vec {
  const dim = nHeads * hs;
  const kvDim = nKvHeads * hs;
  const group = nHeads / nKvHeads;
  const out = new Float64Array(T * dim);
  for (let h = 0; h < nHeads; h++) {
    const kvh = Math.floor(h / group);
    for (let t = 0; t < T; t++) {
      const scores: number[] = [];
      for (let u = 0; u <= t; u++) {
        let s = 0;
        for (let i = 0; i < hs; i++) s += q[t * dim + h * hs + i]! * k[u * kvDim + kvh * hs + i]!;
        scores.push(s / Math.sqrt(hs));
      }
      const max = Math.max(...scores);
      const e = scores.map((s) => Math.exp(s - max));
      const z = e.reduce((a, b) => a + b, 0);
      for (let u = 0; u <= t; u++)
        for (let i = 0; i < hs; i++)
          out[t * dim + h * hs + i] = out[t * dim + h * hs + i]! + (e[u]! / z) * v[u * kvDim + kvh * hs + i]!;
    }
  }
  return out;
}

/** silu(h1) * h3 elementwise. */
export function refSwiglu(h1: ArrayLike<number>, h3: ArrayLike<number>): Vec {
  return Float64Array.from({ length: h1.length }, (_, i) => (h1[i]! / (1 + Math.exp(-h1[i]!))) * h3[i]!);
}

/** Sum over rows of log softmax(row)[target]. */
export function refLogprob(logits: ArrayLike<number>, targets: readonly number[], V: number): number {
  let total = 0;
  targets.forEach((y, r) => {
    let max = -Infinity;
    for (let i = 0; i < V; i++) max = Math.max(max, logits[r * V + i]!);
    let z = 0;
    for (let i = 0; i < V; i++) z += Math.exp(logits[r * V + i]! - max);
    total += logits[r * V + y]! - max - Math.log(z);
  });
  return total;
}

/** Float offsets (after the 28-byte header) of each tensor of a llama2.c checkpoint. */
export function tensorOffsets(c: ModelConfig): Record<string, [offset: number, count: number]> {
  const hs = c.dim / c.nHeads;
  const kv = hs * c.nKvHeads;
  const L = c.nLayers;
  const sizes: [string, number][] = [
    ['emb', c.vocabSize * c.dim],
    ['rmsAtt', L * c.dim],
    ['wq', L * c.dim * c.dim],
    ['wk', L * kv * c.dim],
    ['wv', L * kv * c.dim],
    ['wo', L * c.dim * c.dim],
    ['rmsFfn', L * c.dim],
    ['w1', L * c.hiddenDim * c.dim],
    ['w2', L * c.dim * c.hiddenDim],
    ['w3', L * c.hiddenDim * c.dim],
    ['rmsFinal', c.dim],
    ['rope', c.seqLen * hs],
    ['cls', c.sharedClassifier ? 0 : c.vocabSize * c.dim],
  ];
  const out: Record<string, [number, number]> = {};
  let o = 0;
  for (const [name, n] of sizes) {
    out[name] = [o, n];
    o += n;
  }
  if (c.sharedClassifier) out.cls = [0, c.vocabSize * c.dim];
  return out;
}

/** The whole model in float64, weights in a mutable array with the checkpoint's float layout. */
export class RefTrainModel {
  readonly config: ModelConfig;
  readonly w: Float64Array;
  private readonly off: Record<string, [number, number]>;

  constructor(bytes: Uint8Array) {
    const c = readCheckpointHeader(bytes);
    if (!c) throw new Error('no header');
    this.config = c;
    const floats = new Float32Array(
      bytes.buffer.slice(bytes.byteOffset + 28, bytes.byteOffset + bytes.length),
    );
    this.w = Float64Array.from(floats);
    this.off = tensorOffsets(c);
  }

  private slice(name: string, layer: number, size: number): Vec {
    const start = this.off[name]![0] + layer * size;
    return this.w.subarray(start, start + size);
  }

  /** log p(tokens[P..] | tokens[..P]) teacher-forced: positions 0 .. n-2 run, logits of P-1 .. n-2 are used. */
  sequenceLogprob(tokens: readonly number[], promptLen: number): number {
    const c = this.config;
    const { dim, hiddenDim: hid, vocabSize: V } = c;
    const hs = dim / c.nHeads;
    const kv = hs * c.nKvHeads;
    const T = tokens.length - 1;
    let x = new Float64Array(T * dim);
    for (let t = 0; t < T; t++) x.set(this.slice('emb', tokens[t]!, dim), t * dim);
    for (let l = 0; l < c.nLayers; l++) {
      const xn = refRmsnorm(x, this.slice('rmsAtt', l, dim), T, dim);
      const q = refRope(refMatmul(xn, this.slice('wq', l, dim * dim), T, dim, dim), T, dim, hs);
      const k = refRope(refMatmul(xn, this.slice('wk', l, kv * dim), T, dim, kv), T, kv, hs);
      const v = refMatmul(xn, this.slice('wv', l, kv * dim), T, dim, kv);
      const att = refAttention(q, k, v, T, c.nHeads, c.nKvHeads, hs);
      const o = refMatmul(att, this.slice('wo', l, dim * dim), T, dim, dim);
      const xmid = x.map((a, i) => a + o[i]!);
      const xn2 = refRmsnorm(xmid, this.slice('rmsFfn', l, dim), T, dim);
      const h1 = refMatmul(xn2, this.slice('w1', l, hid * dim), T, dim, hid);
      const h3 = refMatmul(xn2, this.slice('w3', l, hid * dim), T, dim, hid);
      const down = refMatmul(refSwiglu(h1, h3), this.slice('w2', l, dim * hid), T, hid, dim);
      x = xmid.map((a, i) => a + down[i]!);
    }
    const first = promptLen - 1;
    const xf = refRmsnorm(x.subarray(first * dim), this.slice('rmsFinal', 0, dim), T - first, dim);
    const logits = refMatmul(xf, this.slice('cls', 0, V * dim), T - first, dim, V);
    return refLogprob(logits, tokens.slice(promptLen), V);
  }

  /** -log sigmoid(beta ((pi_c - ref_c) - (pi_r - ref_r))) for one pair. */
  dpoLoss(
    pair: {
      promptTokens: readonly number[];
      chosenTokens: readonly number[];
      rejectedTokens: readonly number[];
    },
    ref: { chosen: number; rejected: number },
    beta: number,
  ): number {
    const P = pair.promptTokens.length;
    const lc = this.sequenceLogprob([...pair.promptTokens, ...pair.chosenTokens], P);
    const lr = this.sequenceLogprob([...pair.promptTokens, ...pair.rejectedTokens], P);
    const m = beta * (lc - ref.chosen - (lr - ref.rejected));
    return Math.log1p(Math.exp(-Math.abs(m))) + Math.max(-m, 0);
  }
}

/** Central difference of f at index i of a (restored afterwards). */
export function finiteDifference(f: () => number, a: Float64Array, i: number, h: number): number {
  const keep = a[i]!;
  a[i] = keep + h;
  const up = f();
  a[i] = keep - h;
  const down = f();
  a[i] = keep;
  return (up - down) / (2 * h);
}

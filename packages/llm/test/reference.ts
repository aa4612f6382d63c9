// A plain, slow reference of the llama2 forward pass in TypeScript, written straight from the architecture's
// equations in float64, sharing no code with the C engine. Tests compare the engine's logits against it.
import { readCheckpointHeader, type ModelConfig } from '../src/checkpoint.ts';

export class ReferenceModel {
  readonly config: ModelConfig;
  private readonly w: Float32Array;
  private readonly off: Record<string, number> = {};
  private readonly keys: Float64Array[][] = []; // [layer][pos] -> kv_dim
  private readonly values: Float64Array[][] = [];

  constructor(bytes: Uint8Array) {
    const c = readCheckpointHeader(bytes);
    if (!c) throw new Error('no header');
    this.config = c;
    this.w = new Float32Array(bytes.buffer.slice(bytes.byteOffset + 28, bytes.byteOffset + bytes.length));
    const hs = c.dim / c.nHeads;
    const kv = hs * c.nKvHeads;
    const sizes: [string, number][] = [
      ['emb', c.vocabSize * c.dim],
      ['rmsAtt', c.nLayers * c.dim],
      ['wq', c.nLayers * c.dim * c.dim],
      ['wk', c.nLayers * c.dim * kv],
      ['wv', c.nLayers * c.dim * kv],
      ['wo', c.nLayers * c.dim * c.dim],
      ['rmsFfn', c.nLayers * c.dim],
      ['w1', c.nLayers * c.hiddenDim * c.dim],
      ['w2', c.nLayers * c.dim * c.hiddenDim],
      ['w3', c.nLayers * c.hiddenDim * c.dim],
      ['rmsFinal', c.dim],
      ['rope', c.seqLen * hs],
      ['cls', c.sharedClassifier ? 0 : c.vocabSize * c.dim],
    ];
    let o = 0;
    for (const [name, n] of sizes) {
      this.off[name] = o;
      o += n;
    }
    if (c.sharedClassifier) this.off.cls = 0;
    for (let l = 0; l < c.nLayers; l++) {
      this.keys.push([]);
      this.values.push([]);
    }
  }

  /** out[i] = sum_j W[i][j] x[j], W the (rows, cols) matrix starting at float offset base. */
  private matvec(base: number, x: ArrayLike<number>, rows: number, cols: number): Float64Array {
    const out = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      for (let j = 0; j < cols; j++) s += this.w[base + i * cols + j]! * x[j]!;
      out[i] = s;
    }
    return out;
  }

  private rmsnorm(x: Float64Array, base: number): Float64Array {
    let ss = 0;
    for (const v of x) ss += v * v;
    const scale = 1 / Math.sqrt(ss / x.length + 1e-5);
    return x.map((v, j) => this.w[base + j]! * v * scale);
  }

  /** Logits for token at pos; positions must be fed in order 0, 1, 2, … */
  forward(token: number, pos: number): Float64Array {
    const c = this.config;
    const dim = c.dim;
    const hs = dim / c.nHeads;
    const kvDim = hs * c.nKvHeads;
    const groups = c.nHeads / c.nKvHeads;
    const x = Float64Array.from(this.w.subarray(token * dim, (token + 1) * dim));
    const rotate = (v: Float64Array) => {
      for (let i = 0; i < v.length; i += 2) {
        const pair = (i % hs) / 2;
        const angle = pos * Math.pow(10000, (-2 * pair) / hs);
        const [a, b] = [v[i]!, v[i + 1]!];
        v[i] = a * Math.cos(angle) - b * Math.sin(angle);
        v[i + 1] = a * Math.sin(angle) + b * Math.cos(angle);
      }
    };
    for (let l = 0; l < c.nLayers; l++) {
      const xn = this.rmsnorm(x, this.off.rmsAtt! + l * dim);
      const q = this.matvec(this.off.wq! + l * dim * dim, xn, dim, dim);
      const k = this.matvec(this.off.wk! + l * kvDim * dim, xn, kvDim, dim);
      const v = this.matvec(this.off.wv! + l * kvDim * dim, xn, kvDim, dim);
      rotate(q);
      rotate(k);
      this.keys[l]![pos] = k;
      this.values[l]![pos] = v;
      const attnOut = new Float64Array(dim);
      for (let h = 0; h < c.nHeads; h++) {
        const kvh = Math.floor(h / groups);
        const scores: number[] = [];
        for (let t = 0; t <= pos; t++) {
          let s = 0;
          for (let i = 0; i < hs; i++) s += q[h * hs + i]! * this.keys[l]![t]![kvh * hs + i]!;
          scores.push(s / Math.sqrt(hs));
        }
        const max = Math.max(...scores);
        const e = scores.map((s) => Math.exp(s - max));
        const z = e.reduce((a, b) => a + b, 0);
        for (let t = 0; t <= pos; t++)
          for (let i = 0; i < hs; i++)
            attnOut[h * hs + i] = attnOut[h * hs + i]! + (e[t]! / z) * this.values[l]![t]![kvh * hs + i]!;
      }
      const o = this.matvec(this.off.wo! + l * dim * dim, attnOut, dim, dim);
      for (let i = 0; i < dim; i++) x[i] = x[i]! + o[i]!;
      const xn2 = this.rmsnorm(x, this.off.rmsFfn! + l * dim);
      const h1 = this.matvec(this.off.w1! + l * c.hiddenDim * dim, xn2, c.hiddenDim, dim);
      const h3 = this.matvec(this.off.w3! + l * c.hiddenDim * dim, xn2, c.hiddenDim, dim);
      const g = h1.map((a, i) => (a / (1 + Math.exp(-a))) * h3[i]!);
      const down = this.matvec(this.off.w2! + l * dim * c.hiddenDim, g, dim, c.hiddenDim);
      for (let i = 0; i < dim; i++) x[i] = x[i]! + down[i]!;
    }
    const xf = this.rmsnorm(x, this.off.rmsFinal!);
    return this.matvec(this.off.cls!, xf, c.vocabSize, dim);
  }
}

export function argmax(x: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
}

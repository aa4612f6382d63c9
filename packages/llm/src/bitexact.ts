// What "bit-exact" is checked on, shared by every suite that compares builds or machines (this package's tests across
// SIMD, scalar and native; packages/machine's inside the Cartesi machine): the generation cases, and the fingerprint
// of one forward pass's logits. Exported from @tt/llm/testing.
import type { GenerateOptions } from './engine.ts';

export type BitExactCase = Omit<GenerateOptions, 'onLogits' | 'onToken'> & {
  name: string;
  seed: bigint;
  /** the run must use every position (no early stop at BOS) */
  fullLength?: boolean;
};

/** stories260K: greedy, sampled, top-p with a prompt, and the full context of 512 positions. */
export const STORIES260K_CASES: readonly BitExactCase[] = [
  { name: 'greedy', prompt: '', steps: 64, temperature: 0, topp: 0.9, seed: 0n },
  { name: 'sampled', prompt: '', steps: 64, temperature: 1, topp: 1, seed: 12345678901234567890n },
  { name: 'top-p with prompt', prompt: 'Once upon', steps: 64, temperature: 0.8, topp: 0.9, seed: 42n },
  {
    name: 'full seq_len',
    prompt: '',
    steps: 512,
    temperature: 1.2,
    topp: 0.95,
    seed: 2n, // reaches the full context (no BOS sampled) under the engine's summation order (c/matmul.c)
    fullLength: true,
  },
];

/** A random checkpoint of the stories15M shape: greedy, sampled, and the full context of 256 with top-p. */
export const STORIES15M_SHAPE_CASES: readonly BitExactCase[] = [
  { name: 'greedy', prompt: 'Once upon a time', steps: 24, temperature: 0, topp: 0.9, seed: 0n },
  { name: 'sampled', prompt: '', steps: 24, temperature: 1, topp: 0, seed: 2n ** 64n - 1n },
  {
    name: 'full seq_len, top-p',
    prompt: 'Hello',
    steps: 256,
    temperature: 0.8,
    topp: 0.9,
    seed: 99n,
    fullLength: true,
  },
];

/** The logits fingerprint that c/native_main.c prints: two 32-bit FNV-1a-style hashes over the float bit patterns. */
export function logitsHash(logits: Float32Array): string {
  const u = new Uint32Array(logits.buffer, logits.byteOffset, logits.length);
  let a = 2166136261 >>> 0;
  let b = 0x9747b28c >>> 0;
  for (let i = 0; i < u.length; i++) {
    const w = u[i]!;
    a = Math.imul(a ^ w, 16777619) >>> 0;
    b = Math.imul(b ^ w, 0x9e3779b1) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

// The SIMD self-check run at every load of a SIMD build: f32x4 multiply and add (the only vector arithmetic the
// kernels use, c/matmul.c) on inputs whose correctly rounded results differ from those of round-toward-zero,
// round-up or flush-to-zero arithmetic, compared with JavaScript's own (IEEE double, then rounded once to float32,
// which is exact rounding for a single product or sum of two floats). A runtime whose SIMD fails it would give other
// bits than every other machine, so the engine refuses it: loadEngine falls back to scalar for 'auto' and throws
// for 'simd'. Seen for real: V8's f32x4 arithmetic on riscv64 CPUs with the vector extension rounds toward zero.
import type { EngineExports } from './wasm.ts';

/** The pairs checked: fixed, so every machine checks the same thing. */
export function selfCheckInputs(): { a: Float32Array; b: Float32Array } {
  const special: [number, number][] = [
    [1 + 2 ** -23, 1 + 2 ** -23], // product needs rounding up
    [1, 2 ** -24], // sum is an exact tie: rounds to even (1)
    [1 + 2 ** -23, 2 ** -24], // tie that rounds up to even
    [1 + 2 ** -22, 3 * 2 ** -25], // sum above the tie: rounds up
    [-(1 + 2 ** -23), 1 + 2 ** -23], // negative product: toward zero and toward -inf differ
    [-1, -(2 ** -24) * 1.5], // negative sum above the tie
    [2 ** -70, 2 ** -70], // subnormal product: flush-to-zero gives 0
    [1.5 * 2 ** -126, 0.75], // subnormal product with rounding
    [2 ** -126, -(2 ** -127)], // subnormal sum
    [3.4e38, 2], // overflow to infinity
    [0.1, 0.2],
    [1 / 3, 3],
  ];
  const n = 64;
  const a = new Float32Array(n);
  const b = new Float32Array(n);
  special.forEach(([x, y], i) => {
    a[i] = x;
    b[i] = y;
  });
  // The rest pseudo-random (xorshift32): about half of their products and sums round up, so any rounding mode
  // but round-to-nearest-even shows.
  let s = 0x2545f491;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
  for (let i = special.length; i < n; i++) {
    a[i] = (next() * 2 - 1) * 2 ** Math.floor(next() * 20 - 10);
    b[i] = (next() * 2 - 1) * 2 ** Math.floor(next() * 20 - 10);
  }
  return { a, b };
}

/** A description of the first wrong result of tt_simd_check-style outputs, or null when all are right. */
export function checkResults(
  a: Float32Array,
  b: Float32Array,
  prod: Float32Array,
  sum: Float32Array,
): string | null {
  const bits = new Uint32Array(1);
  const f = new Float32Array(bits.buffer);
  const hex = (x: number) => ((f[0] = x), bits[0]!.toString(16).padStart(8, '0'));
  for (let i = 0; i < a.length; i++) {
    const p = Math.fround(a[i]! * b[i]!);
    const q = Math.fround(a[i]! + b[i]!);
    if (!Object.is(p, prod[i]))
      return `f32x4.mul(${a[i]}, ${b[i]}) gave ${prod[i]} (0x${hex(prod[i]!)}), correctly rounded is ${p} (0x${hex(p)})`;
    if (!Object.is(q, sum[i]))
      return `f32x4.add(${a[i]}, ${b[i]}) gave ${sum[i]} (0x${hex(sum[i]!)}), correctly rounded is ${q} (0x${hex(q)})`;
  }
  return null;
}

/**
 * Runs the check in a SIMD instance. Returns why its SIMD arithmetic cannot be trusted, or null when it passed.
 * Takes 1 KiB of the instance's memory, once.
 */
export function simdSelfCheck(x: EngineExports): string | null {
  if (!x.tt_simd_check) return 'this engine build has no SIMD self-check';
  const { a, b } = selfCheckInputs();
  const n = a.length;
  const base = x.tt_alloc(4 * 4 * n);
  if (base === 0) return 'no memory for the SIMD self-check';
  const view = (i: number) => new Float32Array(x.memory.buffer, base + i * 4 * n, n);
  view(0).set(a);
  view(1).set(b);
  x.tt_simd_check(base, base + 4 * n, base + 8 * n, base + 12 * n, n);
  const why = checkResults(a, b, view(2).slice(), view(3).slice());
  return why ? `this runtime's WebAssembly SIMD arithmetic is not IEEE round-to-nearest: ${why}` : null;
}

// The SIMD self-check: this runtime's SIMD passes it, and arithmetic that rounds any other way than IEEE
// round-to-nearest-even, or flushes subnormals, fails it; SIMD on riscv64 is refused before any check.
import { afterEach, describe, expect, it } from 'vitest';
import {
  STORIES15M_SHAPE,
  TINY_SHAPE,
  anyTokenizerPath,
  randomCheckpointPath,
  read,
} from '../test/models.ts';
import { loadEngine } from './engine.ts';
import { wasmPaths } from './paths.ts';
import { checkResults, selfCheckInputs, simdSelfCheck } from './selfcheck.ts';
import { instantiate, resolveBackend, type EngineExports } from './wasm.ts';

/** float32 rounding of an exact double x toward zero. */
function towardZero(x: number): number {
  const r = Math.fround(x);
  if (Math.abs(r) <= Math.abs(x) || !Number.isFinite(x))
    return Number.isFinite(r) ? r : Math.sign(x) * 3.4028234663852886e38;
  const f = new Float32Array([r]);
  const u = new Uint32Array(f.buffer);
  u[0]! -= 1; // one unit toward zero (same sign, smaller magnitude)
  return f[0]!;
}

const flushed = (x: number) => (Math.abs(x) < 2 ** -126 ? 0 : x);

function outputs(op: (x: number) => number) {
  const { a, b } = selfCheckInputs();
  const prod = a.map((v, i) => op(v * b[i]!));
  const sum = a.map((v, i) => op(v + b[i]!));
  return { a, b, prod, sum };
}

describe('SIMD self-check', () => {
  it("passes this runtime's f32x4 arithmetic in the engine's SIMD build", async () => {
    const x = await instantiate(new WebAssembly.Module(read(wasmPaths().simd)));
    expect(simdSelfCheck(x)).toBeNull();
  });

  it('fails arithmetic that rounds toward zero, and says which operation differed', () => {
    const { a, b, prod, sum } = outputs(towardZero);
    expect(checkResults(a, b, prod, sum)).toMatch(/^f32x4\.(mul|add)\(.*correctly rounded is/);
  });

  it('fails arithmetic that flushes subnormal results to zero', () => {
    const { a, b, prod, sum } = outputs((v) => flushed(Math.fround(v)));
    expect(checkResults(a, b, prod, sum)).toMatch(/gave 0 /);
  });

  it('passes exactly rounded results (the reference itself)', () => {
    const { a, b, prod, sum } = outputs(Math.fround);
    expect(checkResults(a, b, prod, sum)).toBeNull();
  });

  it('reports an instance whose f32x4 results are wrong as untrusted', async () => {
    const x = await instantiate(new WebAssembly.Module(read(wasmPaths().simd)));
    // The instance's own memory and allocator, with a check that truncates like V8's riscv64 vector code.
    const lying: EngineExports = {
      ...x,
      tt_simd_check: (pa, pb, pp, ps, n) => {
        const m = (p: number) => new Float32Array(x.memory.buffer, p, n);
        m(pa).forEach((v, i) => {
          m(pp)[i] = towardZero(v * m(pb)[i]!);
          m(ps)[i] = towardZero(v + m(pb)[i]!);
        });
      },
    };
    expect(simdSelfCheck(lying)).toMatch(/not IEEE round-to-nearest/);
  });
});

describe('SIMD on riscv64', () => {
  const arch = Object.getOwnPropertyDescriptor(process, 'arch')!;
  afterEach(() => Object.defineProperty(process, 'arch', arch));
  const asRiscv64 = () => Object.defineProperty(process, 'arch', { value: 'riscv64', configurable: true });

  it('is refused when asked for, with the reason, and auto takes scalar', async () => {
    asRiscv64();
    expect(() => resolveBackend('simd')).toThrow(/riscv64.*rounds toward zero/);
    expect(resolveBackend('auto')).toBe('scalar');
    const engine = await loadEngine({
      checkpoint: read(randomCheckpointPath(TINY_SHAPE, 7)),
      tokenizer: read(anyTokenizerPath()),
      wasm: { scalar: read(wasmPaths().scalar) },
    });
    expect(engine.backend).toBe('scalar');
    await expect(
      loadEngine({
        checkpoint: read(randomCheckpointPath(STORIES15M_SHAPE, 15)),
        tokenizer: read(anyTokenizerPath()),
        backend: 'simd',
      }),
    ).rejects.toMatchObject({ code: 'simd-untrusted' });
  });
});

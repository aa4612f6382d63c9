// The engine builds can observe nothing but their inputs: no imports at all (no WASI, no clock, no randomness).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { threadedWasmPath, wasmPaths } from './paths.ts';
import { resolveBackend, simdSupported } from './wasm.ts';

describe('wasm builds', () => {
  for (const backend of ['simd', 'scalar'] as const) {
    it(`llm-${backend}.wasm imports nothing and exports the engine`, () => {
      const mod = new WebAssembly.Module(readFileSync(wasmPaths()[backend]));
      expect(WebAssembly.Module.imports(mod)).toEqual([]);
      const names = WebAssembly.Module.exports(mod).map((e) => e.name);
      for (const n of [
        'memory',
        'tt_alloc',
        'tt_load_model',
        'tt_load_tokenizer',
        'tt_forward',
        'tt_sample',
        'tt_generate_begin',
        'tt_step',
        'tt_encode',
        'tt_decode',
      ])
        expect(names).toContain(n);
    });
  }

  it('the threaded build imports only its shared memory and exports what its threads need', () => {
    const mod = new WebAssembly.Module(readFileSync(threadedWasmPath()));
    expect(WebAssembly.Module.imports(mod)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    const names = WebAssembly.Module.exports(mod).map((e) => e.name);
    for (const n of ['__stack_pointer', 'tt_worker', 'tt_threads_init', 'tt_threads_stop', 'tt_simd_check'])
      expect(names).toContain(n);
  });

  it('only the SIMD build uses SIMD128 and neither uses relaxed SIMD (per the target_features section clang writes)', () => {
    const features = (b: 'simd' | 'scalar') => {
      const mod = new WebAssembly.Module(readFileSync(wasmPaths()[b]));
      const [section] = WebAssembly.Module.customSections(mod, 'target_features');
      return Buffer.from(section!).toString('latin1');
    };
    expect(features('simd')).toContain('simd128');
    expect(features('scalar')).not.toContain('simd128');
    for (const b of ['simd', 'scalar'] as const) expect(features(b)).not.toContain('relaxed');
  });

  it('auto picks SIMD where the runtime validates the SIMD probe', () => {
    expect(simdSupported()).toBe(true);
    expect(resolveBackend('auto')).toBe('simd');
  });
});

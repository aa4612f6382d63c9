// The thread count never changes a bit: 1, 2 and 3 threads give the same tokens and the same logits bits, on a model
// whose matrices do not divide into whole panels or whole chunks (tails everywhere) and on the stories15M shape.
import { describe, expect, it } from 'vitest';
import { loadEngine, type GenerateOptions } from '../src/index.ts';
import { threadedWasmPath, wasmPaths } from '../src/paths.ts';
import { logitsHash } from '../src/bitexact.ts';
import { STORIES15M_SHAPE, TINY_SHAPE, anyTokenizerPath, randomCheckpointPath, read } from './models.ts';

const wasm = {
  simd: new WebAssembly.Module(read(wasmPaths().simd)),
  'simd-threads': new WebAssembly.Module(read(threadedWasmPath())),
};

async function runWith(threads: number, checkpoint: Uint8Array, gen: Omit<GenerateOptions, 'onLogits'>) {
  const engine = await loadEngine({
    checkpoint,
    tokenizer: read(anyTokenizerPath()),
    backend: 'simd',
    wasm,
    threads,
  });
  try {
    expect(engine.threads, engine.threadsUnavailable ?? '').toBe(threads);
    const hashes: string[] = [];
    const r = engine.generate({ ...gen, onLogits: (l) => hashes.push(logitsHash(l)) });
    return { tokens: r.tokens, bytes: [...r.bytes], hashes };
  } finally {
    engine.dispose();
  }
}

describe('threads', () => {
  const cases = [
    {
      name: 'tiny model with GQA and partial panels, sampled over the whole context',
      checkpoint: read(randomCheckpointPath(TINY_SHAPE, 7)),
      gen: { prompt: 'ab', steps: TINY_SHAPE.seqLen, temperature: 1, topp: 0.9, seed: 11n },
    },
    {
      name: 'stories15M shape, top-p',
      checkpoint: read(randomCheckpointPath(STORIES15M_SHAPE, 15)),
      gen: { prompt: 'Once upon a time', steps: 40, temperature: 0.8, topp: 0.9, seed: 3n },
    },
  ];
  for (const c of cases)
    it(`1, 2 and 3 threads give identical tokens and logits bits: ${c.name}`, async () => {
      const one = await runWith(1, c.checkpoint, c.gen);
      expect(one.hashes.length).toBeGreaterThan(4);
      for (const n of [2, 3]) {
        const r = await runWith(n, c.checkpoint, c.gen);
        expect(r.tokens, `${n} threads: tokens`).toEqual(one.tokens);
        expect(r.hashes, `${n} threads: logits`).toEqual(one.hashes);
        expect(r.bytes, `${n} threads: bytes`).toEqual(one.bytes);
      }
    });

  it('falls back to one thread, saying why, where the threaded build cannot run', async () => {
    const engine = await loadEngine({
      checkpoint: read(randomCheckpointPath(TINY_SHAPE, 7)),
      tokenizer: read(anyTokenizerPath()),
      backend: 'scalar',
      wasm: { scalar: read(wasmPaths().scalar) },
      threads: 2,
    });
    expect(engine.threads).toBe(1);
    expect(engine.threadsUnavailable).toMatch(/SIMD/);
    engine.dispose();
  });

  it('refuses a thread count out of range', async () => {
    await expect(
      loadEngine({
        checkpoint: read(randomCheckpointPath(TINY_SHAPE, 7)),
        tokenizer: read(anyTokenizerPath()),
        wasm,
        threads: 0,
      }),
    ).rejects.toMatchObject({ code: 'bad-argument' });
  });
});

// The engine against facts from outside it: llama2.c's greedy output on real weights, and a plain TypeScript
// forward pass (test/reference.ts) on real and random weights.
import { describe, expect, it } from 'vitest';
import { loadEngine, type Engine } from '../src/index.ts';
import { wasmPaths } from '../src/paths.ts';
import { ReferenceModel, argmax } from './reference.ts';
import {
  MISSING_MODELS,
  STORIES15M_SHAPE,
  TINY_SHAPE,
  anyTokenizerPath,
  haveStories260K,
  randomCheckpointPath,
  read,
  stories260KPath,
  tokenizerPath,
} from './models.ts';

async function engineFor(
  checkpoint: Uint8Array,
  tokenizer: Uint8Array,
  backend: 'simd' | 'scalar' = 'simd',
): Promise<Engine> {
  return loadEngine({ checkpoint, tokenizer, backend, wasm: read(wasmPaths()[backend]) });
}

/** Runs `steps` greedy positions on both and checks the ids agree and every logit is within tol. */
function compareGreedy(engine: Engine, ref: ReferenceModel, steps: number, tol: number): number[] {
  let token = 1;
  const ids = [token];
  let worst = 0;
  for (let pos = 0; pos < steps; pos++) {
    const got = engine.forward(token, pos);
    const want = ref.forward(token, pos);
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
    expect(argmax(got)).toBe(argmax(want));
    token = argmax(want);
    ids.push(token);
  }
  expect(worst).toBeLessThan(tol);
  return ids;
}

describe.skipIf(!haveStories260K)(
  `stories260K (real weights) ${haveStories260K ? '' : `— SKIPPED: ${MISSING_MODELS}`}`,
  () => {
    it('greedy from BOS starts 461 461 401 401 401 461 378 455, as llama2.c gives', async () => {
      for (const backend of ['simd', 'scalar'] as const) {
        const engine = await engineFor(read(stories260KPath), read(tokenizerPath), backend);
        const r = engine.generate({ prompt: '', steps: 8, temperature: 0, topp: 0.9, seed: 0n });
        expect(r.tokens).toEqual([1, 461, 461, 401, 401, 401, 461, 378, 455]);
        expect(r.promptTokens).toBe(1);
      }
    });

    it('matches the TypeScript reference forward pass: same greedy ids, logits within 1e-4', async () => {
      const bytes = read(stories260KPath);
      const engine = await engineFor(bytes, read(tokenizerPath));
      const ids = compareGreedy(engine, new ReferenceModel(bytes), 24, 1e-4);
      expect(ids.slice(0, 9)).toEqual([1, 461, 461, 401, 401, 401, 461, 378, 455]);
    });
  },
);

describe('random weights', () => {
  it('a tiny model with GQA, an unshared classifier and dim not a multiple of 16 matches the reference', async () => {
    const bytes = read(randomCheckpointPath(TINY_SHAPE, 7));
    const engine = await engineFor(bytes, read(anyTokenizerPath()), 'scalar');
    compareGreedy(engine, new ReferenceModel(bytes), 40, 1e-4);
  });

  it('the stories15M-shaped model matches the reference over the first positions', async () => {
    const bytes = read(randomCheckpointPath(STORIES15M_SHAPE, 15));
    const engine = await engineFor(bytes, read(anyTokenizerPath()));
    compareGreedy(engine, new ReferenceModel(bytes), 6, 1e-4);
  });
});

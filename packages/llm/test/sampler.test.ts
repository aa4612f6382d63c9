// The sampler's tie rules, on a model whose logits are all equal (its classifier is zero): greedy takes the lowest id,
// top-p orders equal probabilities by id, so the nucleus is the lowest ids.
import { describe, expect, it } from 'vitest';
import { loadEngine } from '../src/index.ts';
import { wasmPaths } from '../src/paths.ts';
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

// The whole model's DPO gradient from the C trainer against central finite differences of the float64 reference
// (test/train-reference.ts), for every tensor of the checkpoint, on small random models: one with grouped-query
// attention and a separate classifier, one with a shared classifier. Checked at step 0 (policy = reference, margin 0)
// and after two optimizer steps (policy moved, so the sigmoid of the DPO loss is off its midpoint).
import { describe, expect, it } from 'vitest';
import { createTrainer, type Trainer } from '../src/trainer.ts';
import { trainWasmPaths } from '../src/paths.ts';
import type { PreferencePair } from '../src/teach-pairs.ts';
import { makeRandomCheckpoint, read, type Shape } from './models.ts';
import { uniform } from './teach-data.ts';
import { RefTrainModel, finiteDifference, tensorOffsets } from './train-reference.ts';

const SEED = 77;
const BETA = 0.5;

const GQA_SEPARATE: Shape = {
  dim: 40,
  hiddenDim: 52,
  nLayers: 2,
  nHeads: 4,
  nKvHeads: 2,
  vocabSize: 50,
  seqLen: 16,
  sharedClassifier: false,
};
const SHARED: Shape = {
  dim: 32,
  hiddenDim: 48,
  nLayers: 1,
  nHeads: 2,
  nKvHeads: 2,
  vocabSize: 40,
  seqLen: 12,
};

const PAIRS: PreferencePair[] = [
  { promptTokens: [1, 5, 9, 3], chosenTokens: [7, 7, 2, 11, 30, 4], rejectedTokens: [8, 3, 3, 19, 6] },
  { promptTokens: [1, 12], chosenTokens: [20, 21, 22], rejectedTokens: [25, 2, 2, 2] },
];

interface TensorReport {
  name: string;
  relErr: number;
  norm: number;
}

/** Compares trainer.gradient(0) with finite differences of the reference loss at the trainer's current weights. */
function checkGradient(trainer: Trainer, base: RefTrainModel, seed: number): TensorReport[] {
  const { loss, grad } = trainer.gradient(0);
  const policy = new RefTrainModel(trainer.checkpoint());
  const pair = PAIRS[0]!;
  const P = pair.promptTokens.length;
  const ref = {
    chosen: base.sequenceLogprob([...pair.promptTokens, ...pair.chosenTokens], P),
    rejected: base.sequenceLogprob([...pair.promptTokens, ...pair.rejectedTokens], P),
  };
  const f = () => policy.dpoLoss(pair, ref, BETA);
  expect(Math.abs(loss - f())).toBeLessThan(1e-5);
  const r = uniform(seed);
  const c = policy.config;
  const used = [...new Set([...pair.promptTokens, ...pair.chosenTokens, ...pair.rejectedTokens])];
  const reports: TensorReport[] = [];
  for (const [name, [start, count]] of Object.entries(tensorOffsets(c))) {
    if (name === 'rope' || (name === 'cls' && c.sharedClassifier)) continue;
    const idx = Array.from({ length: 10 }, () => start + Math.floor(r() * count));
    // Embedding rows of tokens the pair uses (other rows get no gradient except through a shared classifier).
    if (name === 'emb')
      for (const t of used.slice(0, 6)) idx.push(start + t * c.dim + Math.floor(r() * c.dim));
    let diff = 0;
    let norm = 0;
    for (const i of idx) {
      const num = finiteDifference(f, policy.w, i, 1e-5);
      diff += (grad[i]! - num) ** 2;
      norm += num ** 2;
    }
    reports.push({ name, relErr: Math.sqrt(diff / Math.max(norm, 1e-300)), norm: Math.sqrt(norm) });
  }
  return reports;
}

for (const [label, shape] of [
  ['GQA, separate classifier', GQA_SEPARATE],
  ['shared classifier', SHARED],
] as const) {
  for (const backend of ['simd', 'scalar'] as const) {
    describe(`whole-model DPO gradient vs finite differences: ${label}, ${backend} (seed ${SEED})`, () => {
      it('every tensor, at step 0 and after two steps', async () => {
        const checkpoint = makeRandomCheckpoint(shape, SEED);
        const trainer = await createTrainer({
          checkpoint,
          pairs: PAIRS,
          backend,
          wasm: read(trainWasmPaths()[backend]),
          hyperParameters: { beta: BETA, learningRate: 2e-2, batchSize: 1, epochs: 2, warmupSteps: 0 },
        });
        while (trainer.referenceDone < trainer.pairCount) trainer.reference();
        const base = new RefTrainModel(checkpoint);
        for (const when of ['step 0', 'after 2 steps']) {
          if (when !== 'step 0') {
            trainer.trainStep();
            trainer.trainStep();
          }
          const reports = checkGradient(trainer, base, SEED + (when === 'step 0' ? 0 : 1));
          for (const rep of reports) {
            expect(rep.norm, `${when} ${rep.name}: a gradient to check`).toBeGreaterThan(1e-6);
            expect(rep.relErr, `${when} ${rep.name} (|g| ${rep.norm.toExponential(2)})`).toBeLessThan(1e-4);
          }
        }
        // The policy did move: the DPO margin of pair 0 is no longer exactly 0.
        const e = trainer.evaluate(0);
        expect(e.chosen - e.baseChosen - (e.rejected - e.baseRejected)).not.toBe(0);
      });
    });
  }
}

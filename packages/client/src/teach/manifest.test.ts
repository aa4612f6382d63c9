import { DEFAULT_HYPER_PARAMETERS, type StepMetrics } from '@tt/llm';
import { datasetCommitment, type DatasetPair, type Hex } from '@tt/protocol';
import { describe, expect, it } from 'vitest';
import { TtError } from '../errors.ts';
import type { PreferenceDataset } from './dataset.ts';
import { parseTeachManifest, teachManifest, TEACH_MANIFEST_FORMAT } from './manifest.ts';

const H = (b: string) => `0x${b.repeat(32)}` as Hex;
const pairs: DatasetPair[] = [
  {
    conversationId: 3n,
    modelHash: H('aa'),
    chosenIndex: 1,
    promptTokens: [1, 5],
    chosenTokens: [6],
    rejectedTokens: [7],
  },
];
const dataset: PreferenceDataset = {
  pairs,
  commitment: datasetCommitment(pairs),
  entries: [
    { conversationId: 2n, status: 'tie', votes: [1, 1], chosenIndex: null },
    { conversationId: 3n, status: 'pair', votes: [0, 2], chosenIndex: 1 },
  ],
  counts: {
    conversations: 2,
    unanswered: 0,
    unranked: 0,
    ranked: 2,
    votes: 4,
    ties: 1,
    identical: 0,
    otherModel: 0,
    pairs: 1,
  },
};
const metric = (step: number): StepMetrics => ({
  step,
  epoch: 0,
  loss: 0.69,
  accuracy: 0.5,
  chosenReward: 0.01,
  rejectedReward: -0.01,
  rewardMargin: 0.02,
  chosenLogp: -40,
  rejectedLogp: -41,
  gradNorm: 3,
  learningRate: 5e-5,
  tokens: 30,
  pairs: 1,
});

function manifest() {
  return teachManifest({
    snapshot: { block: 12, blockHash: H('bb'), chainId: 31337, contract: `0x${'cd'.repeat(20)}` },
    dataset,
    modelHash: H('01'),
    parentHash: H('aa'),
    steps: 2,
    hyperParameters: { ...DEFAULT_HYPER_PARAMETERS, warmupSteps: 0 },
    engineVersion: '1.0.0',
    inferenceEngineVersion: '0.3.0',
    evaluation: { baseMargin: 1, trainedMargin: 2, improvedPairs: 1 },
    metrics: [metric(0), metric(1)],
    files: { model: 'model.bin', plot: 'training.svg' },
  });
}

describe('the fine-tuned model manifest', () => {
  it('carries the issue’s fields and reads back through JSON', () => {
    const m = manifest();
    expect(m).toMatchObject({
      format: TEACH_MANIFEST_FORMAT,
      parentHash: H('aa'),
      modelHash: H('01'),
      datasetCommitment: dataset.commitment,
      block: 12,
      pairs: 1,
      engineVersion: '1.0.0',
    });
    expect(m.dataset.pairs).toEqual([{ conversationId: '3', chosenIndex: 1, votes: [0, 2] }]);
    expect(m.dataset.ties).toEqual(['2']);
    expect(parseTeachManifest(JSON.parse(JSON.stringify(m)))).toEqual(m);
  });

  it('refuses what is not one, naming the field', () => {
    const cases: [(m: any) => void, RegExp][] = [
      [(m) => (m.format = 'other'), /format must be/],
      [(m) => (m.modelHash = '0x12'), /modelHash must be 0x-hex/],
      [(m) => (m.contract = H('aa')), /contract must be 0x-hex/],
      [(m) => (m.block = -1), /block must be an integer/],
      [(m) => (m.metrics = [metric(0)]), /one entry per optimizer step/],
      [(m) => (m.metrics[1].loss = 'NaN'), /metrics\[1\]\.loss must be a finite number/],
      [(m) => (m.metrics[1].step = 7), /metrics\[1\]\.step must be 1/],
      [(m) => (m.dataset.pairs = []), /dataset\.pairs must list the 1 pairs/],
      [(m) => (m.hyperParameters.beta = '0.1'), /hyperParameters\.beta must be a number/],
      [(m) => (m.files.model = '../../etc/passwd'), /files\.model must be a plain file name/],
      [(m) => (m.files.plot = '.hidden'), /files\.plot must be a plain file name/],
      [(m) => delete m.evaluation, /evaluation must be an object/],
    ];
    for (const [change, message] of cases) {
      const m = JSON.parse(JSON.stringify(manifest()));
      change(m);
      let err: unknown;
      try {
        parseTeachManifest(m, 'x/model.json');
      } catch (e) {
        err = e;
      }
      expect(err, message.source).toBeInstanceOf(TtError);
      expect((err as TtError).code).toBe('bad-manifest');
      expect((err as TtError).message).toMatch(/^x\/model\.json is not a fine-tuned model manifest: /);
      expect((err as TtError).message).toMatch(message);
    }
    expect(() => parseTeachManifest(null)).toThrow(/the file must be an object/);
    expect(() => parseTeachManifest([])).toThrow(/the file must be an object/);
  });
});

import { describe, expect, it } from 'vitest';
import { expectedCheckpointBytes, parameterCount, readCheckpointHeader } from './checkpoint.ts';

describe('checkpoint layout', () => {
  const stories15M = {
    dim: 288,
    hiddenDim: 768,
    nLayers: 6,
    nHeads: 6,
    nKvHeads: 6,
    vocabSize: 32000,
    seqLen: 256,
    sharedClassifier: true,
  };
  it('stories15M: 60,816,028 bytes, as published', () => {
    expect(expectedCheckpointBytes(stories15M)).toBe(60_816_028);
    expect(parameterCount(stories15M)).toBe(15_191_712);
  });
  it('stories260K (GQA): 1,056,540 bytes, as published', () => {
    expect(
      expectedCheckpointBytes({
        dim: 64,
        hiddenDim: 172,
        nLayers: 5,
        nHeads: 8,
        nKvHeads: 4,
        vocabSize: 512,
        seqLen: 512,
        sharedClassifier: true,
      }),
    ).toBe(1_056_540);
  });
  it('a negative vocab_size means an unshared classifier', () => {
    const b = new Uint8Array(28);
    new Int32Array(b.buffer).set([8, 16, 1, 2, 2, -10, 4]);
    expect(readCheckpointHeader(b)).toEqual({
      dim: 8,
      hiddenDim: 16,
      nLayers: 1,
      nHeads: 2,
      nKvHeads: 2,
      vocabSize: 10,
      seqLen: 4,
      sharedClassifier: false,
    });
    expect(readCheckpointHeader(b.subarray(0, 27))).toBeNull();
  });
});

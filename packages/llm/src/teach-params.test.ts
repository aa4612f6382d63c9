// Hyper-parameter defaults, derived values and the wire bytes the C trainer and step files read.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_HYPER_PARAMETERS,
  PARAMS_BYTES,
  decodeHyperParameters,
  encodeHyperParameters,
  resolveHyperParameters,
  totalSteps,
} from './teach-params.ts';

describe('hyper-parameters', () => {
  it('defaults: beta 0.1, AdamW 5e-5 on a cosine schedule, a tenth of the steps as warmup', () => {
    const hp = resolveHyperParameters(undefined, 95);
    expect(hp).toEqual({ ...DEFAULT_HYPER_PARAMETERS, warmupSteps: 4 });
    expect(hp.beta).toBe(0.1);
    expect(totalSteps(95, hp)).toBe(48); // ceil(95 / 4) = 24 per epoch, 2 epochs
  });

  it('given values win, undefined ones do not erase defaults, and warmup can be set to 0', () => {
    const hp = resolveHyperParameters({ learningRate: 1e-4, epochs: undefined, warmupSteps: 0 }, 10);
    expect(hp.learningRate).toBe(1e-4);
    expect(hp.epochs).toBe(DEFAULT_HYPER_PARAMETERS.epochs);
    expect(hp.warmupSteps).toBe(0);
  });

  it('wire bytes: the documented layout, and they decode back to the same values', () => {
    const hp = resolveHyperParameters({ seed: 2 ** 53 - 1, schedule: 'constant' }, 7);
    const wire = encodeHyperParameters(hp);
    expect(wire).toHaveLength(PARAMS_BYTES);
    const v = new DataView(wire.buffer);
    expect(v.getFloat64(0, true)).toBe(hp.learningRate);
    expect(v.getFloat64(8, true)).toBe(0.1);
    expect(v.getInt32(64, true)).toBe(hp.epochs);
    expect(v.getInt32(76, true)).toBe(1);
    expect(v.getBigUint64(80, true)).toBe(2n ** 53n - 1n);
    expect(decodeHyperParameters(wire)).toEqual(hp);
  });

  it('too many steps is refused before any work', () =>
    expect(() => resolveHyperParameters({ epochs: 100000, batchSize: 1 }, 1000)).toThrow(/too many/));
});

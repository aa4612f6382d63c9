import { describe, expect, it } from 'vitest';
import { deriveFraction, describeDerive } from './derive-progress.ts';

describe('the words for a re-derivation under way', () => {
  it('names the version and the stage, counting from one', () => {
    expect(describeDerive({ version: 1, phase: 'chain' })).toBe(
      'v1: reading its lineage and teach inputs from the chain',
    );
    expect(describeDerive({ version: 2, phase: 'replay', done: 0, of: 3 })).toBe(
      'v2: re-running conversation 1 of 3 of its teach input',
    );
    expect(describeDerive({ version: 2, phase: 'train', pairs: 1, parentVersion: 1 })).toBe(
      'v2: training 1 pair from v1',
    );
    expect(describeDerive({ version: 1, phase: 'train', pairs: 4, parentVersion: 0 })).toBe(
      'v1: training 4 pairs from base',
    );
    expect(describeDerive({ version: 1, phase: 'reference', done: 1, of: 2 })).toBe(
      'v1: reference pass, pair 2 of 2',
    );
    expect(describeDerive({ version: 1, phase: 'step', done: 0, of: 4 })).toBe('v1: training step 1 of 4');
    // the last report comes after the last step: it stays "4 of 4"
    expect(describeDerive({ version: 1, phase: 'step', done: 4, of: 4 })).toBe('v1: training step 4 of 4');
  });
  it('gives the fraction done where it is known', () => {
    expect(deriveFraction({ version: 1, phase: 'step', done: 1, of: 4 })).toBe(0.25);
    expect(deriveFraction({ version: 1, phase: 'replay', done: 0, of: 0 })).toBe(0);
    expect(deriveFraction({ version: 1, phase: 'chain' })).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { addSample, estimateCycles } from './estimate.js';

describe('machine ETA estimate', () => {
  it('has nothing to say before the first accepted input', () => {
    expect(estimateCycles([], 100)).toBeNull();
  });

  it('scales the one amount of work it has seen', () => {
    expect(estimateCycles([{ work: 128, cycles: 768e6 }], 400)).toBe(2.4e9);
  });

  it('fits the fixed part and the cycles per unit of work once the work differs', () => {
    // 200 M fixed + 4 M per unit
    const samples = [
      { work: 128, cycles: 200e6 + 4e6 * 128 },
      { work: 400, cycles: 200e6 + 4e6 * 400 },
    ];
    expect(estimateCycles(samples, 256)).toBe(200e6 + 4e6 * 256);
  });

  it('falls back to the ratio when the line makes no sense, and keeps the last 16 samples', () => {
    expect(
      estimateCycles(
        [
          { work: 10, cycles: 500 },
          { work: 20, cycles: 100 },
        ],
        30,
      ),
    ).toBe(600);
    let s = [{ work: 1, cycles: 1 }];
    for (let i = 0; i < 20; i++) s = addSample(s, { work: 2, cycles: 10 });
    expect(s).toHaveLength(16);
    expect(estimateCycles(s, 4)).toBe(20);
  });
});

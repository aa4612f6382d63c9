import { describe, expect, it } from 'vitest';
import { samplingFloats } from './sampling.ts';

describe('samplingFloats', () => {
  it('is float32 of the thousandths, so every re-run samples with the same bits', () => {
    const { temperature, topp } = samplingFloats({ temperatureMilli: 800, topPMilli: 900 });
    expect(temperature).toBe(Math.fround(0.8));
    expect(topp).toBe(Math.fround(0.9));
    expect(temperature).not.toBe(0.8); // 0.8 has no exact float32: the conversion is visible
    expect(samplingFloats({ temperatureMilli: 0, topPMilli: 1000 })).toEqual({ temperature: 0, topp: 1 });
  });
});

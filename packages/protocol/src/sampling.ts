// The chain, the notices and every backend see sampling parameters as integers in thousandths; the engine works in
// float32. This is the one conversion (docs/interfaces.md): f32(milli / 1000), so a re-run anywhere samples with the
// very same bits the backend used.

export interface SamplingMilli {
  temperatureMilli: number;
  topPMilli: number;
}

export interface SamplingFloats {
  temperature: number;
  topp: number;
}

export function samplingFloats(params: SamplingMilli): SamplingFloats {
  return {
    temperature: Math.fround(params.temperatureMilli / 1000),
    topp: Math.fround(params.topPMilli / 1000),
  };
}

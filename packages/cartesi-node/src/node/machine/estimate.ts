// The ETA of an input in the machine: its cycles estimated from the inputs before it. Cycles grow with the work an
// input asks for (the application says how much: Trust-and-Teach counts the positions of both responses) plus a fixed
// part (reading the input, writing the outputs), so a line through the last accepted inputs is fitted; with a single
// distinct amount of work there is only a ratio.
export interface WorkSample {
  work: number;
  cycles: number;
}

const KEPT = 16;

/** The samples with this one added, the oldest dropped. */
export function addSample(samples: readonly WorkSample[], s: WorkSample): WorkSample[] {
  return [...samples, s].slice(-KEPT);
}

/** Estimated cycles for `work`, or null without samples. */
export function estimateCycles(samples: readonly WorkSample[], work: number): number | null {
  const usable = samples.filter((s) => s.work > 0 && s.cycles > 0);
  if (usable.length === 0) return null;
  const n = usable.length;
  const mw = usable.reduce((a, s) => a + s.work, 0) / n;
  const mc = usable.reduce((a, s) => a + s.cycles, 0) / n;
  const sww = usable.reduce((a, s) => a + (s.work - mw) ** 2, 0);
  if (sww === 0) return Math.round((mc / mw) * work);
  const slope = usable.reduce((a, s) => a + (s.work - mw) * (s.cycles - mc), 0) / sww;
  const fixed = mc - slope * mw;
  // a line from too few or noisy samples can go wrong (negative slope or fixed part): then the plain ratio
  if (slope <= 0 || fixed < 0) return Math.round((mc / mw) * work);
  return Math.round(fixed + slope * work);
}

// The hyper-parameters of DPO fine-tuning: defaults, checks with messages that say what to change, and their wire
// form (88 little-endian bytes, the layout c/train.h's tt_tr_decode_params reads, also stored in step files).
import { llmError } from './errors.ts';

export type LrSchedule = 'cosine' | 'constant';

/** Every value fixed: what a manifest records, and what `tt teach --check` re-runs with. */
export interface HyperParameters {
  /** Peak learning rate of AdamW. */
  learningRate: number;
  /** DPO temperature: how far the policy may move from the reference (larger = stays closer). */
  beta: number;
  /** Passes over the pairs. */
  epochs: number;
  /** Pairs per optimizer step (their gradients are accumulated in their shuffled order). */
  batchSize: number;
  /** Steps of linear warmup from learningRate / warmupSteps up to learningRate. */
  warmupSteps: number;
  /** After warmup: 'cosine' (half a cosine down to learningRate * minLrRatio at the end) or 'constant'. */
  schedule: LrSchedule;
  minLrRatio: number;
  /** AdamW decoupled weight decay, on the matrices only (embedding, projections, classifier; not the norms). */
  weightDecay: number;
  adamBeta1: number;
  adamBeta2: number;
  adamEps: number;
  /** Clip each step's gradient to this global L2 norm (0 = no clipping). */
  maxGradNorm: number;
  /** Seed of the shuffle order of each epoch (an integer in [0, 2^53)). */
  seed: number;
}

/**
 * Defaults for a few dozen to a few thousand pairs on a small model (stories15M / stories260K): learning rates used
 * for DPO on large models (1e-6 .. 5e-7) barely move a 15M-parameter model in a few steps; 5e-5 moves it visibly while
 * the clip at norm 1 and beta 0.1 keep it near the base. warmupSteps defaults to a tenth of all steps.
 */
export const DEFAULT_HYPER_PARAMETERS: Omit<HyperParameters, 'warmupSteps'> = {
  learningRate: 5e-5,
  beta: 0.1,
  epochs: 2,
  batchSize: 4,
  schedule: 'cosine',
  minLrRatio: 0.1,
  weightDecay: 0,
  adamBeta1: 0.9,
  adamBeta2: 0.999,
  adamEps: 1e-8,
  maxGradNorm: 1,
  seed: 0,
};

export const PARAMS_BYTES = 88;

type Check = [key: keyof HyperParameters, ok: (v: number) => boolean, range: string];
const NUMBER_CHECKS: Check[] = [
  ['learningRate', (v) => v > 0 && v <= 1, 'a number in (0, 1]'],
  ['beta', (v) => v > 0 && v <= 1000, 'a number in (0, 1000]'],
  ['epochs', (v) => Number.isInteger(v) && v >= 1 && v <= 100000, 'an integer from 1 to 100000'],
  ['batchSize', (v) => Number.isInteger(v) && v >= 1 && v <= 1000000, 'an integer >= 1'],
  ['warmupSteps', (v) => Number.isInteger(v) && v >= 0 && v <= 2 ** 31 - 1, 'an integer >= 0'],
  ['minLrRatio', (v) => v >= 0 && v <= 1, 'a number in [0, 1]'],
  ['weightDecay', (v) => v >= 0 && v <= 1, 'a number in [0, 1]'],
  ['adamBeta1', (v) => v >= 0 && v < 1, 'a number in [0, 1)'],
  ['adamBeta2', (v) => v >= 0 && v < 1, 'a number in [0, 1)'],
  ['adamEps', (v) => v > 0 && v <= 1, 'a number in (0, 1]'],
  ['maxGradNorm', (v) => v >= 0 && Number.isFinite(v), 'a finite number >= 0 (0 = no clipping)'],
  ['seed', (v) => Number.isSafeInteger(v) && v >= 0, 'an integer in [0, 2^53)'],
];

/** Optimizer steps of a run: ceil(pairs / batchSize) per epoch (the last step of an epoch may have fewer pairs). */
export function totalSteps(pairs: number, hp: Pick<HyperParameters, 'epochs' | 'batchSize'>): number {
  return Math.ceil(pairs / hp.batchSize) * hp.epochs;
}

/** Fills in the defaults (warmupSteps: a tenth of all steps, rounded down) and checks every value. */
export function resolveHyperParameters(
  given: Partial<HyperParameters> | undefined,
  pairs: number,
): HyperParameters {
  const g = given ?? {};
  for (const k of Object.keys(g))
    if (!(k in DEFAULT_HYPER_PARAMETERS) && k !== 'warmupSteps')
      throw llmError(
        'teach-bad-hyperparameter',
        `unknown hyper-parameter '${k}': known are ${[...Object.keys(DEFAULT_HYPER_PARAMETERS), 'warmupSteps'].join(', ')}`,
      );
  const defined = Object.fromEntries(Object.entries(g).filter(([, v]) => v !== undefined));
  const merged = { ...DEFAULT_HYPER_PARAMETERS, ...defined } as Omit<HyperParameters, 'warmupSteps'> & {
    warmupSteps?: number;
  };
  for (const [key, ok, range] of NUMBER_CHECKS) {
    if (key === 'warmupSteps' && merged.warmupSteps === undefined) continue;
    const v = merged[key];
    if (typeof v !== 'number' || !ok(v))
      throw llmError('teach-bad-hyperparameter', `${key} must be ${range}, got ${String(v)}`);
  }
  if (merged.schedule !== 'cosine' && merged.schedule !== 'constant')
    throw llmError(
      'teach-bad-hyperparameter',
      `schedule must be 'cosine' or 'constant', got ${String(merged.schedule)}`,
    );
  const steps = totalSteps(Math.max(pairs, 1), merged);
  if (steps > 10_000_000)
    throw llmError(
      'teach-bad-hyperparameter',
      `${steps} optimizer steps is too many (limit 10,000,000): lower epochs or raise batchSize`,
    );
  return { ...merged, warmupSteps: merged.warmupSteps ?? Math.floor(steps / 10) };
}

/** The 88 wire bytes: 8 float64 (learningRate, beta, weightDecay, adamBeta1, adamBeta2, adamEps, maxGradNorm,
 * minLrRatio), 4 int32 (epochs, batchSize, warmupSteps, schedule 0 cosine / 1 constant), uint64 seed. */
export function encodeHyperParameters(hp: HyperParameters): Uint8Array {
  const out = new Uint8Array(PARAMS_BYTES);
  const v = new DataView(out.buffer);
  [
    hp.learningRate,
    hp.beta,
    hp.weightDecay,
    hp.adamBeta1,
    hp.adamBeta2,
    hp.adamEps,
    hp.maxGradNorm,
    hp.minLrRatio,
  ].forEach((x, i) => v.setFloat64(8 * i, x, true));
  v.setInt32(64, hp.epochs, true);
  v.setInt32(68, hp.batchSize, true);
  v.setInt32(72, hp.warmupSteps, true);
  v.setInt32(76, hp.schedule === 'constant' ? 1 : 0, true);
  v.setBigUint64(80, BigInt(hp.seed), true);
  return out;
}

/** The inverse of encodeHyperParameters (for messages about a step file made with other values). */
export function decodeHyperParameters(wire: Uint8Array): HyperParameters {
  const v = new DataView(wire.buffer, wire.byteOffset, PARAMS_BYTES);
  const f = (i: number) => v.getFloat64(8 * i, true);
  return {
    learningRate: f(0),
    beta: f(1),
    weightDecay: f(2),
    adamBeta1: f(3),
    adamBeta2: f(4),
    adamEps: f(5),
    maxGradNorm: f(6),
    minLrRatio: f(7),
    epochs: v.getInt32(64, true),
    batchSize: v.getInt32(68, true),
    warmupSteps: v.getInt32(72, true),
    schedule: v.getInt32(76, true) === 1 ? 'constant' : 'cosine',
    seed: Number(v.getBigUint64(80, true)),
  };
}

// Model files for the suites: the shared stories260K + tokenizer.bin (never copied into the repo), and the shape of the
// small seeded checkpoints the loader fuzzing corrupts (@tt/llm/testing writes them).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ModelConfig } from '@tt/llm';
import { sharedModels } from '@tt/llm/testing';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const shared = sharedModels();
export const modelsDir = shared.dir;
export const modelFiles = { checkpoint: shared.checkpoint, tokenizer: shared.tokenizer };
export const haveModel = shared.available;
/** Appended to a suite's name when the model is missing, so the skip says why. */
export const modelNote = haveModel ? '' : ` [SKIPPED: ${shared.missingReason}]`;

export const FULL = !!process.env.TT_RELIABILITY_FULL;
/** A size knob: env var if set, else the CI or the full default. */
export function sized(envName: string, ci: number, full: number): number {
  const v = process.env[envName];
  if (v !== undefined && v !== '' && Number.isFinite(Number(v))) return Math.max(0, Math.floor(Number(v)));
  return FULL ? full : ci;
}

let drawn: number | undefined;

/**
 * The seed of a property test: `fixed` unless TT_FUZZ_SEED says otherwise (a number: that seed for every property, to
 * reproduce a run; "random": one new seed for the whole run, as `pnpm test:fuzz` does). Printed, so any failure can be
 * run again.
 */
export function fuzzSeed(fixed: number, what = 'fast-check'): number {
  const env = process.env.TT_FUZZ_SEED;
  if (env === 'random') drawn ??= Math.floor(Math.random() * 2 ** 31);
  const seed = env === 'random' ? drawn! : env ? Number(env) : fixed;
  if (!Number.isSafeInteger(seed))
    throw new Error(`TT_FUZZ_SEED must be an integer or "random", not '${env}'`);
  console.log(`${what}: seed ${seed} (reproduce with TT_FUZZ_SEED=${seed})`);
  return seed;
}

export const SMALL_SHAPE: ModelConfig = {
  dim: 16,
  hiddenDim: 24,
  nLayers: 2,
  nHeads: 4,
  nKvHeads: 2,
  vocabSize: 300,
  seqLen: 32,
  sharedClassifier: false,
};

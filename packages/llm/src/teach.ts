// teach(): DPO fine-tuning as one pure function, (base checkpoint, pairs, hyper-parameters) -> (checkpoint bytes,
// manifest fields, metrics). The same inputs give the same bytes on every build and machine; progress, step files
// and cancellation are side channels that never change a bit. Browser-safe (no Node built-ins): run it in a worker
// to keep a page responsive. `tt teach`, its `--check` and the rollup backend are thin layers over this.
import { llmError } from './errors.ts';
import { modelHash } from './sha256.ts';
import type { PreferencePair } from './teach-pairs.ts';
import type { HyperParameters } from './teach-params.ts';
import { createTrainer, type CreateTrainerOptions, type PairLogProbs, type StepMetrics } from './trainer.ts';
import type { Backend, BackendChoice } from './wasm.ts';

/**
 * Version of the training arithmetic, written into every manifest. Bump it whenever a change could alter any bit of
 * a trained checkpoint (kernels, summation orders, optimizer, schedule, shuffle), so models trained by different
 * engines can be told apart.
 */
export const TEACH_ENGINE_VERSION = '1.0.0';

export interface TeachOptions {
  /** The base llama2.c checkpoint: the starting weights and the frozen reference model. */
  checkpoint: Uint8Array;
  /** The tokenizer, only hashed: modelHash = sha256(checkpoint ‖ tokenizer), the project's model identity. */
  tokenizer: Uint8Array;
  pairs: readonly PreferencePair[];
  /** Missing values take DEFAULT_HYPER_PARAMETERS; the result's manifest has every value. */
  hyperParameters?: Partial<HyperParameters>;
  backend?: BackendChoice;
  wasm?: CreateTrainerOptions['wasm'];
  /** A step file of an earlier, interrupted run with the same inputs: training continues from it. */
  resume?: Uint8Array;
  /** Receives the whole training state after the reference pass and every `stepFileEvery` steps. */
  onStepFile?: (state: Uint8Array, step: number) => void | Promise<void>;
  /** Default 1. */
  stepFileEvery?: number;
  onProgress?: (p: TeachProgress) => void;
  /** Stops between two pairs with LlmError teach-aborted (resume from the last step file). */
  signal?: AbortSignal;
  /** Also measure every pair under the trained model (two forward passes per pair). Default true. */
  evaluate?: boolean;
}

export type TeachPhase = 'reference' | 'train' | 'evaluate';

export interface TeachProgress {
  /** reference: the base model's log-probabilities of each pair; train: optimizer steps; evaluate: the result. */
  phase: TeachPhase;
  /** Optimizer steps done, out of totalSteps. */
  step: number;
  totalSteps: number;
  /** Pairs done in this phase (train: in the current step), out of `of`. */
  pairsDone: number;
  of: number;
  /** The metrics of the step that just finished (train phase, once per step). */
  metrics?: StepMetrics;
  /** Positions run forward and backward per second of training so far (0 before the first pair). */
  tokensPerSecond: number;
  elapsedSeconds: number;
  /** Estimated from the work done so far (a training pair counts three forward passes); null until measurable. */
  etaSeconds: number | null;
}

export interface TeachEvaluation {
  /** Per pair, in input order: log-probabilities under the trained model and under the base. */
  pairs: PairLogProbs[];
  /** Mean over pairs of log p(chosen) - log p(rejected) under the base... */
  baseMargin: number;
  /** ...and under the trained model. */
  trainedMargin: number;
  /** Pairs whose chosen-minus-rejected margin grew. */
  improvedPairs: number;
}

/** The fields of model.json this package can fill; the CLI adds datasetCommitment and the chain block. */
export interface TeachManifest {
  parentHash: `0x${string}`;
  modelHash: `0x${string}`;
  pairs: number;
  steps: number;
  hyperParameters: HyperParameters;
  engineVersion: string;
}

export interface TeachResult {
  /** The trained model: a complete llama2.c checkpoint with the base's header (every reader of the base reads it). */
  checkpoint: Uint8Array;
  modelHash: `0x${string}`;
  parentHash: `0x${string}`;
  manifest: TeachManifest;
  /** Per optimizer step, deterministic (identical across builds, runs and resumes). */
  metrics: StepMetrics[];
  evaluation: TeachEvaluation | null;
  backend: Backend;
  /** Wall-clock figures of this run (not deterministic; never in the manifest). */
  timing: { seconds: number; trainSeconds: number; tokensPerSecond: number };
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
const now = () => globalThis.performance?.now() ?? Date.now();

/** Trains and returns the new checkpoint. Throws LlmError (teach-*) with what to do; on an error nothing is returned. */
export async function teach(opts: TeachOptions): Promise<TeachResult> {
  const every = opts.stepFileEvery ?? 1;
  if (!Number.isInteger(every) || every < 1)
    throw llmError('bad-argument', `stepFileEvery must be an integer >= 1, got ${String(every)}`);
  const evaluate = opts.evaluate ?? true;
  const started = now();
  const trainer = await createTrainer(opts);
  try {
    if (opts.resume) trainer.loadState(opts.resume);
    const n = trainer.pairCount;
    const total = trainer.totalSteps;
    // Work in forward passes of a pair, for the ETA: reference 1, training 3 (forward + backward), evaluation 1.
    const work = n + 3 * n * trainer.hyperParameters.epochs + (evaluate ? n : 0);
    let done =
      trainer.referenceDone +
      3 * Math.min(trainer.step * trainer.hyperParameters.batchSize, n * trainer.hyperParameters.epochs);
    const doneAtStart = done;
    let trainTokens = 0;
    let trainMs = 0;
    const report = (phase: TeachPhase, pairsDone: number, of: number, metrics?: StepMetrics) => {
      if (!opts.onProgress) return;
      const elapsed = (now() - started) / 1000;
      const rate = (done - doneAtStart) / elapsed;
      opts.onProgress({
        phase,
        step: trainer.step,
        totalSteps: total,
        pairsDone,
        of,
        ...(metrics ? { metrics } : {}),
        tokensPerSecond: trainMs > 0 ? trainTokens / (trainMs / 1000) : 0,
        elapsedSeconds: elapsed,
        etaSeconds: done > doneAtStart && elapsed > 0 ? (work - done) / rate : null,
      });
    };
    const stopIfAsked = () => {
      if (opts.signal?.aborted)
        throw llmError(
          'teach-aborted',
          `training was stopped after step ${trainer.step} of ${total}: resume it from its last step file`,
        );
    };
    const saveStepFile = async () => {
      if (opts.onStepFile) await opts.onStepFile(trainer.saveState(), trainer.step);
    };

    if (trainer.referenceDone < n) {
      while (trainer.referenceDone < n) {
        stopIfAsked();
        trainer.reference();
        done += 1;
        report('reference', trainer.referenceDone, n);
        await nextTask();
      }
      await saveStepFile();
    }
    while (trainer.step < total) {
      stopIfAsked();
      const t0 = now();
      const pairs = trainer.beginStep();
      let ms = now() - t0;
      for (let k = 0; k < pairs; k++) {
        const t1 = now();
        trainer.stepPair();
        ms += now() - t1;
        done += 3;
        report('train', k + 1, pairs);
        await nextTask();
        stopIfAsked();
      }
      const t2 = now();
      const metrics = trainer.endStep();
      trainMs += ms + (now() - t2);
      trainTokens += metrics.tokens;
      report('train', pairs, pairs, metrics);
      if (trainer.step % every === 0 || trainer.step === total) await saveStepFile();
    }

    let evaluation: TeachEvaluation | null = null;
    if (evaluate) {
      const rows: PairLogProbs[] = [];
      for (let i = 0; i < n; i++) {
        stopIfAsked();
        rows.push(trainer.evaluate(i));
        done += 1;
        report('evaluate', i + 1, n);
        await nextTask();
      }
      evaluation = summarize(rows);
    }

    const checkpoint = trainer.checkpoint();
    const [hash, parent] = await Promise.all([
      modelHash(checkpoint, opts.tokenizer),
      modelHash(opts.checkpoint, opts.tokenizer),
    ]);
    const manifest: TeachManifest = {
      parentHash: parent,
      modelHash: hash,
      pairs: n,
      steps: total,
      hyperParameters: trainer.hyperParameters,
      engineVersion: TEACH_ENGINE_VERSION,
    };
    return {
      checkpoint,
      modelHash: hash,
      parentHash: parent,
      manifest,
      metrics: trainer.metrics(),
      evaluation,
      backend: trainer.backend,
      timing: {
        seconds: (now() - started) / 1000,
        trainSeconds: trainMs / 1000,
        tokensPerSecond: trainMs > 0 ? trainTokens / (trainMs / 1000) : 0,
      },
    };
  } finally {
    trainer.dispose();
  }
}

function summarize(rows: PairLogProbs[]): TeachEvaluation {
  const mean = (f: (r: PairLogProbs) => number) => rows.reduce((s, r) => s + f(r), 0) / rows.length;
  return {
    pairs: rows,
    baseMargin: mean((r) => r.baseChosen - r.baseRejected),
    trainedMargin: mean((r) => r.chosen - r.rejected),
    improvedPairs: rows.filter((r) => r.chosen - r.rejected > r.baseChosen - r.baseRejected).length,
  };
}

// Training for `tt teach`: one of three builds of the same trainer (wasm-simd, wasm-scalar, native gcc: the same
// bytes from each), resumed from the run's step file when one is there, and the margins of the pairs under the base
// and the trained model.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTrainer,
  LlmError,
  modelHash,
  readStepFile,
  resolveBackend,
  resolveHyperParameters,
  runTeachNative,
  stepFileWriter,
  teach,
  totalSteps,
  trainNativePath,
  type HyperParameters,
  type PreferencePair,
  type StepMetrics,
} from '@tt/llm/node';
import type { Hex } from '@tt/protocol';
import type { TeachEvaluationSummary } from '@tt/client';
import type { ProgressState } from './progress.ts';

export type TeachBackend = 'simd' | 'scalar' | 'native';
export const TEACH_BACKENDS: readonly TeachBackend[] = ['simd', 'scalar', 'native'];

/**
 * The default build: WebAssembly SIMD (scalar where the runtime has no trustworthy SIMD). It trains as fast as the
 * native build (`pnpm bench:teach`: wasm-simd/native ≈ 1.1 on a stories15M shape), needs no C compiler, writes a step
 * file after every step (so an interrupted run resumes) and reports progress per pair; the native build writes no
 * step file mid-run and exists where gcc did at build time. All three give the same bytes.
 */
export function defaultTeachBackend(): TeachBackend {
  return resolveBackend('auto');
}

export interface TrainOptions {
  checkpoint: Uint8Array;
  /** The checkpoint on disk, when it is a file (the native build reads a file; otherwise a temporary copy is made). */
  checkpointPath?: string;
  tokenizer: Uint8Array;
  pairs: readonly PreferencePair[];
  hyperParameters: HyperParameters;
  backend: TeachBackend;
  /** The run's step file: resumed from when it exists, replaced after every step (wasm builds). */
  stepFile: string;
  signal?: AbortSignal;
  onProgress?: (p: ProgressState) => void;
}

export interface TrainOutcome {
  checkpoint: Uint8Array;
  modelHash: Hex;
  parentHash: Hex;
  steps: number;
  metrics: StepMetrics[];
  /** Steps already done in the step file this run resumed from, or null for a fresh run. */
  resumedFrom: number | null;
  /** Wall-clock figures of this run (never in the manifest). */
  seconds: number;
  tokensPerSecond: number;
}

/** The optimizer steps a step file holds, from its header (int32 at byte 120, little-endian; c/train.c). */
export function stepsInStepFile(state: Uint8Array): number | null {
  if (state.length < 160) return null;
  return new DataView(state.buffer, state.byteOffset, state.byteLength).getInt32(120, true);
}

/**
 * Steps between step files: every step for a run of up to 100, else about 100 in all (a stories15M step file is
 * 183 MB; an interruption then costs at most 1 % of the run). The last step always writes one.
 */
export function stepFileEvery(total: number): number {
  return Math.max(1, Math.ceil(total / 100));
}

export async function train(opts: TrainOptions): Promise<TrainOutcome> {
  const started = performance.now();
  const resume = await readStepFile(opts.stepFile);
  if (opts.backend === 'native') return trainNative(opts, resume, started);
  const r = await teach({
    checkpoint: opts.checkpoint,
    tokenizer: opts.tokenizer,
    pairs: opts.pairs,
    hyperParameters: opts.hyperParameters,
    backend: opts.backend,
    resume,
    onStepFile: stepFileWriter(opts.stepFile),
    stepFileEvery: stepFileEvery(totalSteps(opts.pairs.length, opts.hyperParameters)),
    signal: opts.signal,
    evaluate: false,
    onProgress: opts.onProgress,
  });
  return {
    checkpoint: r.checkpoint,
    modelHash: r.modelHash,
    parentHash: r.parentHash,
    steps: r.manifest.steps,
    metrics: r.metrics,
    resumedFrom: resume ? stepsInStepFile(resume) : null,
    seconds: (performance.now() - started) / 1000,
    tokensPerSecond: r.timing.tokensPerSecond,
  };
}

async function trainNative(
  opts: TrainOptions,
  resume: Uint8Array | undefined,
  started: number,
): Promise<TrainOutcome> {
  if (!trainNativePath())
    throw new LlmError(
      'native-unavailable',
      'the native trainer (packages/llm/dist/llm-train-native) is not built: install gcc and run `pnpm build`, or leave out --backend native',
    );
  const dir = await mkdtemp(join(tmpdir(), 'tt-teach-native-'));
  try {
    let checkpointPath = opts.checkpointPath;
    if (!checkpointPath) {
      checkpointPath = join(dir, 'base.bin');
      await writeFile(checkpointPath, opts.checkpoint);
    }
    const outPath = join(dir, 'model.bin');
    const total = totalSteps(opts.pairs.length, opts.hyperParameters);
    const done0 = resume ? (stepsInStepFile(resume) ?? 0) : 0;
    let tokens = 0;
    let ms = 0;
    opts.onProgress?.({
      phase: 'train',
      step: done0,
      totalSteps: total,
      pairsDone: 0,
      of: 0,
      tokensPerSecond: 0,
      etaSeconds: null,
    });
    const r = await runTeachNative({
      checkpointPath,
      pairs: opts.pairs,
      hyperParameters: opts.hyperParameters,
      outPath,
      ...(resume ? { stateIn: opts.stepFile } : {}),
      onStep: (m, t) => {
        tokens += m.tokens;
        ms += t.pairMs + t.updateMs;
        const rate = ms > 0 ? tokens / (ms / 1000) : 0;
        const perStep = ms / 1000 / (m.step + 1 - done0);
        opts.onProgress?.({
          phase: 'train',
          step: m.step + 1,
          totalSteps: total,
          pairsDone: m.pairs,
          of: m.pairs,
          metrics: m,
          tokensPerSecond: rate,
          etaSeconds: perStep * (total - m.step - 1),
        });
      },
    });
    const checkpoint = new Uint8Array(await readFile(outPath));
    const [hash, parent] = await Promise.all([
      modelHash(checkpoint, opts.tokenizer),
      modelHash(opts.checkpoint, opts.tokenizer),
    ]);
    return {
      checkpoint,
      modelHash: hash,
      parentHash: parent,
      steps: r.totalSteps,
      metrics: r.metrics,
      resumedFrom: resume ? done0 : null,
      seconds: (performance.now() - started) / 1000,
      tokensPerSecond: ms > 0 ? tokens / (ms / 1000) : 0,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Each pair's log p(chosen) − log p(rejected) under the base and under the trained model, averaged in pair order.
 * Measured the same way whatever build trained (a reference pass of the WebAssembly trainer loaded with each
 * checkpoint), so the manifest holds the same numbers from every build.
 */
export async function measureMargins(args: {
  base: Uint8Array;
  trained: Uint8Array;
  pairs: readonly PreferencePair[];
  backend: TeachBackend;
}): Promise<TeachEvaluationSummary> {
  const backend = args.backend === 'native' ? 'auto' : args.backend;
  const margins = async (checkpoint: Uint8Array) => {
    const trainer = await createTrainer({ checkpoint, pairs: args.pairs, backend });
    try {
      const out: number[] = [];
      for (let i = 0; i < args.pairs.length; i++) {
        trainer.reference();
        const r = trainer.evaluate(i);
        out.push(r.baseChosen - r.baseRejected);
      }
      return out;
    } finally {
      trainer.dispose();
    }
  };
  const before = await margins(args.base);
  const after = await margins(args.trained);
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    baseMargin: mean(before),
    trainedMargin: mean(after),
    improvedPairs: after.filter((m, i) => m > before[i]!).length,
  };
}

/** The hyper-parameters of a run: the defaults, the flags over them, every value resolved (what the manifest holds). */
export function runHyperParameters(given: Partial<HyperParameters>, pairs: number): HyperParameters {
  return resolveHyperParameters(given, pairs);
}

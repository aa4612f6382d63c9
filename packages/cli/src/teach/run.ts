// One training run of `tt teach`, after the dataset is built: train (resuming from the run's step file), measure the
// margins, write model.bin, the plot and model.json, and only then drop the step file. Nothing here talks to the
// chain, so the tests drive it directly with small models too.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  teachManifest,
  TtError,
  type ChainSnapshot,
  type PreferenceDataset,
  type TeachManifestFile,
} from '@tt/client';
import {
  ENGINE_VERSION,
  modelHash,
  TEACH_ENGINE_VERSION,
  teachPlotSvg,
  type HyperParameters,
} from '@tt/llm/node';
import type { Hex } from '@tt/protocol';
import { defaultOutDir, ensureDir, OUTPUT_FILES, runKey, stepFilePath, writeOutputs } from './outputs.ts';
import type { ProgressState } from './progress.ts';
import { measureMargins, runHyperParameters, train, type TeachBackend } from './train.ts';

export interface BaseModel {
  checkpoint: Uint8Array;
  tokenizer: Uint8Array;
  /** The checkpoint's file, when it is one (the native build reads it from disk). */
  checkpointPath?: string;
}

export interface TeachRunOptions {
  base: BaseModel;
  snapshot: Pick<ChainSnapshot, 'block' | 'blockHash' | 'chainId' | 'contract'>;
  dataset: PreferenceDataset;
  /** The flags given; the rest take the trainer's defaults. */
  hyperParameters: Partial<HyperParameters>;
  backend: TeachBackend;
  /** Default: <repoRoot>/.tt/teach/<run key>. */
  outDir?: string;
  repoRoot: string;
  signal?: AbortSignal;
  onProgress?: (p: ProgressState) => void;
}

export interface TeachRunResult {
  manifest: TeachManifestFile;
  outDir: string;
  paths: { model: string; manifest: string; plot: string };
  runKey: string;
  /** Steps the run found done in its step file, or null for a fresh start. */
  resumedFrom: number | null;
  seconds: number;
  tokensPerSecond: number;
}

/** The dataset has no pair: say why, with the next step. */
export function explainEmptyDataset(dataset: PreferenceDataset): TtError {
  const c = dataset.counts;
  if (c.ties > 0 && c.identical === 0 && c.otherModel === 0)
    return new TtError(
      'dataset-only-ties',
      `no pairs to train on: every ranked conversation is a tie (${c.ties} of them: as many rankers chose each response)`,
      'one more ranking breaks a tie: `pnpm tt rank ID --confirm --account N` (or --switch)',
    );
  const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
  const parts = [
    c.unanswered && `${c.unanswered} without both responses on chain`,
    c.unranked && `${c.unranked} unranked`,
    c.ties && plural(c.ties, 'tie'),
    c.identical && `${c.identical} with two identical responses`,
    c.otherModel && `${c.otherModel} answered by another model`,
  ].filter(Boolean);
  const what =
    c.conversations === 0
      ? 'the contract has no conversations yet'
      : `${plural(c.conversations, 'conversation')}: ${parts.join(', ')}`;
  return new TtError(
    'dataset-empty',
    `no pairs to train on: ${what}`,
    c.conversations === 0
      ? 'send prompts, post and rank them first: `pnpm tt prompt "…" --wait`, `pnpm tt post ID --wait`, `pnpm tt rank ID --confirm`'
      : 'post and rank some conversations first: `pnpm tt post ID --wait`, then `pnpm tt rank ID --confirm` (or --switch)',
  );
}

export async function runTeach(opts: TeachRunOptions): Promise<TeachRunResult> {
  const { dataset, base } = opts;
  if (dataset.pairs.length === 0) throw explainEmptyDataset(dataset);
  const hp = runHyperParameters(opts.hyperParameters, dataset.pairs.length);
  const parentHash = (await modelHash(base.checkpoint, base.tokenizer)) as Hex;
  const key = runKey(parentHash, dataset.commitment, hp);
  const outDir = opts.outDir ?? defaultOutDir(opts.repoRoot, key);
  const stepFile = stepFilePath(outDir, key);
  await ensureDir(outDir);

  const outcome = await train({
    checkpoint: base.checkpoint,
    checkpointPath: base.checkpointPath,
    tokenizer: base.tokenizer,
    pairs: dataset.pairs,
    hyperParameters: hp,
    backend: opts.backend,
    stepFile,
    signal: opts.signal,
    onProgress: opts.onProgress,
  });
  const evaluation = await measureMargins({
    base: base.checkpoint,
    trained: outcome.checkpoint,
    pairs: dataset.pairs,
    backend: opts.backend,
  });
  const manifest = teachManifest({
    snapshot: opts.snapshot,
    dataset,
    modelHash: outcome.modelHash,
    parentHash: outcome.parentHash,
    steps: outcome.steps,
    hyperParameters: hp,
    engineVersion: TEACH_ENGINE_VERSION,
    inferenceEngineVersion: ENGINE_VERSION,
    evaluation,
    metrics: outcome.metrics,
    files: { model: OUTPUT_FILES.model, plot: OUTPUT_FILES.plot },
  });
  const svg = teachPlotSvg(outcome.metrics, {
    title: `DPO fine-tuning: ${dataset.pairs.length} pairs, ${outcome.steps} steps → ${outcome.modelHash.slice(0, 14)}…`,
  });
  await writeOutputs(
    outDir,
    [
      [OUTPUT_FILES.model, outcome.checkpoint],
      [OUTPUT_FILES.plot, svg],
      [OUTPUT_FILES.manifest, JSON.stringify(manifest, null, 2) + '\n'],
    ],
    stepFileKept(opts.backend) ? stepFile : null,
  );
  await rm(stepFile, { force: true });
  return {
    manifest,
    outDir,
    paths: {
      model: join(outDir, OUTPUT_FILES.model),
      manifest: join(outDir, OUTPUT_FILES.manifest),
      plot: join(outDir, OUTPUT_FILES.plot),
    },
    runKey: key,
    resumedFrom: outcome.resumedFrom,
    seconds: outcome.seconds,
    tokensPerSecond: outcome.tokensPerSecond,
  };
}

/** The WebAssembly builds keep a step file after every step; the native one only reads one. */
function stepFileKept(backend: TeachBackend): boolean {
  return backend !== 'native';
}

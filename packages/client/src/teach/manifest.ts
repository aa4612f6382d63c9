// model.json, the manifest `tt teach` writes next to a fine-tuned model: what it was trained from (base model, dataset
// commitment, the chain block the dataset was read at), how (every hyper-parameter, the trainer's version), and what
// came out (modelHash, per-step metrics, margins before and after). `tt teach --check` re-runs the training from it;
// the UI plots its metrics. Everything in it is deterministic: the same run gives the same bytes on every build.
// Shape and fields: docs/interfaces.md, "Fine-tuned model manifest".
import { STEP_METRIC_FIELDS } from '@tt/llm/metrics';
import type { HyperParameters, StepMetrics } from '@tt/llm';
import type { Hex } from '@tt/protocol';
import { TtError } from '../errors.ts';
import type { DatasetCounts, PreferenceDataset } from './dataset.ts';
import type { ChainSnapshot } from './snapshot.ts';

export const TEACH_MANIFEST_FORMAT = 'trust-and-teach:teach-manifest:v1';

export interface TeachEvaluationSummary {
  /** Mean over the pairs of log p(chosen) − log p(rejected) under the base model… */
  baseMargin: number;
  /** …and under the trained one. */
  trainedMargin: number;
  /** Pairs whose margin grew. */
  improvedPairs: number;
}

export interface TeachManifestFile {
  format: typeof TEACH_MANIFEST_FORMAT;
  /** sha256(model.bin ‖ tokenizer): the trained model's identity, as for every model here. */
  modelHash: Hex;
  /** The base model's (the contract's model). */
  parentHash: Hex;
  /** keccak256 of the dataset's canonical encoding. */
  datasetCommitment: Hex;
  /** The chain the dataset was read from, as of this block. */
  block: number;
  blockHash: Hex;
  chainId: number;
  contract: Hex;
  pairs: number;
  /** Optimizer steps. */
  steps: number;
  hyperParameters: HyperParameters;
  /** The training arithmetic's version (@tt/llm TEACH_ENGINE_VERSION). */
  engineVersion: string;
  /** The inference engine that re-ran the responses for their token ids (@tt/llm ENGINE_VERSION). */
  inferenceEngineVersion: string;
  dataset: {
    counts: DatasetCounts;
    /** Per pair, in dataset order: the conversation, the response preferred, the votes for response 0 and 1. */
    pairs: { conversationId: string; chosenIndex: 0 | 1; votes: [number, number] }[];
    /** Conversations left out because their rankers were split evenly. */
    ties: string[];
  };
  evaluation: TeachEvaluationSummary;
  /** Per optimizer step (the plot's data). */
  metrics: StepMetrics[];
  /** The files next to this one. */
  files: { model: string; plot: string };
}

export function teachManifest(args: {
  snapshot: Pick<ChainSnapshot, 'block' | 'blockHash' | 'chainId' | 'contract'>;
  dataset: PreferenceDataset;
  modelHash: Hex;
  parentHash: Hex;
  steps: number;
  hyperParameters: HyperParameters;
  engineVersion: string;
  inferenceEngineVersion: string;
  evaluation: TeachEvaluationSummary;
  metrics: StepMetrics[];
  files: { model: string; plot: string };
}): TeachManifestFile {
  const { snapshot, dataset } = args;
  const votes = new Map(dataset.entries.map((e) => [e.conversationId, e.votes]));
  return {
    format: TEACH_MANIFEST_FORMAT,
    modelHash: args.modelHash,
    parentHash: args.parentHash,
    datasetCommitment: dataset.commitment,
    block: snapshot.block,
    blockHash: snapshot.blockHash,
    chainId: snapshot.chainId,
    contract: snapshot.contract,
    pairs: dataset.pairs.length,
    steps: args.steps,
    hyperParameters: args.hyperParameters,
    engineVersion: args.engineVersion,
    inferenceEngineVersion: args.inferenceEngineVersion,
    dataset: {
      counts: dataset.counts,
      pairs: dataset.pairs.map((p) => ({
        conversationId: p.conversationId.toString(),
        chosenIndex: p.chosenIndex,
        votes: votes.get(p.conversationId)!,
      })),
      ties: dataset.entries.filter((e) => e.status === 'tie').map((e) => e.conversationId.toString()),
    },
    evaluation: args.evaluation,
    metrics: args.metrics,
    files: args.files,
  };
}

const HASH = /^0x[0-9a-fA-F]{64}$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/**
 * Checks a parsed model.json (from a file or a user's upload: untrusted) and returns it typed; anything missing or of
 * the wrong kind is TtError bad-manifest naming the field. The hyper-parameters' ranges are the trainer's to check.
 */
export function parseTeachManifest(value: unknown, source = 'model.json'): TeachManifestFile {
  const fail = (field: string, problem: string) =>
    new TtError(
      'bad-manifest',
      `${source} is not a fine-tuned model manifest: ${field} ${problem}`,
      'pass the model.json that `pnpm tt teach` wrote',
    );
  const obj = (v: unknown, field: string): Record<string, unknown> => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw fail(field, 'must be an object');
    return v as Record<string, unknown>;
  };
  const m = obj(value, 'the file');
  if (m.format !== TEACH_MANIFEST_FORMAT) throw fail('format', `must be "${TEACH_MANIFEST_FORMAT}"`);
  const hex = (field: string, re: RegExp) => {
    if (typeof m[field] !== 'string' || !re.test(m[field]))
      throw fail(field, 'must be 0x-hex of the right length');
  };
  const int = (v: unknown, field: string) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
      throw fail(field, 'must be an integer >= 0');
  };
  const str = (v: unknown, field: string) => {
    if (typeof v !== 'string' || v.length === 0) throw fail(field, 'must be a non-empty string');
  };
  for (const f of ['modelHash', 'parentHash', 'datasetCommitment', 'blockHash']) hex(f, HASH);
  hex('contract', ADDRESS);
  for (const f of ['block', 'chainId', 'pairs', 'steps']) int(m[f], f);
  str(m.engineVersion, 'engineVersion');
  str(m.inferenceEngineVersion, 'inferenceEngineVersion');
  const hp = obj(m.hyperParameters, 'hyperParameters');
  for (const [k, v] of Object.entries(hp))
    if (typeof v !== 'number' && !(k === 'schedule' && typeof v === 'string'))
      throw fail(`hyperParameters.${k}`, 'must be a number');
  const dataset = obj(m.dataset, 'dataset');
  const counts = obj(dataset.counts, 'dataset.counts');
  for (const [k, v] of Object.entries(counts)) int(v, `dataset.counts.${k}`);
  if (!Array.isArray(dataset.pairs) || dataset.pairs.length !== m.pairs)
    throw fail('dataset.pairs', `must list the ${String(m.pairs)} pairs`);
  dataset.pairs.forEach((p, i) => {
    const pair = obj(p, `dataset.pairs[${i}]`);
    if (typeof pair.conversationId !== 'string' || !/^\d+$/.test(pair.conversationId))
      throw fail(`dataset.pairs[${i}].conversationId`, 'must be a decimal string');
    if (pair.chosenIndex !== 0 && pair.chosenIndex !== 1)
      throw fail(`dataset.pairs[${i}].chosenIndex`, 'must be 0 or 1');
    if (!Array.isArray(pair.votes) || pair.votes.length !== 2)
      throw fail(`dataset.pairs[${i}].votes`, 'must be [n0, n1]');
    pair.votes.forEach((v, j) => int(v, `dataset.pairs[${i}].votes[${j}]`));
  });
  if (!Array.isArray(dataset.ties) || !dataset.ties.every((t) => typeof t === 'string' && /^\d+$/.test(t)))
    throw fail('dataset.ties', 'must be a list of decimal conversation ids');
  const evaluation = obj(m.evaluation, 'evaluation');
  for (const f of ['baseMargin', 'trainedMargin', 'improvedPairs'])
    if (typeof evaluation[f] !== 'number' || !Number.isFinite(evaluation[f]))
      throw fail(`evaluation.${f}`, 'must be a number');
  if (!Array.isArray(m.metrics) || m.metrics.length !== m.steps)
    throw fail('metrics', `must have one entry per optimizer step (${String(m.steps)})`);
  m.metrics.forEach((row, s) => {
    const r = obj(row, `metrics[${s}]`);
    for (const f of STEP_METRIC_FIELDS)
      if (typeof r[f] !== 'number' || !Number.isFinite(r[f]))
        throw fail(`metrics[${s}].${f}`, 'must be a finite number');
    if (r.step !== s) throw fail(`metrics[${s}].step`, `must be ${s}`);
  });
  const files = obj(m.files, 'files');
  for (const f of ['model', 'plot']) {
    const name = files[f];
    // Plain names next to the manifest: a manifest must not point a reader elsewhere on the disk.
    if (typeof name !== 'string' || !/^[\w.-]+$/.test(name) || name.startsWith('.'))
      throw fail(`files.${f}`, 'must be a plain file name');
  }
  return m as unknown as TeachManifestFile;
}

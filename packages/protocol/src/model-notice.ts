// The notices the backend emits while it fine-tunes inside the rollup (docs/interfaces.md, "Outputs of the backend"):
// a `teach` notice for every input that trained (the steps it ran, so a UI can show the machine's progress) and a
// `model` notice when a version is complete, next to its registerModel voucher. UTF-8 JSON, keys in this order.
import type { Hex } from './bytes.ts';
import { NoticeError } from './errors.ts';
import { noticeJson } from './notice.ts';

/** What a step of training reports (a subset of @tt/llm's StepMetrics, all deterministic). */
export interface TrainStepMetrics {
  step: number;
  loss: number;
  accuracy: number;
  rewardMargin: number;
  learningRate: number;
}

export interface TeachProgressNotice {
  type: 'teach';
  /** The InputBox index of the teach input whose dataset is being trained. */
  teachInputIndex: number;
  /** The model being fine-tuned (also the DPO reference). */
  parentHash: Hex;
  datasetCommitment: Hex;
  pairs: number;
  /** Pairs whose reference pass is done (all of them before the first step). */
  referenceDone: number;
  /** Optimizer steps done so far, of totalSteps. */
  step: number;
  totalSteps: number;
  /** The steps this input ran. */
  metrics: TrainStepMetrics[];
}

export interface ModelNotice {
  type: 'model';
  modelHash: Hex;
  parentHash: Hex;
  datasetCommitment: Hex;
  teachInputIndex: number;
  pairs: number;
  steps: number;
  /** The last step's loss. */
  loss: number;
  /** Every step's metrics, in order (the loss curve). */
  metrics: TrainStepMetrics[];
  /** @tt/llm HyperParameters, every value. */
  hyperParameters: Record<string, number | string>;
  /** The same, as the 88-byte wire form registerModel carries. */
  hyperParametersHex: Hex;
  /** @tt/llm TEACH_ENGINE_VERSION. */
  engineVersion: string;
}

export type TeachNotice = TeachProgressNotice | ModelNotice;

export function encodeTeachNotice(n: TeachNotice): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(n));
}

const HASH = /^0x[0-9a-fA-F]{64}$/;

/**
 * Reads a notice payload (bytes or 0x-hex); null for notices of other types. Throws NoticeError for a teach or model
 * notice that breaks the format.
 */
export function parseTeachNotice(payload: Uint8Array | string): TeachNotice | null {
  const j = noticeJson(payload);
  if (!j || (j.type !== 'teach' && j.type !== 'model')) return null;
  const int = (k: string) => {
    if (!Number.isSafeInteger(j[k]) || (j[k] as number) < 0)
      throw new NoticeError(`'${k}' is not a non-negative integer`);
  };
  const hash = (k: string) => {
    if (typeof j[k] !== 'string' || !HASH.test(j[k] as string))
      throw new NoticeError(`'${k}' is not 0x + 64 hex digits`);
  };
  for (const k of ['teachInputIndex', 'pairs']) int(k);
  for (const k of ['parentHash', 'datasetCommitment']) hash(k);
  if (
    !Array.isArray(j.metrics) ||
    !j.metrics.every(
      (m) => m !== null && typeof m === 'object' && typeof (m as TrainStepMetrics).loss === 'number',
    )
  )
    throw new NoticeError("'metrics' is not a list of step metrics");
  if (j.type === 'teach') {
    int('step');
    int('referenceDone');
    int('totalSteps');
  } else {
    hash('modelHash');
    int('steps');
    if (typeof j.hyperParametersHex !== 'string' || !/^0x([0-9a-fA-F]{2})*$/.test(j.hyperParametersHex))
      throw new NoticeError("'hyperParametersHex' is not 0x-hex");
  }
  return j as unknown as TeachNotice;
}

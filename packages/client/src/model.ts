// The conversation as the client sees it, assembled from contract events and views (the record) and the rollup node's
// GraphQL reader (progress before the record exists). Everything the exporter and the stage logic need, nothing more.

import type { Hex, SamplingMilli } from '@tt/protocol';

export type { Hex };

/** Sampling parameters exactly as on the wire (docs/interfaces.md): integers, thousandths for the floats. */
export interface GenerationParams extends SamplingMilli {
  steps: number;
}

/** One response as recorded on chain by the executed voucher. */
export interface PostedResponse {
  responseIndex: 0 | 1;
  /** The exact bytes posted on chain. */
  bytes: Uint8Array;
  seed: bigint;
  modelHash: Hex;
  /** keccak256 of the bytes as stored by the contract, when the contract keeps it. */
  textHash?: Hex;
  /** Block timestamp (seconds) of the voucher execution. */
  postedAt?: number;
  txHash?: Hex;
}

/**
 * A ranking is a preference order over the two responses: `order[0]` is the preferred response index.
 * Confirm keeps the displayed order ([0, 1]); Switch swaps it ([1, 0]).
 */
export type RankingOrder = readonly [0, 1] | readonly [1, 0];

export interface Ranking {
  ranker: Hex;
  order: RankingOrder;
  /** Block timestamp (seconds) of the latest ranking by this account: a ranker can change their mind. */
  rankedAt: number;
  txHash?: Hex;
}

export interface Conversation {
  id: bigint;
  /** Global InputBox index of the prompt's input, the key into the rollup node. */
  inputIndex: number;
  author: Hex;
  /** The prompt's exact bytes (the contract takes bytes; nothing guarantees UTF-8). */
  prompt: Uint8Array;
  params: GenerationParams;
  /**
   * The model that answers it: the contract's base model, or the fine-tuned version the prompt asked for (its
   * PromptModel event); responses carry the hash they were produced with, and the contract checks they agree.
   */
  modelHash: Hex;
  /** The model version (0 = the base) the prompt went to. */
  modelVersion?: number;
  /** Block timestamp (seconds) of the prompt transaction. */
  promptedAt: number;
  promptTxHash?: Hex;
  /** Responses recorded on chain, by index; undefined until its voucher is executed. */
  responses: [PostedResponse | undefined, PostedResponse | undefined];
  /** Latest ranking per ranker, in the order they were first submitted. */
  rankings: Ranking[];
  /** The TrustAndTeach contract it was read from: the only destination its vouchers may have. */
  trustAndTeach?: Hex;
  /** The contract's rejection reason code when the backend's refusal is recorded (status Rejected); else 0/absent. */
  rejectionReason?: number;
}

export const CONFIRM: RankingOrder = [0, 1];
export const SWITCH: RankingOrder = [1, 0];

/** Parses `1,0` / `0,1` (the CLI's --order) into a ranking order. */
export function parseOrder(text: string): RankingOrder {
  const parts = text.split(',').map((s) => s.trim());
  if (parts.length === 2 && parts[0] === '0' && parts[1] === '1') return CONFIRM;
  if (parts.length === 2 && parts[0] === '1' && parts[1] === '0') return SWITCH;
  throw new Error(
    `a ranking order is '0,1' (keep the order) or '1,0' (prefer the second response), not '${text}'`,
  );
}

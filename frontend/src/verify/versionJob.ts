// What the page reads from the chain to verify a response of a fine-tuned version: the same reads as `tt verify`
// (@tt/client readRederiveInputs, registeredVersionOf); the registered hash is the reference, never the node's word.
import type { Conversation, ReadOptions } from '@tt/client';

/** The chain as Verify reads it: TrustAndTeach, its provider and deployment block. */
export type ChainReader = Omit<ReadOptions, 'ids'>;

/** True when a response of this conversation is written by a fine-tuned version (not the contract's base). */
export function isFineTuned(c: Pick<Conversation, 'modelVersion'>): boolean {
  return (c.modelVersion ?? 0) > 0;
}

// What the page reads from the chain to verify a response of a fine-tuned version, mirroring `tt verify`
// (packages/cli/src/flow/version.ts): the contract's list of versions (the registered hash is the reference, never
// the node's word), the TeachRequested events whose inputs trained them, and the conversations those name (their
// on-chain responses are what the re-derivation re-runs).
import {
  readConversations,
  readModelVersions,
  readTeachRequests,
  TtError,
  type Conversation,
  type ModelVersion,
  type ReadOptions,
} from '@tt/client';
import type { VersionJob } from './versionStore.ts';

/** The chain as Verify reads it: TrustAndTeach, its provider and deployment block. */
export type ChainReader = Omit<ReadOptions, 'ids'>;

/** True when a response of this conversation is written by a fine-tuned version (not the contract's base). */
export function isFineTuned(c: Pick<Conversation, 'modelVersion'>): boolean {
  return (c.modelVersion ?? 0) > 0;
}

/** The registered version that answered `conversation`; throws when the contract has no such version. */
export function versionOf(versions: readonly ModelVersion[], conversation: Conversation): ModelVersion {
  const v = versions.find((x) => x.modelHash.toLowerCase() === conversation.modelHash.toLowerCase());
  if (!v || v.version < 1)
    throw new TtError(
      'version-mismatch',
      `conversation ${conversation.id} names model ${conversation.modelHash}, which the contract has not registered as a fine-tuned version`,
      'wait until the version is registered on chain (the Teach tab), then verify again',
    );
  return v;
}

export async function readVersions(chain: ChainReader): Promise<ModelVersion[]> {
  return readModelVersions(chain.contract, chain.fromBlock);
}

/** Everything the worker needs to re-derive the version that answered `conversation`. */
export async function readVersionJob(chain: ChainReader, conversation: Conversation): Promise<VersionJob> {
  const [versions, requests] = await Promise.all([
    readModelVersions(chain.contract, chain.fromBlock),
    readTeachRequests(chain.contract, chain.fromBlock),
  ]);
  const version = versionOf(versions, conversation).version;
  const ids = [...new Set(requests.flatMap((r) => r.conversationIds))];
  const conversations = ids.length ? await readConversations({ ...chain, ids }) : [];
  return { version, versions, requests, conversations };
}

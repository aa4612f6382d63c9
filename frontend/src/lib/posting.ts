// Posting one conversation from the page: @tt/client's postWhenClaimed with this network's node and DApp (the vouchers
// it executes are chosen by what they decode to, against TrustAndTeach's address from the deployments). "Post
// on-chain", "Post, then rank" and the rejection's "Record on-chain" all run it.
import { dappOf, GraphQLClient, postWhenClaimed, type Conversation, type PostProgress } from '@tt/client';
import type { Signer } from 'ethers';
import type { Services } from '../state/services.tsx';

/** How long the page waits for a claim the node has already proven (cartesi-v1.md §2.2) before it says so. */
export const CLAIM_WAIT_MS = 120_000;

export function postConversation(
  services: Services,
  signer: Signer,
  c: Pick<Conversation, 'id' | 'inputIndex'>,
  onProgress?: (p: PostProgress) => void,
) {
  return postWhenClaimed({
    graphql: new GraphQLClient(services.network.graphqlUrl),
    dapp: dappOf(services.deployments),
    trustAndTeach: services.deployments.contracts.TrustAndTeach,
    signer,
    inputIndex: c.inputIndex,
    conversationId: c.id,
    onProgress,
    timeoutMs: CLAIM_WAIT_MS,
  });
}

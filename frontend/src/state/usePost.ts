// The one posting workflow both panels run (the responses' vouchers, or the rejection's): @tt/client's postWhenClaimed
// for a conversation, with the addresses from the deployments (the vouchers it executes are chosen by what they decode
// to, against TrustAndTeach's address from here) and the node's reader.
import { dappOf, GraphQLClient, postWhenClaimed, type Conversation, type PostProgress } from '@tt/client';
import type { JsonRpcSigner } from 'ethers';
import { useCallback, useMemo } from 'react';
import type { Services } from './services.tsx';

/** How long the page waits for a claim the node has already proven (cartesi-v1.md §2.2) before it says so. */
export const CLAIM_WAIT_MS = 120_000;

export function usePost(services: Services, c: Conversation) {
  const graphql = useMemo(
    () => new GraphQLClient(services.network.graphqlUrl),
    [services.network.graphqlUrl],
  );
  return useCallback(
    (signer: JsonRpcSigner, onProgress: (p: PostProgress) => void) =>
      postWhenClaimed({
        graphql,
        dapp: dappOf(services.deployments),
        trustAndTeach: services.deployments.contracts.TrustAndTeach,
        signer,
        inputIndex: c.inputIndex,
        conversationId: c.id,
        onProgress,
        timeoutMs: CLAIM_WAIT_MS,
      }),
    [graphql, services.deployments, c.inputIndex, c.id],
  );
}

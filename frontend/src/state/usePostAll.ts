// "Post all ready": @tt/client's postAll over every conversation whose proofs are ready, with each one's status as it
// goes and a total (what `tt post --all` prints). One signer, so one item at a time.
import { dappOf, GraphQLClient, postAll, readyToPost, type ConversationState } from '@tt/client';
import type { JsonRpcSigner } from 'ethers';
import { useCallback, useMemo, useState } from 'react';
import { describeError, type UserError } from '../lib/errors.ts';
import type { Services } from './services.tsx';

export type PostAllRowStatus = 'waiting' | 'posting' | 'posted' | 'already' | 'failed';

export interface PostAllRow {
  id: bigint;
  status: PostAllRowStatus;
  error?: UserError;
}

export type PostAllState =
  { phase: 'idle' } | { phase: 'running' | 'done'; rows: PostAllRow[]; error?: UserError };

export interface PostAll {
  /** Conversations that can be posted now. */
  ready: number;
  state: PostAllState;
  start: () => void;
  reset: () => void;
}

export function usePostAll(
  services: Services,
  getSigner: (() => Promise<JsonRpcSigner>) | null,
  items: readonly ConversationState[],
  onChanged: () => void,
): PostAll {
  const [state, setState] = useState<PostAllState>({ phase: 'idle' });
  const ready = useMemo(() => readyToPost(items), [items]);
  const graphql = useMemo(
    () => new GraphQLClient(services.network.graphqlUrl),
    [services.network.graphqlUrl],
  );

  const start = useCallback(() => {
    if (!getSigner || ready.length === 0 || state.phase === 'running') return;
    let rows: PostAllRow[] = ready.map((s) => ({ id: s.conversation.id, status: 'waiting' }));
    const set = (id: bigint, patch: Partial<PostAllRow>) => {
      rows = rows.map((r) => (r.id === id ? { ...r, ...patch } : r));
      setState({ phase: 'running', rows });
    };
    setState({ phase: 'running', rows });
    void (async () => {
      try {
        await postAll({
          graphql,
          dapp: dappOf(services.deployments),
          trustAndTeach: services.deployments.contracts.TrustAndTeach,
          signer: await getSigner(),
          items: ready.map((s) => ({
            conversationId: s.conversation.id,
            inputIndex: s.conversation.inputIndex,
          })),
          onProgress: (p) => {
            if (p.phase === 'item') set(p.conversationId, { status: 'posting' });
            if (p.phase !== 'outcome') return;
            const o = p.outcome;
            if (o.status === 'failed')
              set(o.conversationId, { status: 'failed', error: describeError(o.error) });
            else
              set(o.conversationId, {
                status: o.vouchers.every((v) => v.status === 'skipped') ? 'already' : 'posted',
              });
            onChanged();
          },
        });
        setState({ phase: 'done', rows });
      } catch (err) {
        setState({ phase: 'done', rows, error: describeError(err) });
      }
      onChanged();
    })();
  }, [getSigner, ready, state.phase, graphql, services.deployments, onChanged]);

  return { ready: ready.length, state, start, reset: useCallback(() => setState({ phase: 'idle' }), []) };
}

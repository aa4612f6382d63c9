// The conversation list's data: the record from the chain, read incrementally by @tt/client's ConversationReader (only
// the blocks after the last one seen, in chunks of the network's block range), joined with the rollup node's progress
// for the conversations whose responses are not on-chain yet. A node view that can no longer change (rejected, or both
// vouchers proven) is kept and not asked for again, so a long list costs one small query per poll.
import {
  conversationState,
  ConversationReader,
  fetchOpenNodeViews,
  GraphQLClient,
  isOpen,
  type Conversation,
  type ConversationState,
  type NodeView,
} from '@tt/client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { describeError, type UserError } from '../lib/errors.ts';
import { chainReadOptions, type Services } from './services.tsx';

export interface ConversationsData {
  /** By id, ascending (the list orders them per filter). */
  items: readonly ConversationState[];
  loading: boolean;
  chainError: UserError | null;
  nodeError: UserError | null;
  blockNumber: number | null;
  /** Read the chain now (after one of our own transactions). */
  refresh: () => void;
}

const CHAIN_POLL_MS = 1000;
const NODE_POLL_MS = 1000;

/** A node view that cannot change any more: the input failed, or both vouchers have their proofs. */
function settled(v: NodeView): boolean {
  if (v.status === 'UNPROCESSED') return false;
  if (v.status !== 'ACCEPTED') return true;
  return v.vouchers.length >= 2 && v.vouchers.every((x) => x.proof !== null);
}

export function useConversations(services: Services): ConversationsData {
  const { network } = services;
  const reader = useMemo(() => new ConversationReader(chainReadOptions(services)), [services]);
  const graphql = useMemo(() => new GraphQLClient(network.graphqlUrl), [network.graphqlUrl]);
  const [conversations, setConversations] = useState<readonly Conversation[] | null>(null);
  const [chainError, setChainError] = useState<UserError | null>(null);
  const [blockNumber, setBlockNumber] = useState<number | null>(null);
  const [views, setViews] = useState<ReadonlyMap<number, NodeView>>(new Map());
  const [nodeError, setNodeError] = useState<UserError | null>(null);
  const kick = useRef<() => void>(() => undefined);

  useEffect(() => {
    let stopped = false;
    let reading = false;
    let again = false;
    const tick = async () => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      try {
        do {
          again = false;
          const u = await reader.update();
          if (stopped) return;
          setBlockNumber(u.block);
          if (u.changed || conversationsUnset) {
            conversationsUnset = false;
            setConversations(u.conversations);
          }
          setChainError(null);
        } while (again && !stopped);
      } catch (err) {
        if (!stopped) setChainError(describeError(err));
      } finally {
        reading = false;
      }
    };
    let conversationsUnset = true;
    kick.current = () => void tick();
    void tick();
    const t = setInterval(() => void tick(), CHAIN_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(t);
    };
  }, [reader]);

  // The node matters only until both responses are on-chain; after that the chain says everything.
  const cache = useRef(new Map<number, NodeView>());
  useEffect(() => {
    cache.current = new Map();
    setViews(new Map());
  }, [graphql]);
  useEffect(() => {
    if (!conversations) return;
    let stopped = false;
    const poll = async () => {
      const wanted = conversations.filter((c) => isOpen(c) && !isSettled(cache.current.get(c.inputIndex)));
      if (wanted.length === 0) return;
      try {
        const got = await fetchOpenNodeViews(graphql, wanted);
        if (stopped) return;
        let changed = false;
        for (const [i, v] of got) {
          const before = cache.current.get(i);
          if (!before || JSON.stringify(summary(before)) !== JSON.stringify(summary(v))) changed = true;
          cache.current.set(i, v);
        }
        if (changed) setViews(new Map(cache.current));
        setNodeError(null);
      } catch (err) {
        if (!stopped) setNodeError(describeError(err));
      }
    };
    void poll();
    const t = setInterval(() => void poll(), NODE_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(t);
    };
  }, [conversations, graphql]);

  const items = useMemo(
    () => (conversations ?? []).map((c) => conversationState(c, views.get(c.inputIndex) ?? null)),
    [conversations, views],
  );
  const refresh = useCallback(() => kick.current(), []);

  return {
    items,
    loading: conversations === null && !chainError,
    chainError,
    nodeError,
    blockNumber,
    refresh,
  };
}

const isSettled = (v: NodeView | undefined) => v !== undefined && settled(v);

/** What the page shows of a node view: enough to tell whether it changed since the last poll. */
function summary(v: NodeView) {
  return [
    v.status,
    v.notices.filter(Boolean).length,
    v.vouchers.map((x) => x.proof !== null),
    v.reports.length,
  ];
}

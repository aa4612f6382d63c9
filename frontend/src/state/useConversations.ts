// The conversation table's data: the record from the chain (re-read whenever a new block arrives) joined with the rollup
// node's progress (polled through Apollo) for conversations whose responses are not on-chain yet.
import { useQuery } from '@apollo/client';
import {
  conversationState,
  nodeView,
  readConversations,
  type Conversation,
  type ConversationState,
  type NodeView,
} from '@tt/client';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { InputsPageDocument } from '../graphql/generated/graphql.ts';
import { describeError, type UserError } from '../lib/errors.ts';
import type { Services } from './services.tsx';

export interface ConversationsData {
  /** Newest first. */
  items: ConversationState[];
  loading: boolean;
  chainError: UserError | null;
  nodeError: UserError | null;
  blockNumber: number | null;
  /** Re-read the chain now (after one of our own transactions). */
  refresh: () => void;
}

const CHAIN_POLL_MS = 1000;
const NODE_POLL_MS = 1000;

export function useConversations(services: Services): ConversationsData {
  const { provider, contract, deployments, apollo } = services;
  const [conversations, setConversations] = useState<Conversation[] | null>(null);
  const [chainError, setChainError] = useState<UserError | null>(null);
  const [blockNumber, setBlockNumber] = useState<number | null>(null);
  const [force, setForce] = useState(0);
  const lastRead = useRef<{ block: number; force: number } | null>(null);
  const reading = useRef(false);

  useEffect(() => {
    let stopped = false;
    const tick = async () => {
      if (reading.current) return;
      reading.current = true;
      try {
        const block = await provider.getBlockNumber();
        if (stopped) return;
        setBlockNumber(block);
        if (lastRead.current?.block === block && lastRead.current.force === force) return;
        const list = await readConversations({
          contract,
          provider,
          fromBlock: deployments.trustAndTeachDeploymentBlock,
        });
        if (stopped) return;
        lastRead.current = { block, force };
        setConversations(list);
        setChainError(null);
      } catch (err) {
        if (!stopped) setChainError(describeError(err));
      } finally {
        reading.current = false;
      }
    };
    void tick();
    const t = setInterval(() => void tick(), CHAIN_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(t);
    };
  }, [provider, contract, deployments, force]);

  // The node only matters until both responses are on-chain; after that the chain says everything.
  const open = useMemo(
    () => (conversations ?? []).filter((c) => !c.responses[0] || !c.responses[1]),
    [conversations],
  );
  const range = useMemo(() => {
    if (open.length === 0) return null;
    const idx = open.map((c) => c.inputIndex);
    return { lo: Math.min(...idx), hi: Math.max(...idx) };
  }, [open]);

  const node = useQuery(InputsPageDocument, {
    client: apollo,
    skip: range === null,
    variables: {
      first: 1000,
      where: { indexGreaterThan: (range?.lo ?? 0) - 1, indexLowerThan: (range?.hi ?? 0) + 1 },
    },
    pollInterval: NODE_POLL_MS,
  });

  const views = useMemo(() => {
    const m = new Map<number, NodeView>();
    for (const edge of node.data?.inputs.edges ?? []) m.set(edge.node.index, nodeView(edge.node));
    return m;
  }, [node.data]);

  const items = useMemo(
    () =>
      (conversations ?? [])
        .map((c) => conversationState(c, views.get(c.inputIndex) ?? null))
        .sort((a, b) => (a.conversation.id < b.conversation.id ? 1 : -1)),
    [conversations, views],
  );

  const refresh = useCallback(() => setForce((f) => f + 1), []);

  return {
    items,
    loading: conversations === null && !chainError,
    chainError,
    nodeError: node.error && range !== null ? describeError(node.error.networkError ?? node.error) : null,
    blockNumber,
    refresh,
  };
}

// The labelling queue, as labelling tools have it (Argilla's "pending" records, Label Studio's sequential task order,
// OpenAssistant's "review" tasks): by default the list shows what still needs *me*, oldest first, and after a ranking
// the next such item opens by itself. Everything here is pure, so the order and the counts are unit-tested.
import type { ConversationState } from '@tt/client';
import { sameAddress } from './format.ts';

export type QueueFilter = 'mine' | 'post' | 'all' | 'ranked' | 'rejected';

export const FILTERS: readonly { id: QueueFilter; label: string; title: string }[] = [
  { id: 'mine', label: 'Needs me', title: 'Pairs you have not ranked yet, oldest first' },
  { id: 'post', label: 'To post', title: 'Responses readable off-chain, not posted yet, oldest first' },
  { id: 'all', label: 'All', title: 'Every conversation, newest first' },
  { id: 'ranked', label: 'Ranked by me', title: 'Pairs you ranked, newest first' },
  { id: 'rejected', label: 'Rejected', title: 'Prompts the backend refused, newest first' },
];

/** Stages whose two responses can be read (off-chain or on-chain): something a person can judge. */
const READABLE = new Set(['responsesReady', 'proofsReady', 'posted', 'ranked']);

export function rankedBy(s: ConversationState, account: string | null): boolean {
  return !!account && s.conversation.rankings.some((r) => sameAddress(r.ranker, account));
}

/** Both responses readable, not ranked by this account (with no account: not ranked by anybody's wallet here). */
export function needsMe(s: ConversationState, account: string | null): boolean {
  return READABLE.has(s.stage.stage) && !rankedBy(s, account);
}

/** Readable off-chain, not both on chain: posting is the next step (proofs ready, or coming). */
export function needsPosting(s: ConversationState): boolean {
  return s.stage.stage === 'responsesReady' || s.stage.stage === 'proofsReady';
}

/** The contract takes a ranking only once both responses are on chain. */
export function canRankNow(s: ConversationState): boolean {
  return !!s.conversation.responses[0] && !!s.conversation.responses[1];
}

export function matches(filter: QueueFilter, s: ConversationState, account: string | null): boolean {
  switch (filter) {
    case 'mine':
      return needsMe(s, account);
    case 'post':
      return needsPosting(s);
    case 'all':
      return true;
    case 'ranked':
      return rankedBy(s, account);
    case 'rejected':
      return s.stage.stage === 'rejected';
  }
}

/** Work queues run oldest first (first in, first out); the browsing views show the newest first. */
export function isWorkQueue(filter: QueueFilter): boolean {
  return filter === 'mine' || filter === 'post';
}

const byId = (a: ConversationState, b: ConversationState) =>
  a.conversation.id < b.conversation.id ? -1 : a.conversation.id > b.conversation.id ? 1 : 0;

export function filterItems(
  items: readonly ConversationState[],
  filter: QueueFilter,
  account: string | null,
): ConversationState[] {
  const out = items.filter((s) => matches(filter, s, account)).sort(byId);
  return isWorkQueue(filter) ? out : out.reverse();
}

export function countByFilter(
  items: readonly ConversationState[],
  account: string | null,
): Record<QueueFilter, number> {
  const counts: Record<QueueFilter, number> = { mine: 0, post: 0, all: 0, ranked: 0, rejected: 0 };
  for (const s of items) for (const f of FILTERS) if (matches(f.id, s, account)) counts[f.id]++;
  return counts;
}

/**
 * The item to open next: the first one after `current` (in queue order, wrapping around) that needs this account and
 * can be ranked now; failing that, the first one that needs this account at all (it will need posting first).
 */
export function nextNeedingMe(
  items: readonly ConversationState[],
  current: bigint | null,
  account: string | null,
): bigint | null {
  const queue = items.filter((s) => needsMe(s, account) && s.conversation.id !== current).sort(byId);
  const after = (list: ConversationState[]) =>
    (current === null ? undefined : list.find((s) => s.conversation.id > current)) ?? list[0];
  return (after(queue.filter(canRankNow)) ?? after(queue))?.conversation.id ?? null;
}

export interface QueueProgress {
  /** Conversations that are, or will be, pairs to rank (everything not rejected). */
  total: number;
  rankedByMe: number;
  /** Readable, not on chain yet. */
  waitingToPost: number;
  /** Proofs ready: "Post all ready" posts these now. */
  readyToPost: number;
  generating: number;
}

export function queueProgress(items: readonly ConversationState[], account: string | null): QueueProgress {
  const p: QueueProgress = { total: 0, rankedByMe: 0, waitingToPost: 0, readyToPost: 0, generating: 0 };
  for (const s of items) {
    if (s.stage.stage === 'rejected') continue;
    p.total++;
    if (rankedBy(s, account)) p.rankedByMe++;
    if (needsPosting(s)) p.waitingToPost++;
    if (s.stage.stage === 'proofsReady') p.readyToPost++;
    if (s.stage.stage === 'submitted' || s.stage.stage === 'generating') p.generating++;
  }
  return p;
}

/** "12 of 40 ranked by you · 3 waiting to post · 1 generating". */
export function describeProgress(p: QueueProgress, hasAccount: boolean): string {
  const parts = [
    hasAccount
      ? `${p.rankedByMe} of ${p.total} ranked by you`
      : `${p.total} ${p.total === 1 ? 'pair' : 'pairs'}`,
  ];
  if (p.waitingToPost) parts.push(`${p.waitingToPost} waiting to post`);
  if (p.generating) parts.push(`${p.generating} generating`);
  return parts.join(' · ');
}

import { pairAgreement, type ConversationState } from '@tt/client';
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import type { UserError } from '../lib/errors.ts';
import { sameAddress, timeAgo } from '../lib/format.ts';
import {
  countByFilter,
  describeProgress,
  FILTERS,
  isWorkQueue,
  queueProgress,
  type QueueFilter,
} from '../lib/queue.ts';
import { excerpt } from '../lib/text.ts';
import type { PostAll } from '../state/usePostAll.ts';
import { StagePill } from './StagePill.tsx';
import { EmptyState, ErrorState, LoadingState } from './States.tsx';

interface Props {
  /** Every conversation (for the counts and the progress line). */
  all: readonly ConversationState[];
  /** The ones the filter shows, in its order. */
  items: readonly ConversationState[];
  filter: QueueFilter;
  onFilter: (f: QueueFilter) => void;
  loading: boolean;
  error: UserError | null;
  nodeError: UserError | null;
  selectedId: bigint | null;
  onSelect: (id: bigint) => void;
  account: string | null;
  autoAdvance: boolean;
  onAutoAdvance: (on: boolean) => void;
  onHelp: () => void;
  postAll: PostAll;
  blocked: string | null;
  actions?: ReactNode;
}

/** Rows are one fixed height, so only the rows in view (and a few around them) are in the page: 5,000 stay fast. */
export const ROW_HEIGHT = 64;
const OVERSCAN = 6;

/** The labelling queue: a filter, a progress line, and the list itself (virtualised). j/k are handled by the page. */
export function ConversationList(p: Props) {
  const { items, selectedId, account } = p;
  const listRef = useRef<HTMLUListElement | null>(null);
  const [view, setView] = useState({ top: 0, height: 600 });

  const measure = useCallback(() => {
    const list = listRef.current;
    if (list) setView({ top: list.scrollTop, height: list.clientHeight || 600 });
  }, []);
  useLayoutEffect(() => {
    const list = listRef.current;
    if (!list) return;
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(list);
    return () => ro.disconnect();
  }, [measure, p.loading, items.length === 0]);

  // Keep the selected row visible inside the list (j/k, auto-advance), without scrolling the page itself.
  const selectedIndex = items.findIndex((s) => s.conversation.id === selectedId);
  useEffect(() => {
    const list = listRef.current;
    if (!list || selectedIndex < 0) return;
    const top = selectedIndex * ROW_HEIGHT;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + ROW_HEIGHT > list.scrollTop + list.clientHeight)
      list.scrollTop = top + ROW_HEIGHT - list.clientHeight;
    measure();
  }, [selectedIndex, measure]);

  const counts = countByFilter(p.all, account);
  const progress = queueProgress(p.all, account);
  const first = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN);

  let body: ReactNode;
  if (p.loading) body = <LoadingState title="Reading conversations from the chain…" />;
  else if (p.error && p.all.length === 0) body = <ErrorState error={p.error} />;
  else if (p.all.length === 0)
    body = (
      <EmptyState icon="✎" title="No conversations yet">
        Write a prompt above: the model answers it twice, and you pick the better response.
      </EmptyState>
    );
  else if (items.length === 0)
    body = (
      <EmptyState icon="✓" title={p.filter === 'mine' ? 'Nothing needs you right now' : 'Nothing here'}>
        {p.filter === 'mine'
          ? 'Every readable pair has your ranking. New ones appear here as their responses arrive.'
          : 'No conversation matches this filter.'}
      </EmptyState>
    );
  else
    body = (
      <ul
        className="list"
        aria-label="Conversations"
        ref={listRef}
        onScroll={measure}
        data-total={items.length}
        style={{ position: 'relative' }}
      >
        <li aria-hidden="true" style={{ height: first * ROW_HEIGHT }} />
        {items.slice(first, last).map((s) => (
          <Row key={s.conversation.id.toString()} s={s} selected={s.conversation.id === selectedId} {...p} />
        ))}
        <li aria-hidden="true" style={{ height: (items.length - last) * ROW_HEIGHT }} />
      </ul>
    );

  return (
    <section className="card" aria-labelledby="conversations-title">
      <div className="card-head">
        <h2 id="conversations-title">Conversations</h2>
        <span className="spacer" />
        {p.actions}
      </div>
      <div className="queue-head">
        <div className="filters" role="tablist" aria-label="Show">
          {FILTERS.map((f) => (
            <button
              key={f.id}
              type="button"
              role="tab"
              className="filter"
              aria-selected={p.filter === f.id}
              title={f.title}
              onClick={() => p.onFilter(f.id)}
              data-filter={f.id}
            >
              {f.label} <span className="count">{counts[f.id]}</span>
            </button>
          ))}
        </div>
        {p.all.length > 0 && (
          <div className="progress-row">
            <span className="progress-line" data-testid="queue-progress">
              {describeProgress(progress, !!account)}
              {isWorkQueue(p.filter) ? <span className="help"> · oldest first</span> : null}
            </span>
            <span className="spacer" />
            {p.postAll.ready > 0 && (
              <button
                type="button"
                className="btn small primary"
                onClick={p.postAll.start}
                disabled={!!p.blocked || p.postAll.state.phase === 'running'}
                title={
                  p.blocked ?? 'Execute the vouchers of every conversation whose proofs are ready, one by one'
                }
              >
                Post all ready ({p.postAll.ready})
              </button>
            )}
          </div>
        )}
      </div>
      {p.error && p.all.length > 0 && (
        <div className="banner-wrap warn" role="status">
          <div className="banner">{p.error.message} Showing the last data read.</div>
        </div>
      )}
      {body}
      <div className="list-foot">
        <label className="check" title="After you rank a pair, open the next one that needs you">
          <input
            type="checkbox"
            checked={p.autoAdvance}
            onChange={(e) => p.onAutoAdvance(e.target.checked)}
          />{' '}
          Next after ranking
        </label>
        <span className="spacer" />
        <span className="keys">
          <span className="kbd">j</span> <span className="kbd">k</span> move · <span className="kbd">1</span>{' '}
          <span className="kbd">2</span> rank ·{' '}
          <button type="button" className="link" onClick={p.onHelp}>
            <span className="kbd">?</span> keys
          </button>
        </span>
        {p.nodeError && <span className="error-text">node: {p.nodeError.message}</span>}
      </div>
    </section>
  );
}

function Row({
  s,
  selected,
  onSelect,
  account,
}: {
  s: ConversationState;
  selected: boolean;
  onSelect: (id: bigint) => void;
  account: string | null;
}) {
  const { conversation: c, stage } = s;
  const mine = c.rankings.find((r) => sameAddress(r.ranker, account));
  const votes = pairAgreement(c.rankings);
  return (
    <li style={{ height: ROW_HEIGHT }}>
      <button
        type="button"
        className="list-item"
        aria-current={selected}
        onClick={() => onSelect(c.id)}
        data-conversation={c.id.toString()}
      >
        <span className="cid">#{c.id.toString()}</span>
        <span className="prompt">{excerpt(c.prompt) || <i>(empty)</i>}</span>
        <StagePill info={stage} since={c.promptedAt} />
        <span className="meta">
          <span>{timeAgo(c.promptedAt)}</span>
          <span>length {c.params.steps}</span>
          {votes.preferA + votes.preferB > 0 && (
            <span title="Rankers who prefer A · B">
              A {votes.preferA} · B {votes.preferB}
            </span>
          )}
          {sameAddress(c.author, account) && <span>by you</span>}
          {mine && <span>you: {mine.order[0] === 0 ? 'A' : 'B'}</span>}
          {stage.rejection && (
            <span className="error-text" title={stage.rejection.message}>
              {stage.rejection.code}
            </span>
          )}
        </span>
      </button>
    </li>
  );
}

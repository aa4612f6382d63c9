import type { ConversationState } from '@tt/client';
import { useEffect, useRef, type ReactNode } from 'react';
import { timeAgo, sameAddress } from '../lib/format.ts';
import { excerpt } from '../lib/text.ts';
import type { UserError } from '../lib/errors.ts';
import { StagePill } from './StagePill.tsx';
import { EmptyState, ErrorState, LoadingState } from './States.tsx';

interface Props {
  items: ConversationState[];
  loading: boolean;
  error: UserError | null;
  selectedId: bigint | null;
  onSelect: (id: bigint) => void;
  account: string | null;
  actions?: ReactNode;
  footer?: ReactNode;
}

/** Every conversation, newest first, with its stage. j/k move the selection (handled by the page). */
export function ConversationList({
  items,
  loading,
  error,
  selectedId,
  onSelect,
  account,
  actions,
  footer,
}: Props) {
  const selectedRef = useRef<HTMLButtonElement | null>(null);
  const listRef = useRef<HTMLUListElement | null>(null);
  // Keep the selected row visible inside the list (j/k), without scrolling the page itself.
  useEffect(() => {
    const list = listRef.current;
    const row = selectedRef.current;
    if (!list || !row) return;
    const top = row.offsetTop - list.offsetTop;
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + row.offsetHeight > list.scrollTop + list.clientHeight)
      list.scrollTop = top + row.offsetHeight - list.clientHeight;
  }, [selectedId]);

  let body: ReactNode;
  if (loading) body = <LoadingState title="Reading conversations from the chain…" />;
  else if (error && items.length === 0) body = <ErrorState error={error} />;
  else if (items.length === 0)
    body = (
      <EmptyState icon="✎" title="No conversations yet">
        Write a prompt above: the model answers it twice, and you pick the better response.
      </EmptyState>
    );
  else
    body = (
      <ul className="list" aria-label="Conversations" ref={listRef}>
        {items.map(({ conversation: c, stage }) => {
          const selected = c.id === selectedId;
          const mine = c.rankings.find((r) => sameAddress(r.ranker, account));
          return (
            <li key={c.id.toString()}>
              <button
                type="button"
                className="list-item"
                aria-current={selected}
                ref={selected ? selectedRef : undefined}
                onClick={() => onSelect(c.id)}
                data-conversation={c.id.toString()}
              >
                <span className="cid">#{c.id.toString()}</span>
                <span className="prompt">{excerpt(c.prompt) || <i>(empty)</i>}</span>
                <StagePill info={stage} since={c.promptedAt} />
                <span className="meta">
                  <span>{timeAgo(c.promptedAt)}</span>
                  <span>{c.params.steps} tokens</span>
                  {sameAddress(c.author, account) && <span>by you</span>}
                  {mine && <span>you: {mine.order[0] === 0 ? 'Confirm' : 'Switch'}</span>}
                  {stage.rejection && (
                    <span className="error-text" title={stage.rejection.message}>
                      {stage.rejection.code}
                    </span>
                  )}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    );

  return (
    <section className="card" aria-labelledby="conversations-title">
      <div className="card-head">
        <h2 id="conversations-title">Conversations</h2>
        <span className="sub">{items.length > 0 ? items.length : ''}</span>
        <span className="spacer" />
        {actions}
      </div>
      {error && items.length > 0 && (
        <div className="banner-wrap warn" role="status">
          <div className="banner">{error.message} Showing the last data read.</div>
        </div>
      )}
      {body}
      {footer && <div className="list-foot">{footer}</div>}
    </section>
  );
}

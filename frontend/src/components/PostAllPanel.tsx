import type { PostAllState } from '../state/usePostAll.ts';
import { Spinner } from './States.tsx';

const WORDS = {
  waiting: 'waiting',
  posting: 'posting…',
  posted: 'posted',
  already: 'already on-chain',
  failed: 'failed',
} as const;

/** Each conversation "Post all ready" works through, with its status, and the total. */
export function PostAllPanel({ state, onClose }: { state: PostAllState; onClose: () => void }) {
  if (state.phase === 'idle') return null;
  const done = state.rows.filter((r) => r.status === 'posted' || r.status === 'already').length;
  const failed = state.rows.filter((r) => r.status === 'failed').length;
  return (
    <section className="card" aria-labelledby="post-all-title" data-testid="post-all">
      <div className="card-head">
        <h2 id="post-all-title">Posting</h2>
        <span className="sub" data-testid="post-all-total" aria-live="polite">
          {done} of {state.rows.length} posted{failed ? ` · ${failed} failed` : ''}
        </span>
        <span className="spacer" />
        {state.phase === 'running' ? (
          <Spinner label="Posting" />
        ) : (
          <button type="button" className="btn ghost small" onClick={onClose}>
            Close
          </button>
        )}
      </div>
      {state.error && <div className="card-body error-text">{state.error.message}</div>}
      <ul className="post-all-list">
        {state.rows.map((r) => (
          <li key={r.id.toString()} data-post-all={r.id.toString()} data-status={r.status}>
            <span className="cid">#{r.id.toString()}</span>
            <span className={r.status === 'failed' ? 'error-text' : r.status === 'waiting' ? 'help' : ''}>
              {WORDS[r.status]}
              {r.error ? `: ${r.error.message}` : ''}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

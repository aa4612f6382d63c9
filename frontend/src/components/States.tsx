// Loading, empty and error states, so no panel is ever blank without saying why.
import type { ReactNode } from 'react';
import type { UserError } from '../lib/errors.ts';

export function Spinner({ label }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label ?? 'Loading'} />;
}

export function LoadingState({ title, lines = 3 }: { title: string; lines?: number }) {
  return (
    <div className="state" aria-busy="true">
      <div className="row">
        <Spinner label={title} />
        <span>{title}</span>
      </div>
      <div style={{ width: '80%' }} className="stack">
        {Array.from({ length: lines }, (_, i) => (
          <div key={i} className="skeleton" style={{ width: `${90 - i * 15}%` }} />
        ))}
      </div>
    </div>
  );
}

export function EmptyState({ icon, title, children }: { icon: string; title: string; children?: ReactNode }) {
  return (
    <div className="state">
      <div className="state-icon" aria-hidden="true">
        {icon}
      </div>
      <h3>{title}</h3>
      {children && <div className="help">{children}</div>}
    </div>
  );
}

/** Text whose `backticked` parts are commands: shown as code, not as literal backticks. */
export function RichText({ text }: { text: string }) {
  const parts = text.split(/`([^`]+)`/);
  return <>{parts.map((p, i) => (i % 2 ? <code key={i}>{p}</code> : p))}</>;
}

export function ErrorState({ error, onRetry }: { error: UserError; onRetry?: () => void }) {
  return (
    <div className="state error" role="alert">
      <div className="state-icon" aria-hidden="true">
        !
      </div>
      <h3>
        <RichText text={error.message} />
      </h3>
      {error.hint && (
        <p className="help">
          <RichText text={error.hint} />
        </p>
      )}
      {onRetry && (
        <button type="button" className="btn small" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

import type { TxState } from '../state/useTx.ts';
import { shortHex } from '../lib/format.ts';
import { Spinner } from './States.tsx';

/**
 * One line that follows a transaction (a useTx state): what the wallet is waiting for, what the node is waiting for,
 * the hash while pending, the result after. `idle` is shown before anything started (nothing by default).
 */
export function TxStatus({
  state,
  label,
  explorerUrl,
  done = 'Mined',
  idle,
}: {
  state: TxState;
  label?: string;
  explorerUrl?: string;
  /** The word for a finished transaction when its state has no note of its own. */
  done?: string;
  idle?: string;
}) {
  const link = (hash: string) =>
    explorerUrl ? (
      <a href={`${explorerUrl}/tx/${hash}`} target="_blank" rel="noreferrer" className="mono">
        {shortHex(hash, 10, 6)}
      </a>
    ) : (
      <code title={hash}>{shortHex(hash, 10, 6)}</code>
    );
  const prefix = label ? <b>{label}:</b> : null;
  switch (state.phase) {
    case 'idle':
      return idle ? (
        <div className="tx-status" data-tx="idle">
          <span className="dot" /> {prefix} {idle}
        </div>
      ) : null;
    case 'signing':
      return (
        <div className="tx-status" data-tx="signing">
          <Spinner /> {prefix} Confirm in your wallet…
        </div>
      );
    case 'waiting':
      return (
        <div className="tx-status" data-tx="waiting">
          <Spinner /> {prefix} {state.reason}
        </div>
      );
    case 'pending':
      return (
        <div className="tx-status" data-tx="pending">
          <Spinner /> {prefix} Pending {link(state.hash)}
        </div>
      );
    case 'done':
      return (
        <div className="tx-status" data-tx="done">
          <span aria-hidden="true" style={{ color: 'var(--green)' }}>
            ✓
          </span>{' '}
          {prefix} {state.note ?? done}
          {state.blockNumber !== undefined && ` in block ${state.blockNumber}`}{' '}
          {state.hash && link(state.hash)}
        </div>
      );
    case 'failed':
      return (
        <div className="tx-status" data-tx="failed" role="alert">
          <span className="error-text">
            {prefix} {state.error.message}
          </span>
          {state.error.hint && <span className="help">{state.error.hint}</span>}
        </div>
      );
  }
}

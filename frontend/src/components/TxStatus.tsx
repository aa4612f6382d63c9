import type { TxState } from '../state/useTx.ts';
import { shortHex } from '../lib/format.ts';
import { Spinner } from './States.tsx';

/** One line that follows a transaction: what the wallet is waiting for, the hash while pending, the result after. */
export function TxStatus({
  state,
  label,
  explorerUrl,
  mined,
}: {
  state: TxState;
  label?: string;
  explorerUrl?: string;
  mined?: string;
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
      return null;
    case 'signing':
      return (
        <div className="tx-status" data-tx="signing">
          <Spinner /> {prefix} Confirm in your wallet…
        </div>
      );
    case 'pending':
      return (
        <div className="tx-status" data-tx="pending">
          <Spinner /> {prefix} Pending {link(state.hash)}
        </div>
      );
    case 'mined':
      return (
        <div className="tx-status" data-tx="mined">
          <span aria-hidden="true" style={{ color: 'var(--green)' }}>
            ✓
          </span>{' '}
          {prefix} {mined ?? 'Mined'} in block {state.blockNumber} {link(state.hash)}
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

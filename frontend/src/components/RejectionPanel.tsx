import { postConversation } from '../lib/posting.ts';
import { useTx } from '../state/useTx.ts';
import { Spinner } from './States.tsx';
import { TxStatus } from './TxStatus.tsx';
import type { ActionPanelProps } from './PostPanel.tsx';

/**
 * A prompt the backend refused: why, and whether the chain knows. The backend's voucher (TrustAndTeach.rejectPrompt)
 * records it, like a response's voucher posts it: "Record on-chain" runs the same workflow as posting (one
 * transaction), after which the conversation's status is Rejected for every reader and exports leave it out.
 */
export function RejectionPanel({ state, services, getSigner, blocked, onChanged }: ActionPanelProps) {
  const { conversation: c, stage } = state;
  const rejection = stage.rejection!;
  const tx = useTx();
  const record = async () => {
    if (!getSigner) return;
    try {
      await postConversation(services, await getSigner(), c, (p) => {
        if (p.phase === 'waiting') tx.track.waiting("waiting for the epoch's claim to reach the chain…");
        else if (p.phase === 'signing') tx.track.signing();
        else if (p.phase === 'pending') tx.track.sent(p.txHash);
        else if (p.phase === 'done')
          tx.track.done(
            p.outcome.status === 'executed'
              ? { hash: p.outcome.txHash, note: 'recorded: Rejected' }
              : { note: 'already on-chain' },
          );
      });
    } catch (err) {
      tx.track.failed(err);
    }
    onChanged();
  };
  return (
    <div className="rejection" role="alert" data-testid="rejection">
      <b>The backend rejected this prompt</b> ({rejection.code}): {rejection.message}
      {rejection.onChain && <div data-testid="rejection-on-chain">Recorded on-chain: status Rejected.</div>}
      {rejection.recordable && (
        <div className="actions">
          <button
            type="button"
            className="btn small"
            onClick={() => void record()}
            disabled={!!blocked || tx.busy}
            title={blocked ?? undefined}
          >
            {tx.busy && <Spinner label="Recording" />}
            Record on-chain
          </button>
          <span className="explain">
            {blocked ?? 'One transaction: the chain then shows this conversation as Rejected.'}
          </span>
          {tx.state.phase !== 'idle' && (
            <TxStatus
              state={tx.state}
              label="Rejection"
              idle="waiting"
              explorerUrl={services.network.explorerUrl}
            />
          )}
        </div>
      )}
    </div>
  );
}

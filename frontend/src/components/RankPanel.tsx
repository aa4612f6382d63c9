import { CONFIRM, SWITCH, submitRanking, trustAndTeach, type RankingOrder } from '@tt/client';
import type { JsonRpcSigner } from 'ethers';
import { useCallback, useEffect, useState } from 'react';
import { isTypingTarget } from '../lib/keys.ts';
import type { Services } from '../state/services.tsx';
import { useTx } from '../state/useTx.ts';
import { Spinner } from './States.tsx';
import { TxStatus } from './TxStatus.tsx';

interface Props {
  conversationId: bigint;
  services: Services;
  getSigner: (() => Promise<JsonRpcSigner>) | null;
  /** Why the wallet cannot send (not connected, wrong network), or null. */
  blocked: string | null;
  /** The connected account's current order, or null. */
  mine: RankingOrder | null;
  onChanged: () => void;
}

/** Confirm (keep A over B) or Switch (prefer B), with keys 1 and 2; the user's current choice is marked. */
export function RankPanel({ conversationId, services, getSigner, blocked, mine, onChanged }: Props) {
  const tx = useTx();
  const [sending, setSending] = useState<RankingOrder | null>(null);
  const { busy, track, run } = tx;

  useEffect(() => track.reset(), [conversationId, track]);

  const rank = useCallback(
    async (order: RankingOrder) => {
      if (!getSigner || busy) return;
      setSending(order);
      const out = await run(
        async (onSent) =>
          submitRanking(
            trustAndTeach(services.deployments.contracts.TrustAndTeach, await getSigner()),
            conversationId,
            order,
            onSent,
          ),
        (r) =>
          'unchanged' in r ? { note: 'You already ranked it this way.' } : { hash: r.txHash, note: 'Ranked' },
      );
      setSending(null);
      if (out) onChanged();
    },
    [getSigner, busy, run, services, conversationId, onChanged],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (isTypingTarget(e.target) || e.metaKey || e.ctrlKey || e.altKey) return;
      if (e.key === '1') void rank(CONFIRM);
      if (e.key === '2') void rank(SWITCH);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [rank]);

  const button = (order: RankingOrder, label: string, key: string, hint: string) => {
    const current = mine !== null && mine[0] === order[0];
    return (
      <button
        type="button"
        className={`btn big ${current ? 'primary' : ''}`}
        onClick={() => void rank(order)}
        disabled={!!blocked || busy}
        aria-pressed={current}
        aria-keyshortcuts={key}
        title={hint}
      >
        {busy && sending === order && <Spinner />}
        {label} <span className="kbd">{key}</span>
      </button>
    );
  };

  return (
    <div className="actions" data-testid="rank-panel">
      {button(CONFIRM, 'Confirm · A is better', '1', 'Keep the order: response A is preferred')}
      {button(SWITCH, 'Switch · B is better', '2', 'Swap the order: response B is preferred')}
      <span className="explain" aria-live="polite">
        {blocked ??
          (mine
            ? `Your ranking: ${mine[0] === 0 ? 'Confirm (A)' : 'Switch (B)'}. You can change it.`
            : 'Which response is better? Press 1 or 2.')}
      </span>
      <TxStatus state={tx.state} explorerUrl={services.network.explorerUrl} />
    </div>
  );
}

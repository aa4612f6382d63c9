import {
  CONFIRM,
  submitRanking,
  SWITCH,
  trustAndTeach,
  type ConversationState,
  type RankingOrder,
} from '@tt/client';
import type { JsonRpcSigner } from 'ethers';
import { useCallback, useEffect, useLayoutEffect, useState, type MutableRefObject } from 'react';
import { postConversation } from '../lib/posting.ts';
import type { Services } from '../state/services.tsx';
import { useTx } from '../state/useTx.ts';
import type { DetailCommands } from './ConversationDetail.tsx';
import { Spinner } from './States.tsx';
import { TxStatus } from './TxStatus.tsx';

interface Props {
  state: ConversationState;
  services: Services;
  getSigner: (() => Promise<JsonRpcSigner>) | null;
  /** Why the wallet cannot send (not connected, wrong network), or null. */
  blocked: string | null;
  /** The connected account's current order, or null. */
  mine: RankingOrder | null;
  onChanged: () => void;
  onRanked: (id: bigint) => void;
  commands: MutableRefObject<DetailCommands>;
}

const WORD = (o: RankingOrder) => (o[0] === 0 ? 'Confirm (A is better)' : 'Switch (B is better)');

/**
 * Confirm (keep A over B) or Switch (prefer B), also with keys 1 and 2; the user's current choice is marked. Before both
 * responses are on-chain the contract cannot take a ranking: the panel says so and offers to post them, then rank.
 */
export function RankPanel({
  state,
  services,
  getSigner,
  blocked,
  mine,
  onChanged,
  onRanked,
  commands,
}: Props) {
  const c = state.conversation;
  const posted = !!c.responses[0] && !!c.responses[1];
  const tx = useTx();
  const [sending, setSending] = useState<RankingOrder | null>(null);
  const [pending, setPending] = useState<RankingOrder | null>(null);
  const { busy, track, run } = tx;

  useEffect(() => {
    track.reset();
    setPending(null);
  }, [c.id, track]);

  const send = useCallback(
    async (order: RankingOrder) => {
      if (!getSigner) return null;
      return run(
        async (onSent) =>
          submitRanking(
            trustAndTeach(services.deployments.contracts.TrustAndTeach, await getSigner()),
            c.id,
            order,
            onSent,
          ),
        (r) =>
          'unchanged' in r ? { note: 'You already ranked it this way.' } : { hash: r.txHash, note: 'Ranked' },
      );
    },
    [getSigner, run, services, c.id],
  );

  const rank = useCallback(
    async (order: RankingOrder) => {
      if (!getSigner || busy || blocked) return;
      if (!posted) {
        setPending(order);
        return;
      }
      setSending(order);
      const out = await send(order);
      setSending(null);
      if (out) {
        onChanged();
        onRanked(c.id);
      }
    },
    [getSigner, busy, blocked, posted, send, onChanged, onRanked, c.id],
  );

  const postThenRank = async (order: RankingOrder) => {
    if (!getSigner) return;
    setSending(order);
    track.waiting('posting both responses on-chain first (two transactions)…');
    try {
      await postConversation(services, await getSigner(), c);
    } catch (err) {
      track.failed(err);
      setSending(null);
      onChanged();
      return;
    }
    setPending(null);
    const out = await send(order);
    setSending(null);
    onChanged();
    if (out) onRanked(c.id);
  };

  // A layout effect: the key is live as soon as the control it stands for is shown (a plain effect runs after the
  // paint, and a key pressed in between would do nothing).
  useLayoutEffect(() => {
    const cmds = commands.current;
    cmds.rank = (order) => void rank(order);
    return () => {
      cmds.rank = undefined;
    };
  }, [commands, rank]);

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
      {button(CONFIRM, 'Confirm · A is better', '1', 'Keep the order: Response A is preferred')}
      {button(SWITCH, 'Switch · B is better', '2', 'Swap the order: Response B is preferred')}
      {pending && !busy ? (
        <div className="offer" role="alert" data-testid="rank-needs-post">
          <span>
            Response A and Response B are not on-chain yet, and the contract takes a ranking only once both
            are.
          </span>
          <button type="button" className="btn primary small" onClick={() => void postThenRank(pending)}>
            Post, then {WORD(pending).split(' ')[0]}
          </button>
          <button type="button" className="btn ghost small" onClick={() => setPending(null)}>
            Cancel
          </button>
        </div>
      ) : (
        <span className="explain" aria-live="polite">
          {blocked ??
            (mine
              ? `Your ranking: ${WORD(mine)}. You can change it.`
              : posted
                ? 'Which response is better? Press 1 or 2.'
                : 'Which response is better? (They are posted on-chain before the ranking.)')}
        </span>
      )}
      <TxStatus state={tx.state} explorerUrl={services.network.explorerUrl} />
    </div>
  );
}

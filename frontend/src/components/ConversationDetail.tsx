import {
  CONFIRM,
  dappOf,
  SWITCH,
  executeVoucher,
  submitRanking,
  trustAndTeach,
  type ConversationState,
  type RankingOrder,
} from '@tt/client';
import type { JsonRpcSigner } from 'ethers';
import { useCallback, useEffect, useState } from 'react';
import { addressGradient, formatMilli, sameAddress, shortHex, timeAgo } from '../lib/format.ts';
import { describeError, type UserError } from '../lib/errors.ts';
import { displayText } from '@tt/protocol';
import { isTypingTarget } from '../lib/keys.ts';
import type { Services } from '../state/services.tsx';
import { useVerification, useVerify } from '../verify/useVerify.ts';
import { LETTER, ResponseCard } from './ResponseCard.tsx';
import { StagePill } from './StagePill.tsx';
import { Spinner } from './States.tsx';

interface Props {
  state: ConversationState;
  services: Services;
  account: string | null;
  getSigner: (() => Promise<JsonRpcSigner>) | null;
  /** Why the wallet cannot send (not connected, wrong network), or null. */
  blocked: string | null;
  onChanged: () => void;
}

/** A conversation: its prompt, both responses side by side, posting, ranking, and everyone's rankings. */
export function ConversationDetail({ state, services, account, getSigner, blocked, onChanged }: Props) {
  const { conversation: c, node, stage } = state;
  const verify = useVerification(c.id);
  const runVerify = useVerify(services.model);
  const mine = c.rankings.find((r) => sameAddress(r.ranker, account)) ?? null;
  const generating = stage.stage === 'generating' || stage.stage === 'submitted';
  const bothPosted = !!c.responses[0] && !!c.responses[1];
  const anyReadable = [0, 1].some((i) => c.responses[i] || node?.notices[i]);
  const verifying = verify.some(
    (v) => v.phase === 'queued' || v.phase === 'loading' || v.phase === 'running',
  );

  return (
    <section className="card" aria-labelledby="detail-title" data-testid="detail">
      <div className="detail-head">
        <div className="detail-title">
          <h2 id="detail-title">Conversation #{c.id.toString()}</h2>
          <StagePill info={stage} since={c.promptedAt} />
          <span className="spacer" />
          {!stage.rejection && (
            <button
              type="button"
              className="btn small"
              onClick={() => void runVerify(state)}
              disabled={!anyReadable || verifying}
              title="Re-run the model in your browser with the recorded seed and settings, and compare the bytes"
            >
              {verifying && <Spinner label="Verifying" />}
              {verifying ? 'Verifying…' : 'Verify responses'}
            </button>
          )}
        </div>
        <div className="prompt-block" data-testid="prompt">
          {displayText(c.prompt)}
        </div>
        <div className="params">
          <span>
            by <b title={c.author}>{sameAddress(c.author, account) ? 'you' : shortHex(c.author)}</b> ·{' '}
            {timeAgo(c.promptedAt)}
          </span>
          <span>
            total tokens <b>{c.params.steps}</b>
          </span>
          <span>
            temperature <b>{formatMilli(c.params.temperatureMilli, true)}</b>
          </span>
          <span>
            top-p <b>{formatMilli(c.params.topPMilli)}</b>
          </span>
          <span>
            input <b>{c.inputIndex}</b>
          </span>
          <span title={c.modelHash}>
            model <b>{shortHex(c.modelHash, 8, 4)}</b>
          </span>
        </div>
        {stage.rejection && (
          <div className="rejection" role="alert">
            <b>The backend rejected this prompt</b> ({stage.rejection.code}): {stage.rejection.message}
          </div>
        )}
      </div>

      {!stage.rejection && (
        <div className="pair">
          {([0, 1] as const).map((i) => (
            <ResponseCard
              key={i}
              index={i}
              conversation={c}
              notice={node?.notices[i]}
              generating={generating}
              preferred={!!mine && mine.order[0] === i}
              verify={verify[i]}
              explorerUrl={services.network.explorerUrl}
            />
          ))}
        </div>
      )}

      {!stage.rejection && !bothPosted && (
        <PostPanel
          state={state}
          services={services}
          getSigner={getSigner}
          blocked={blocked}
          onChanged={onChanged}
        />
      )}
      {bothPosted && (
        <RankPanel
          state={state}
          services={services}
          getSigner={getSigner}
          blocked={blocked}
          mine={mine?.order ?? null}
          onChanged={onChanged}
        />
      )}
      {bothPosted && <RankingsTable state={state} account={account} />}
    </section>
  );
}

type VoucherTx =
  | { phase: 'idle' }
  | { phase: 'signing' }
  | { phase: 'waiting' }
  | { phase: 'pending'; hash: string }
  | { phase: 'done'; hash?: string; skipped?: boolean }
  | { phase: 'failed'; error: UserError };

/** "Post on-chain": executes both vouchers, one transaction each, showing each one's state. */
function PostPanel({ state, services, getSigner, blocked, onChanged }: Omit<Props, 'account'>) {
  const { conversation: c, node, stage } = state;
  const [txs, setTxs] = useState<[VoucherTx, VoucherTx]>([{ phase: 'idle' }, { phase: 'idle' }]);
  const busy = txs.some((t) => t.phase === 'signing' || t.phase === 'pending' || t.phase === 'waiting');
  const proofsReady =
    stage.stage === 'proofsReady' || (node?.vouchers.length === 2 && node.vouchers.every((v) => v.proof));

  useEffect(() => setTxs([{ phase: 'idle' }, { phase: 'idle' }]), [c.id]);

  const post = async () => {
    if (!getSigner || !node) return;
    const signer = await getSigner();
    for (const voucher of node.vouchers.slice(0, 2)) {
      const i = voucher.index as 0 | 1;
      if (c.responses[i]) {
        setTxs((t) => with_(t, i, { phase: 'done', skipped: true }));
        continue;
      }
      setTxs((t) => with_(t, i, { phase: 'signing' }));
      try {
        const out = await executeWhenClaimed(
          () =>
            executeVoucher({
              dapp: dappOf(services.deployments),
              signer,
              inputIndex: c.inputIndex,
              voucher,
              onSent: (hash) => setTxs((t) => with_(t, i, { phase: 'pending', hash })),
            }),
          () => setTxs((t) => with_(t, i, { phase: 'waiting' })),
        );
        setTxs((t) =>
          with_(
            t,
            i,
            out.status === 'executed'
              ? { phase: 'done', hash: out.txHash }
              : { phase: 'done', skipped: true },
          ),
        );
      } catch (err) {
        setTxs((t) => with_(t, i, { phase: 'failed', error: describeError(err) }));
        break;
      }
    }
    onChanged();
  };

  let explain: string;
  if (stage.stage === 'generating' || stage.stage === 'submitted')
    explain = 'Both responses must be generated before they can be posted.';
  else if (!proofsReady)
    explain = 'Responses are readable off-chain. Waiting for the epoch to close and the proofs to be ready…';
  else explain = 'Proofs are ready: post both responses on-chain so they can be ranked. Two transactions.';

  const started = txs.some((t) => t.phase !== 'idle');
  return (
    <div className="actions" data-testid="post-panel">
      <button
        type="button"
        className="btn primary"
        onClick={() => void post()}
        disabled={!proofsReady || !!blocked || busy}
        title={blocked ?? undefined}
      >
        {busy && <Spinner label="Posting" />}
        {busy ? 'Posting…' : 'Post on-chain'}
      </button>
      <span className="explain">{blocked && proofsReady ? blocked : explain}</span>
      {started && (
        <ul className="tx-list" style={{ width: '100%' }} aria-label="Post transactions">
          {([0, 1] as const).map((i) => (
            <li key={i} data-post-tx={i} data-phase={txs[i].phase}>
              <VoucherTxLine label={`Response ${LETTER[i]}`} tx={txs[i]} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

const CLAIM_RETRY_MS = 2000;
const CLAIM_WAIT_MS = 120_000;

/**
 * The node can serve a proof before its epoch's claim is mined (cartesi-v1.md §2.2); executeVoucher then says
 * `proofs-not-ready`. Waiting a little is the fix, so the page waits instead of handing the user an error.
 */
async function executeWhenClaimed<T>(run: () => Promise<T>, onWait: () => void): Promise<T> {
  const deadline = Date.now() + CLAIM_WAIT_MS;
  for (;;) {
    try {
      return await run();
    } catch (err) {
      if ((err as { code?: unknown }).code !== 'proofs-not-ready' || Date.now() > deadline) throw err;
      onWait();
      await new Promise((r) => setTimeout(r, CLAIM_RETRY_MS));
    }
  }
}

function with_<T>(pair: [T, T], i: 0 | 1, v: T): [T, T] {
  return i === 0 ? [v, pair[1]] : [pair[0], v];
}

function VoucherTxLine({ label, tx }: { label: string; tx: VoucherTx }) {
  switch (tx.phase) {
    case 'idle':
      return (
        <>
          <span className="dot" /> {label}: waiting
        </>
      );
    case 'signing':
      return (
        <>
          <Spinner /> {label}: confirm in your wallet…
        </>
      );
    case 'waiting':
      return (
        <>
          <Spinner /> {label}: waiting for the epoch's claim to reach the chain…
        </>
      );
    case 'pending':
      return (
        <>
          <Spinner /> {label}: pending <code>{shortHex(tx.hash, 10, 6)}</code>
        </>
      );
    case 'done':
      return (
        <>
          <span style={{ color: 'var(--green)' }}>✓</span> {label}:{' '}
          {tx.skipped ? 'already on-chain' : 'posted'} {tx.hash && <code>{shortHex(tx.hash, 10, 6)}</code>}
        </>
      );
    case 'failed':
      return (
        <span className="error-text" role="alert">
          {label}: {tx.error.message} {tx.error.hint}
        </span>
      );
  }
}

type RankTx =
  | { phase: 'idle' }
  | { phase: 'signing'; order: RankingOrder }
  | { phase: 'pending'; order: RankingOrder; hash: string }
  | { phase: 'done'; unchanged: boolean }
  | { phase: 'failed'; error: UserError };

/** Confirm (keep A over B) or Switch (prefer B), with keys 1 and 2; the user's current choice is marked. */
function RankPanel({
  state,
  services,
  getSigner,
  blocked,
  mine,
  onChanged,
}: Omit<Props, 'account'> & { mine: RankingOrder | null }) {
  const c = state.conversation;
  const [tx, setTx] = useState<RankTx>({ phase: 'idle' });
  const busy = tx.phase === 'signing' || tx.phase === 'pending';

  useEffect(() => setTx({ phase: 'idle' }), [c.id]);

  const rank = useCallback(
    async (order: RankingOrder) => {
      if (!getSigner || busy) return;
      setTx({ phase: 'signing', order });
      try {
        const contract = trustAndTeach(services.deployments.contracts.TrustAndTeach, await getSigner());
        const out = await submitRanking(contract, c.id, order, (hash) =>
          setTx({ phase: 'pending', order, hash }),
        );
        setTx({ phase: 'done', unchanged: 'unchanged' in out });
        onChanged();
      } catch (err) {
        setTx({ phase: 'failed', error: describeError(err) });
      }
    },
    [getSigner, busy, services, c.id, onChanged],
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

  const pendingOrder = tx.phase === 'signing' || tx.phase === 'pending' ? tx.order : null;
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
        {pendingOrder === order && <Spinner />}
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
          (tx.phase === 'signing'
            ? 'Confirm in your wallet…'
            : tx.phase === 'pending'
              ? `Pending ${shortHex(tx.hash, 10, 6)}…`
              : tx.phase === 'failed'
                ? ''
                : tx.phase === 'done' && tx.unchanged
                  ? 'You already ranked it this way.'
                  : mine
                    ? `Your ranking: ${mine[0] === 0 ? 'Confirm (A)' : 'Switch (B)'}. You can change it.`
                    : 'Which response is better? Press 1 or 2.')}
      </span>
      {tx.phase === 'failed' && (
        <span className="error-text" role="alert">
          {tx.error.message} {tx.error.hint}
        </span>
      )}
    </div>
  );
}

function RankingsTable({ state, account }: { state: ConversationState; account: string | null }) {
  const { rankings } = state.conversation;
  const confirms = rankings.filter((r) => r.order[0] === 0).length;
  return (
    <div className="section" data-testid="rankings">
      <div className="section-title">
        <h3>Rankings</h3>
        <span className="help">
          {rankings.length === 0
            ? 'nobody has ranked this pair yet'
            : `${confirms} prefer A · ${rankings.length - confirms} prefer B`}
        </span>
      </div>
      {rankings.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>Ranker</th>
                <th>Choice</th>
                <th>When</th>
              </tr>
            </thead>
            <tbody>
              {rankings.map((r) => {
                const you = sameAddress(r.ranker, account);
                return (
                  <tr key={r.ranker} className={you ? 'mine' : ''} data-ranker={r.ranker.toLowerCase()}>
                    <td>
                      <span className="row">
                        <span
                          className="avatar"
                          style={{ background: addressGradient(r.ranker) }}
                          aria-hidden="true"
                        />
                        <code title={r.ranker}>{shortHex(r.ranker)}</code>
                        {you && <span className="badge you">you</span>}
                      </span>
                    </td>
                    <td>{r.order[0] === 0 ? 'Confirm · A over B' : 'Switch · B over A'}</td>
                    <td className="help">{r.rankedAt ? timeAgo(r.rankedAt) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

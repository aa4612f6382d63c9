import { describeRefused, type ConversationState, type PostProgress, type RefusedOutput } from '@tt/client';
import type { JsonRpcSigner } from 'ethers';
import { useEffect, useLayoutEffect, useRef, useState, type MutableRefObject } from 'react';
import { postConversation } from '../lib/posting.ts';
import type { Services } from '../state/services.tsx';
import { useTx } from '../state/useTx.ts';
import type { DetailCommands } from './ConversationDetail.tsx';
import { LETTER } from './ResponseCard.tsx';
import { Spinner } from './States.tsx';
import { TxStatus } from './TxStatus.tsx';

/** What a panel that sends a conversation's transactions gets (the post panel, the rejection panel). */
export interface ActionPanelProps {
  state: ConversationState;
  services: Services;
  getSigner: (() => Promise<JsonRpcSigner>) | null;
  /** Why the wallet cannot send (not connected, wrong network), or null. */
  blocked: string | null;
  onChanged: () => void;
  /** The page's `p` key posts through here. */
  commands?: MutableRefObject<DetailCommands>;
}

/**
 * "Post on-chain": @tt/client's postWhenClaimed executes both vouchers, one transaction each, waiting by itself while
 * the epoch's claim is not on chain yet; each response's line follows its own transaction. The vouchers are the ones
 * that decode to this conversation's responses; any other output of the input is listed, never executed.
 */
export function PostPanel({ state, services, getSigner, blocked, onChanged, commands }: ActionPanelProps) {
  const { conversation: c, node, stage } = state;
  const txs = [useTx(), useTx()] as const;
  // Between one voucher's transaction and the next neither is busy: the whole post is.
  const [posting, setPosting] = useState(false);
  const busy = posting || txs.some((t) => t.busy);
  const proofsReady =
    stage.stage === 'proofsReady' || (node?.vouchers.length === 2 && node.vouchers.every((v) => v.proof));
  const [refused, setRefused] = useState<RefusedOutput[]>([]);

  const [first, second] = txs;
  useEffect(() => {
    first.track.reset();
    second.track.reset();
  }, [c.id, first.track, second.track]);

  // The progress callback outlives the render it was made in: what it needs to remember lives in a ref.
  const progress = useRef({ voucher: 0, done: new Set<number>() });
  const onProgress = (p: PostProgress) => {
    if (p.phase === 'waiting') {
      for (const i of [0, 1] as const)
        if (!progress.current.done.has(i))
          txs[i].track.waiting("waiting for the epoch's claim to reach the chain…");
      return;
    }
    if (p.phase === 'refused') return setRefused(p.refused);
    // the line of the response the voucher posts (its position among the input's outputs says nothing)
    const line = p.responseIndex ?? 0;
    const tx = txs[line];
    progress.current.voucher = line;
    if (p.phase === 'signing') tx.track.signing();
    else if (p.phase === 'pending') tx.track.sent(p.txHash);
    else {
      progress.current.done.add(line);
      if (p.outcome.status === 'executed') tx.track.done({ hash: p.outcome.txHash, note: 'posted' });
      else tx.track.done({ note: 'already on-chain' });
    }
  };

  const post = async () => {
    if (!getSigner) return;
    progress.current = { voucher: 0, done: new Set() };
    setPosting(true);
    try {
      await postConversation(services, await getSigner(), c, onProgress);
    } catch (err) {
      txs[progress.current.voucher]!.track.failed(err);
    }
    setPosting(false);
    onChanged();
  };

  const canPost = proofsReady && !blocked && !busy;
  // A layout effect: the key is live as soon as the control it stands for is shown (a plain effect runs after the
  // paint, and a key pressed in between would do nothing).
  useLayoutEffect(() => {
    if (!commands) return;
    const cmds = commands.current;
    cmds.post = canPost ? () => void post() : undefined;
    return () => {
      cmds.post = undefined;
    };
  });

  let explain: string;
  if (stage.stage === 'generating' || stage.stage === 'submitted')
    explain = 'Both responses must be generated before they can be posted.';
  else if (!proofsReady)
    explain = 'Responses are readable off-chain. Waiting for the epoch to close and the proofs to be ready…';
  else explain = 'Proofs are ready: post both responses on-chain so they can be ranked. Two transactions.';

  const started = txs.some((t) => t.state.phase !== 'idle');
  const foreign = refused.length ? refused : (node?.refused ?? []);
  return (
    <div className="actions" data-testid="post-panel">
      <button
        type="button"
        className="btn primary"
        aria-keyshortcuts="p"
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
            <li key={i} data-post-tx={i} data-phase={txs[i].state.phase}>
              <TxStatus
                state={txs[i].state}
                label={`Response ${LETTER[i]}`}
                idle="waiting"
                explorerUrl={services.network.explorerUrl}
              />
            </li>
          ))}
        </ul>
      )}
      {foreign.length > 0 && (
        <div className="rejection" role="alert" data-testid="refused-outputs" style={{ width: '100%' }}>
          <b>Not posted:</b> the node lists outputs for this input that are not this conversation’s answer;
          they are never executed.
          <ul>
            {describeRefused(foreign, c.inputIndex).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

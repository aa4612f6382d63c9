import type { ConversationState } from '@tt/client';
import { displayText } from '@tt/protocol';
import type { JsonRpcSigner } from 'ethers';
import { formatMilli, sameAddress, shortHex, timeAgo } from '../lib/format.ts';
import type { Services } from '../state/services.tsx';
import { useVerification, useVerify } from '../verify/useVerify.ts';
import { PostPanel } from './PostPanel.tsx';
import { RankingsTable } from './RankingsTable.tsx';
import { RankPanel } from './RankPanel.tsx';
import { MachineProgress } from './MachineProgress.tsx';
import { ResponseCard } from './ResponseCard.tsx';
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
        {generating && <MachineProgress nodeUrl={services.network.nodeUrl} inputIndex={c.inputIndex} />}
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
          conversationId={c.id}
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

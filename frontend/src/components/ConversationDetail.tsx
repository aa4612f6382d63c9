import {
  fetchNodeInput,
  GraphQLClient,
  nodeView,
  rankerAgreement,
  type ConversationState,
  type NodeView,
  type RankingOrder,
} from '@tt/client';
import { displayText } from '@tt/protocol';
import type { JsonRpcSigner } from 'ethers';
import { useEffect, useLayoutEffect, useMemo, useState, type MutableRefObject } from 'react';
import { formatMilli, sameAddress, shortHex, timeAgo } from '../lib/format.ts';
import { chainReadOptions, type Services } from '../state/services.tsx';
import { isVerifying, useVerification, useVerify } from '../verify/useVerify.ts';
import { isFineTuned } from '../verify/versionJob.ts';
import { PostPanel } from './PostPanel.tsx';
import { RankingsTable } from './RankingsTable.tsx';
import { RankPanel } from './RankPanel.tsx';
import { MachineProgress } from './MachineProgress.tsx';
import { RejectionPanel } from './RejectionPanel.tsx';
import { ResponseCard } from './ResponseCard.tsx';
import { StagePill } from './StagePill.tsx';
import { Spinner } from './States.tsx';
import { VersionVerify } from './VersionVerify.tsx';

/** What the page's keys do to the open conversation; the panels that can do it fill these in. */
export interface DetailCommands {
  rank?: (order: RankingOrder) => void;
  post?: () => void;
  verify?: () => void;
}

interface Props {
  state: ConversationState;
  /** Every conversation: a ranker's agreement is over all of them. */
  all: readonly ConversationState[];
  services: Services;
  account: string | null;
  getSigner: (() => Promise<JsonRpcSigner>) | null;
  /** Why the wallet cannot send (not connected, wrong network), or null. */
  blocked: string | null;
  onChanged: () => void;
  /** A ranking from this account went through (for auto-advance). */
  onRanked: (id: bigint) => void;
  commands: MutableRefObject<DetailCommands>;
}

/**
 * The node's view of a conversation the list no longer polls (both responses on-chain): asked once, for what only the
 * node knows, such as how many tokens each response has.
 */
function useSettledNodeView(services: Services, inputIndex: number, skip: boolean): NodeView | null {
  const [view, setView] = useState<{ index: number; view: NodeView } | null>(null);
  const graphql = useMemo(
    () => new GraphQLClient(services.network.graphqlUrl),
    [services.network.graphqlUrl],
  );
  useEffect(() => {
    if (skip) return;
    let stopped = false;
    fetchNodeInput(graphql, inputIndex)
      .then((input) => !stopped && input && setView({ index: inputIndex, view: nodeView(input) }))
      .catch(() => undefined); // only extras depend on it
    return () => {
      stopped = true;
    };
  }, [graphql, inputIndex, skip]);
  return view?.index === inputIndex ? view.view : null;
}

/** A conversation: its prompt, both responses side by side, posting, ranking, and everyone's rankings. */
export function ConversationDetail(props: Props) {
  const { state, services, account, getSigner, blocked, onChanged, commands } = props;
  const { conversation: c, stage } = state;
  const settledNode = useSettledNodeView(services, c.inputIndex, state.node !== null);
  const node = state.node ?? settledNode;
  const verify = useVerification(c.id);
  const chain = useMemo(() => chainReadOptions(services), [services]);
  const runVerify = useVerify(services.model, chain);
  const mine = c.rankings.find((r) => sameAddress(r.ranker, account)) ?? null;
  const generating = stage.stage === 'generating' || stage.stage === 'submitted';
  const bothPosted = !!c.responses[0] && !!c.responses[1];
  const bothReadable = [0, 1].every((i) => c.responses[i] || node?.notices[i]);
  const anyReadable = [0, 1].some((i) => c.responses[i] || node?.notices[i]);
  const verifying = isVerifying(verify);
  const agreement = useMemo(() => rankerAgreement(props.all.map((s) => s.conversation)), [props.all]);

  // A layout effect: the key is live as soon as the control it stands for is shown (a plain effect runs after the
  // paint, and a key pressed in between would do nothing).
  useLayoutEffect(() => {
    const cmds = commands.current;
    cmds.verify = anyReadable && !verifying && !stage.rejection ? () => void runVerify(state) : undefined;
    return () => {
      cmds.verify = undefined;
    };
  }, [commands, anyReadable, verifying, stage.rejection, runVerify, state]);

  return (
    <section
      className="card"
      aria-labelledby="detail-title"
      data-testid="detail"
      data-detail={c.id.toString()}
    >
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
              aria-keyshortcuts="v"
              title={
                isFineTuned(c)
                  ? `Re-derive v${c.modelVersion}'s weights from the chain in your browser, re-run the model with the recorded seed and settings, and compare the bytes (v)`
                  : 'Re-run the model in your browser with the recorded seed and settings, and compare the bytes (v)'
              }
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
          <span title="Tokens in all, the prompt's included (llama2.c's steps)">
            length <b>{c.params.steps}</b>
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
        {!stage.rejection && isFineTuned(c) && (
          <VersionVerify
            state={state}
            model={services.model}
            verify={verify}
            verifying={verifying}
            run={runVerify}
          />
        )}
        {generating && <MachineProgress nodeUrl={services.network.nodeUrl} inputIndex={c.inputIndex} />}
        {stage.rejection && (
          <RejectionPanel
            state={state}
            services={services}
            getSigner={getSigner}
            blocked={blocked}
            onChanged={onChanged}
          />
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
          state={{ ...state, node }}
          services={services}
          getSigner={getSigner}
          blocked={blocked}
          onChanged={onChanged}
          commands={commands}
        />
      )}
      {!stage.rejection && bothReadable && (
        <RankPanel
          state={state}
          services={services}
          getSigner={getSigner}
          blocked={blocked}
          mine={mine?.order ?? null}
          onChanged={onChanged}
          onRanked={props.onRanked}
          commands={commands}
        />
      )}
      {bothPosted && <RankingsTable state={state} account={account} agreement={agreement} />}
    </section>
  );
}

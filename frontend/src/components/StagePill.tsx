import type { Stage, StageInfo } from '@tt/client';
import { formatElapsed } from '../lib/format.ts';
import { useNow } from '../state/useNow.ts';

const WORDS: Record<Stage, string> = {
  submitted: 'Submitted',
  generating: 'Generating',
  responsesReady: 'Responses ready',
  proofsReady: 'Proofs ready',
  posted: 'Posted',
  ranked: 'Ranked',
  rejected: 'Rejected',
};

export const STAGE_HELP: Record<Stage, string> = {
  submitted: 'The prompt is on-chain; the rollup node has not picked it up yet.',
  generating: 'The model is writing both responses inside the rollup.',
  responsesReady:
    'Both responses are readable off-chain (notices); waiting for the epoch to close so they can be proven.',
  proofsReady: 'Proofs are ready: anyone can post both responses on-chain.',
  posted: 'Both responses are on-chain and can be ranked.',
  ranked: 'Ranked by at least one account.',
  rejected: 'The backend rejected this prompt.',
};

/** The conversation's stage; while generating it counts the seconds since the prompt was mined. */
export function StagePill({ info, since }: { info: StageInfo; since?: number }) {
  const now = useNow(info.stage === 'generating' || info.stage === 'submitted' ? 1000 : null);
  let text = WORDS[info.stage];
  if ((info.stage === 'generating' || info.stage === 'submitted') && since)
    text += ` · ${formatElapsed(now / 1000 - since)}`;
  if (info.stage === 'ranked') text += ` · ${info.rankingCount}`;
  if (info.postedCount === 1 && (info.stage === 'proofsReady' || info.stage === 'responsesReady'))
    text += ' · 1/2 posted';
  return (
    <span
      className={`pill ${info.stage}`}
      title={info.rejection?.message ?? STAGE_HELP[info.stage]}
      data-stage={info.stage}
    >
      {text}
    </span>
  );
}

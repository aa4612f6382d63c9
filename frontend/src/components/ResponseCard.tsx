import type { Conversation } from '@tt/client';
import { displayText, type ResponseNotice } from '@tt/protocol';
import { shortHex } from '../lib/format.ts';
import { deriveFraction, describeDerive } from '../verify/derive-progress.ts';
import type { VerifyState } from '../verify/useVerify.ts';
import { Spinner } from './States.tsx';

interface Props {
  index: 0 | 1;
  conversation: Conversation;
  notice: ResponseNotice | undefined;
  generating: boolean;
  preferred: boolean;
  verify: VerifyState;
  explorerUrl?: string;
}

export const LETTER = ['A', 'B'] as const;

/** One response: the on-chain text where posted, otherwise the backend's notice, with its Verify badge. */
export function ResponseCard({
  index,
  conversation,
  notice,
  generating,
  preferred,
  verify,
  explorerUrl,
}: Props) {
  const posted = conversation.responses[index];
  const bytes = posted?.bytes ?? notice?.bytes;
  const seed = posted?.seed ?? notice?.seed;
  return (
    <article
      className={`response ${preferred ? 'preferred' : ''}`}
      aria-label={`Response ${LETTER[index]}`}
      data-response={index}
    >
      <header className="response-head">
        <span className="letter" aria-hidden="true">
          {LETTER[index]}
        </span>
        <h3>Response {LETTER[index]}</h3>
        {posted ? (
          <span className="badge" title="Posted by executing the Cartesi voucher">
            on-chain
          </span>
        ) : notice ? (
          <span className="badge" title="Read from the rollup node's notice; not posted yet">
            off-chain
          </span>
        ) : null}
        {preferred && <span className="badge ok">your pick</span>}
        <span className="spacer" />
        <VerifyBadge state={verify} />
      </header>
      <div className="response-text" data-testid={`response-text-${index}`}>
        {bytes ? (
          <>
            <span className="prompt-echo">{displayText(conversation.prompt)}</span>
            {displayText(bytes)}
          </>
        ) : generating ? (
          <div className="stack" aria-busy="true">
            <div className="row help">
              <Spinner /> The model is writing this response…
            </div>
            <div className="skeleton" style={{ width: '92%' }} />
            <div className="skeleton" style={{ width: '84%' }} />
            <div className="skeleton" style={{ width: '60%' }} />
          </div>
        ) : (
          <span className="help">No response.</span>
        )}
      </div>
      {verify.phase === 'running' || verify.phase === 'loading' || verify.phase === 'deriving' ? (
        <footer className="response-foot">
          <span>
            {verify.phase === 'loading'
              ? 'Downloading model'
              : verify.phase === 'deriving'
                ? describeDerive(verify.progress)
                : `Re-running ${verify.pos}/${verify.steps}`}
          </span>
          <div
            className="progress"
            role="progressbar"
            aria-label={`Verify response ${LETTER[index]}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(progressOf(verify) * 100)}
          >
            <span style={{ width: `${progressOf(verify) * 100}%` }} />
          </div>
        </footer>
      ) : (
        bytes && (
          <footer className="response-foot">
            <span title="Sampler seed, derived from the conversation id and response index">
              seed {seed?.toString()}
            </span>
            <span>{bytes.length} bytes</span>
            {notice && <span>{notice.tokens.length - notice.promptTokens} tokens</span>}
            {posted?.txHash &&
              (explorerUrl ? (
                <a href={`${explorerUrl}/tx/${posted.txHash}`} target="_blank" rel="noreferrer">
                  tx {shortHex(posted.txHash)}
                </a>
              ) : (
                <span title={posted.txHash}>tx {shortHex(posted.txHash)}</span>
              ))}
          </footer>
        )
      )}
      {(verify.phase === 'verified' ||
        verify.phase === 'mismatch' ||
        verify.phase === 'error' ||
        verify.phase === 'cancelled') && (
        <footer
          className={`response-foot verdict ${verify.phase === 'verified' || verify.phase === 'cancelled' ? '' : 'error-text'}`}
          role={verify.phase === 'verified' || verify.phase === 'cancelled' ? 'status' : 'alert'}
          data-testid={`verify-detail-${index}`}
        >
          {verify.phase === 'error' || verify.phase === 'cancelled' ? verify.message : verify.detail}
        </footer>
      )}
    </article>
  );
}

function progressOf(v: VerifyState): number {
  if (v.phase === 'loading') return v.total ? v.loaded / v.total : 0.1;
  if (v.phase === 'running') return v.steps ? v.pos / v.steps : 0;
  if (v.phase === 'deriving') return deriveFraction(v.progress);
  return 0;
}

export function VerifyBadge({ state }: { state: VerifyState }) {
  switch (state.phase) {
    case 'idle':
      return null;
    case 'queued':
    case 'loading':
    case 'deriving':
    case 'running':
      return (
        <span className="badge" data-verify="running">
          <Spinner /> Verifying
        </span>
      );
    case 'verified':
      return (
        <span className="badge ok" data-verify="verified" title={state.detail}>
          ✓ Verified
        </span>
      );
    case 'mismatch':
      return (
        <span className="badge bad" data-verify="mismatch" title={state.detail}>
          ✗ Mismatch
        </span>
      );
    case 'error':
      return (
        <span className="badge bad" data-verify="error" title={state.message}>
          Verify failed
        </span>
      );
    case 'cancelled':
      return (
        <span className="badge" data-verify="cancelled" title={state.message}>
          Cancelled
        </span>
      );
  }
}

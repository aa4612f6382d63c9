// Verify of a conversation answered by a fine-tuned version: says how its weights are checked (re-derived from the
// chain in this browser, or a weights file whose hash must be the registered one), shows the re-derivation's progress
// with a Cancel button, and, once the weights are held, lets the user save them (for another machine's Verify).
import type { Conversation, ConversationState, Hex } from '@tt/client';
import { useRef, useState } from 'react';
import { saveBlob } from '../lib/download.ts';
import { shortHex } from '../lib/format.ts';
import { deriveFraction, describeDerive } from '../verify/derive-progress.ts';
import type { ModelClient } from '../verify/modelClient.ts';
import { cancelVerify, type VerifyState, type WeightsSource } from '../verify/useVerify.ts';

interface Props {
  state: ConversationState;
  model: ModelClient;
  verify: readonly [VerifyState, VerifyState];
  verifying: boolean;
  run: (state: ConversationState, weights?: WeightsSource) => Promise<void>;
}

export function VersionVerify({ state, model, verify, verifying, run }: Props) {
  const c: Conversation = state.conversation;
  const n = c.modelVersion ?? 0;
  const file = useRef<HTMLInputElement>(null);
  const [saveError, setSaveError] = useState<string | null>(null);
  const deriving = verify.find((v) => v.phase === 'deriving');
  const held = model.holds(c.modelHash);

  const save = async () => {
    setSaveError(null);
    try {
      const bytes = await model.weightsOf(c.modelHash as Hex);
      saveBlob(`v${n}-${c.modelHash.slice(2, 10)}.bin`, new Blob([bytes as Uint8Array<ArrayBuffer>]));
    } catch (e) {
      setSaveError((e as Error).message);
    }
  };

  return (
    <div className="version-verify" data-testid="version-verify">
      <p className="help">
        Answered by fine-tuned <b>v{n}</b> (<code title={c.modelHash}>{shortHex(c.modelHash, 10, 6)}</code>).{' '}
        {held
          ? `Its weights are held in this page, checked against the hash the chain registered: Verify re-runs the responses with them.`
          : `Verify re-derives its weights in your browser: it replays the teach inputs that trained it, from the chain, with the deterministic trainer, and checks the result against the hash the chain registered. Or choose its weights file: its hash is checked the same way.`}
      </p>
      {deriving?.phase === 'deriving' && (
        <div className="row" data-testid="derive-progress">
          <span>{describeDerive(deriving.progress)}</span>
          <div
            className="progress"
            role="progressbar"
            aria-label={`Re-deriving v${n}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={Math.round(deriveFraction(deriving.progress) * 100)}
          >
            <span style={{ width: `${deriveFraction(deriving.progress) * 100}%` }} />
          </div>
          <button type="button" className="btn small" onClick={() => cancelVerify(c.id)}>
            Cancel
          </button>
        </div>
      )}
      <div className="row">
        <input
          ref={file}
          type="file"
          hidden
          aria-label={`Weights file of v${n}`}
          data-testid="weights-file"
          onChange={(e) => {
            const f = e.currentTarget.files?.[0];
            e.currentTarget.value = '';
            if (f) void run(state, { kind: 'file', file: f });
          }}
        />
        <button
          type="button"
          className="btn small"
          disabled={verifying}
          onClick={() => file.current?.click()}
          title={`Verify with a checkpoint file of v${n} from anywhere: it is used only if its hash is the one the chain registered`}
        >
          Verify with a weights file…
        </button>
        {held && (
          <button
            type="button"
            className="btn small ghost"
            onClick={() => void save()}
            title="Save the checked weights, e.g. to verify on another machine without training again"
          >
            Save v{n} weights
          </button>
        )}
        {saveError && <span className="error-text">{saveError}</span>}
      </div>
    </div>
  );
}

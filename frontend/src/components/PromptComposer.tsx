import { DEFAULT_TEMPERATURE_MILLI, DEFAULT_TOP_P_MILLI, MAX_PROMPT_BYTES } from '@tt/protocol';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { clampSteps, composerProblem, defaultSteps } from '../lib/composer.ts';
import { formatMilli } from '../lib/format.ts';
import { sendModifier } from '../lib/keys.ts';
import { isBusy, type TxState } from '../state/useTx.ts';
import type { ModelClient } from '../verify/modelClient.ts';
import { useModelLoad } from '../verify/useModel.ts';
import { Spinner } from './States.tsx';
import { TxStatus } from './TxStatus.tsx';

export interface PromptRequest {
  prompt: string;
  steps: number;
  temperatureMilli: number;
  topPMilli: number;
  /** The model version that answers (0 = the base); undefined = the latest registered version. */
  modelVersion?: number;
}

interface Props {
  seqLen: number | null;
  modelName: string | null;
  model: ModelClient | null;
  /** Why sending is impossible right now (no wallet, wrong network), or null. */
  blocked: string | null;
  tx: TxState;
  explorerUrl?: string;
  /** The model versions on chain (0 = the base), for the version selector; it shows once there is more than one. */
  versions?: readonly { version: number; modelHash: string }[];
  onSubmit: (req: PromptRequest) => void;
}

/** The prompt form: text, the length (tokens, prompt included) bounded by the model's context, and sampling settings. */
export function PromptComposer({
  seqLen,
  modelName,
  model,
  blocked,
  tx,
  explorerUrl,
  versions = [],
  onSubmit,
}: Props) {
  const id = useId();
  const context = seqLen ?? 256;
  const [prompt, setPrompt] = useState('');
  const [steps, setSteps] = useState(() => defaultSteps(context));
  const [temperature, setTemperature] = useState(DEFAULT_TEMPERATURE_MILLI);
  const [topP, setTopP] = useState(DEFAULT_TOP_P_MILLI);
  const [touched, setTouched] = useState(false);
  /** '' = the latest version (what the contract picks when none is named) */
  const [version, setVersion] = useState('');
  const [focused, setFocused] = useState(false);
  const tokens = usePromptTokens(model, prompt);
  const load = useModelLoad(model);

  // The context arrives with the deployments file; start from a default that fits it.
  useEffect(() => {
    if (seqLen) setSteps((s) => clampSteps(s === 128 || s === 256 ? defaultSteps(seqLen) : s, null, seqLen));
  }, [seqLen]);

  const problem = composerProblem({
    prompt,
    steps,
    temperatureMilli: temperature,
    topPMilli: topP,
    promptTokens: tokens,
    seqLen: context,
  });
  const busy = isBusy(tx);
  const disabledReason = blocked ?? (busy ? null : problem);
  const minSteps = Math.min(context, (tokens ?? 1) + 1);
  const bytes = new TextEncoder().encode(prompt).length;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (disabledReason || busy) return;
    onSubmit({
      prompt,
      steps,
      temperatureMilli: temperature,
      topPMilli: topP,
      ...(version === '' ? {} : { modelVersion: Number(version) }),
    });
  };

  // Once mined, clear the text so the next prompt starts fresh; the settings stay as they are.
  useEffect(() => {
    if (tx.phase === 'done') {
      setPrompt('');
      setTouched(false);
    }
  }, [tx.phase]);

  let tokenNote: string;
  if (prompt === '') tokenNote = 'empty';
  else if (tokens !== null) tokenNote = `${tokens} prompt tokens (with BOS)`;
  else if (load.phase === 'loading') tokenNote = 'loading tokenizer…';
  else if (load.phase === 'error') tokenNote = `${bytes} bytes (tokenizer unavailable)`;
  else tokenNote = prompt ? 'counting…' : 'empty';

  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <div className="card-head">
        <h2 id={`${id}-title`}>New prompt</h2>
        <span className="sub">{modelName ? `${modelName} · context ${context}` : 'loading model info…'}</span>
      </div>
      <div className="card-body stack">
        <div className="field">
          <div className="field-label">
            <label htmlFor={`${id}-prompt`}>Prompt</label>
            <span className="hint" aria-live="polite" data-testid="token-count">
              {tokenNote}
            </span>
          </div>
          <textarea
            id={`${id}-prompt`}
            className="textarea"
            placeholder="Once upon a time, a little robot wanted to…"
            value={prompt}
            maxLength={MAX_PROMPT_BYTES}
            onChange={(e) => setPrompt(e.target.value)}
            onFocus={() => {
              setFocused(true);
              void model?.load().catch(() => undefined);
            }}
            onBlur={() => setFocused(false)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) submit(e);
            }}
            aria-keyshortcuts="Control+Enter Meta+Enter"
          />
          {focused && (
            <span className="help kbd-hint" data-testid="send-hint">
              <span className="kbd">{sendModifier()}</span> <span className="kbd">Enter</span> sends ·{' '}
              <span className="kbd">Esc</span> leaves the box
            </span>
          )}
        </div>
        <div className="field">
          <div className="field-label">
            <label htmlFor={`${id}-steps`}>Length</label>
            <span className="hint">tokens, prompt included, up to {context}</span>
          </div>
          <div className="range-row">
            <input
              type="range"
              aria-label="Length (slider)"
              min={1}
              max={context}
              value={steps}
              onChange={(e) => setSteps(clampSteps(Number(e.target.value), tokens, context))}
            />
            <input
              id={`${id}-steps`}
              className="input num"
              type="number"
              min={minSteps}
              max={context}
              value={steps}
              onChange={(e) => setSteps(Number(e.target.value))}
              onBlur={() => setSteps((s) => clampSteps(s, tokens, context))}
            />
          </div>
          <div className={`meter ${tokens !== null && tokens >= steps ? 'over' : ''}`} aria-hidden="true">
            <span style={{ width: `${Math.min(100, ((tokens ?? 0) / context) * 100)}%` }} />
          </div>
          <span className="help">
            {tokens !== null
              ? `${Math.max(0, steps - tokens)} ${steps - tokens === 1 ? 'token' : 'tokens'} left for each response`
              : 'The prompt counts toward the length.'}
          </span>
        </div>
        {versions.length > 1 && (
          <div className="field">
            <div className="field-label">
              <label htmlFor={`${id}-version`}>Model version</label>
            </div>
            <select
              id={`${id}-version`}
              value={version}
              onChange={(e) => setVersion(e.target.value)}
              data-testid="model-version"
            >
              <option value="">latest (v{versions.at(-1)!.version})</option>
              {versions.map((v) => (
                <option key={v.version} value={String(v.version)}>
                  {v.version === 0 ? 'base' : `v${v.version}`} · {v.modelHash.slice(0, 10)}…
                </option>
              ))}
            </select>
            <span className="help">
              Fine-tuned versions come from the Teach tab; the base stays available.
            </span>
          </div>
        )}
        <details className="advanced">
          <summary>Advanced</summary>
          <div className="grid-2">
            <div className="field">
              <div className="field-label">
                <label htmlFor={`${id}-temp`}>Temperature</label>
                <span className="hint">{formatMilli(temperature, true)}</span>
              </div>
              <input
                id={`${id}-temp`}
                type="range"
                min={0}
                max={2000}
                step={50}
                value={temperature}
                onChange={(e) => setTemperature(Number(e.target.value))}
              />
              <span className="help">0 always picks the likeliest token.</span>
            </div>
            <div className="field">
              <div className="field-label">
                <label htmlFor={`${id}-topp`}>Top-p</label>
                <span className="hint">{formatMilli(topP)}</span>
              </div>
              <input
                id={`${id}-topp`}
                type="range"
                min={50}
                max={1000}
                step={10}
                value={topP}
                onChange={(e) => setTopP(Number(e.target.value))}
              />
              <span className="help">
                Samples from the smallest set of tokens with this much probability.
              </span>
            </div>
          </div>
        </details>
        <div className="row wrap">
          <button
            type="submit"
            className="btn primary big"
            disabled={busy || (touched && !!disabledReason) || !!blocked}
            aria-describedby={`${id}-why`}
          >
            {busy && <Spinner label="Sending" />}
            {tx.phase === 'signing'
              ? 'Confirm in wallet…'
              : tx.phase === 'pending'
                ? 'Sending…'
                : 'Generate two responses'}
          </button>
        </div>
        <div
          id={`${id}-why`}
          className={touched && problem && !blocked ? 'error-text' : 'help'}
          aria-live="polite"
        >
          {blocked ?? (touched && problem ? problem : null)}
        </div>
        <TxStatus state={tx} explorerUrl={explorerUrl} />
      </div>
    </form>
  );
}

/** BOS + prompt token count from the engine's own tokenizer (debounced), or null while unknown. */
function usePromptTokens(model: ModelClient | null, prompt: string): number | null {
  const [count, setCount] = useState<{ text: string; n: number } | null>(null);
  useEffect(() => {
    // Loading the model costs a download: wait until there is something to count.
    if (!model || (prompt === '' && model.state.phase !== 'ready')) return;
    let cancelled = false;
    const t = setTimeout(() => {
      model
        .countTokens(prompt)
        .then((n) => !cancelled && setCount({ text: prompt, n }))
        .catch(() => undefined);
    }, 150);
    return () => {
      cancelled = true;
      clearTimeout(t);
    };
  }, [model, prompt]);
  return count && count.text === prompt ? count.n : null;
}

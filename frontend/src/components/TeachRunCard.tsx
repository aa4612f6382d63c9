// A fine-tuned model's training run, from the model.json `tt teach` wrote: the loss and reward-margin curves (drawn
// again from the manifest's per-step metrics with the same plot code the CLI uses) and what the model was trained
// from. The file is the user's, so it is parsed as untrusted input, and the plot is shown as an image (an <img> runs
// no script, whatever the file held).
import { parseTeachManifest, type TeachManifestFile } from '@tt/client';
import { teachPlotSvg } from '@tt/llm/plot';
import { useMemo, useRef, useState, type ReactNode } from 'react';
import { describeError, type UserError } from '../lib/errors.ts';
import { shortHex } from '../lib/format.ts';
import type { Services } from '../state/services.tsx';
import { EmptyState, ErrorState } from './States.tsx';
import { svgDataUrl } from '../lib/svg-url.ts';

/** model.json files are a few hundred KB even for long runs; anything far larger is not one. */
const MAX_MANIFEST_BYTES = 32 << 20;

export async function readManifestFile(file: File): Promise<TeachManifestFile> {
  if (file.size > MAX_MANIFEST_BYTES)
    throw new Error(`${file.name} is ${(file.size / 1e6).toFixed(0)} MB: that is not a model.json`);
  let json: unknown;
  try {
    json = JSON.parse(await file.text());
  } catch {
    throw new Error(`${file.name} is not JSON`);
  }
  return parseTeachManifest(json, file.name);
}

export function TeachRunCard({ services }: { services: Services }) {
  const [run, setRun] = useState<{ manifest: TeachManifestFile; name: string } | null>(null);
  const [error, setError] = useState<UserError | null>(null);
  const input = useRef<HTMLInputElement>(null);

  const plotUrl = useMemo(() => {
    if (!run) return null;
    const m = run.manifest;
    const svg = teachPlotSvg(m.metrics, {
      title: `DPO fine-tuning: ${m.pairs} pairs, ${m.steps} steps → ${m.modelHash.slice(0, 14)}…`,
    });
    return svgDataUrl(svg);
  }, [run]);

  const load = async (file: File | undefined) => {
    if (!file) return;
    try {
      setRun({ manifest: await readManifestFile(file), name: file.name });
      setError(null);
    } catch (err) {
      setRun(null);
      setError({
        message: describeError(err).message,
        hint: 'Pick the model.json that `pnpm tt teach` wrote next to model.bin.',
      });
    }
    if (input.current) input.current.value = ''; // the same file can be picked again after a fix
  };

  const m = run?.manifest;
  const deployed = services.deployments.model?.hash;
  const sameParent = m && deployed ? m.parentHash.toLowerCase() === deployed.toLowerCase() : null;
  const sameContract =
    m &&
    m.chainId === services.deployments.chainId &&
    m.contract.toLowerCase() === services.deployments.contracts.TrustAndTeach.toLowerCase();
  return (
    <section className="card" aria-labelledby="teach-title" data-testid="teach-run">
      <div className="card-head">
        <h2 id="teach-title">Fine-tuned model</h2>
        {run && <span className="sub">{run.name}</span>}
        <span className="spacer" />
        {sameParent !== null && (
          <span className={`badge ${sameParent ? 'ok' : 'bad'}`}>
            {sameParent ? 'trained from this model' : 'trained from another model'}
          </span>
        )}
        <input
          ref={input}
          type="file"
          accept=".json,application/json"
          aria-label="Load a model.json"
          hidden
          onChange={(e) => void load(e.target.files?.[0])}
        />
        <button type="button" className="btn small" onClick={() => input.current?.click()}>
          Load model.json…
        </button>
      </div>
      {error ? (
        <ErrorState error={error} />
      ) : !m ? (
        <EmptyState icon="∿" title="No training run loaded">
          Load the model.json that <code>pnpm tt teach</code> wrote to see its loss and reward-margin curves
          and what the model was trained from.
        </EmptyState>
      ) : (
        <div className="card-body stack">
          {plotUrl && (
            <img
              src={plotUrl}
              alt={`DPO loss and reward margin over ${m.steps} optimizer steps`}
              data-testid="teach-plot"
              style={{ width: '100%', height: 'auto', borderRadius: 6 }}
            />
          )}
          <dl className="kv">
            <Row label="Model">
              <code title={m.modelHash}>{shortHex(m.modelHash, 12, 8)}</code>
            </Row>
            <Row label="Parent">
              <code title={m.parentHash}>{shortHex(m.parentHash, 12, 8)}</code>
            </Row>
            <Row label="Dataset">
              <code title={m.datasetCommitment}>{shortHex(m.datasetCommitment, 12, 8)}</code> · {m.pairs}{' '}
              pairs at block {m.block}
              {sameContract ? '' : ` of chain ${m.chainId} (${shortHex(m.contract)})`}
              {m.dataset.counts.ties
                ? ` · ${m.dataset.counts.ties} tie${m.dataset.counts.ties === 1 ? '' : 's'} left out`
                : ''}
            </Row>
            <Row label="Margin">
              log p(chosen) − log p(rejected): {m.evaluation.baseMargin.toFixed(3)} →{' '}
              <b>{m.evaluation.trainedMargin.toFixed(3)}</b> ({m.evaluation.improvedPairs} of {m.pairs} pairs
              grew)
            </Row>
            <Row label="Training">
              {m.steps} steps · lr {m.hyperParameters.learningRate} · β {m.hyperParameters.beta} · epochs{' '}
              {m.hyperParameters.epochs} · batch {m.hyperParameters.batchSize} · seed {m.hyperParameters.seed}
            </Row>
            <Row label="Trainer">{m.engineVersion}</Row>
            <Row label="Check it">
              <code>pnpm tt teach --check {run!.name}</code>
            </Row>
          </dl>
        </div>
      )}
    </section>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

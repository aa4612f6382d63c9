// The Teach tab: fine-tuning inside the rollup. Which ranked conversations no teach call has sent yet and a button that
// sends them (TrustAndTeach.teach: the contract reads their rankings itself), the machine's training input by input
// (a bounded number of optimizer steps each; "Continue training" sends one more), a finished version's registration
// (its registerModel voucher, once the epoch is proven), and the lineage of versions, base → v1 → v2, each with its
// dataset size and its loss curve (drawn from the backend's model notice with the CLI's plot code, shown as an image).
import {
  continueTeaching,
  dappOf,
  executeVoucher,
  requestTeach,
  teachableConversations,
  trustAndTeach,
  type ConversationState,
  type ModelVersion,
} from '@tt/client';
import { teachPlotSvg } from '@tt/llm/plot';
import type { ModelNotice } from '@tt/protocol';
import type { Signer } from 'ethers';
import { useMemo, useState } from 'react';
import { shortHex } from '../lib/format.ts';
import type { Services } from '../state/services.tsx';
import type { TeachData } from '../state/useTeach.ts';
import { useTx } from '../state/useTx.ts';
import { EmptyState, ErrorState, LoadingState } from './States.tsx';
import { TxStatus } from './TxStatus.tsx';
import { svgDataUrl } from '../lib/svg-url.ts';

interface Props {
  services: Services;
  teach: TeachData;
  conversations: readonly ConversationState[];
  getSigner: (() => Promise<Signer>) | null;
  blocked: string | null;
}

export function TeachPanel({ services, teach, conversations, getSigner, blocked }: Props) {
  const tx = useTx();
  const teachable = useMemo(
    () =>
      teachableConversations(
        conversations.map((c) => c.conversation),
        teach.requests,
      ),
    [conversations, teach.requests],
  );
  // The versions the machine finished, by hash, with the input whose voucher registers each.
  const finished = useMemo(() => {
    const out = new Map<
      string,
      { model: ModelNotice; inputIndex: number; row: TeachData['inputs'][number] }
    >();
    for (const row of teach.inputs)
      if (row.state?.model)
        out.set(row.state.model.modelHash.toLowerCase(), {
          model: row.state.model,
          inputIndex: row.inputIndex,
          row,
        });
    return out;
  }, [teach.inputs]);
  const registered = new Set(teach.versions.map((v) => v.modelHash.toLowerCase()));
  const unregistered = [...finished.values()].filter((f) => !registered.has(f.model.modelHash.toLowerCase()));
  const last = [...teach.inputs].reverse().find((r) => r.state?.progress);
  const training = last?.state?.progress && !last.state.model ? last.state.progress : null;
  const pending = teach.inputs.some((r) => r.state === null || r.state.status === 'UNPROCESSED');

  const contract = async () =>
    trustAndTeach(services.deployments.contracts.TrustAndTeach, await getSigner!());
  const send = async (ids: bigint[]) => {
    await tx.run(
      async (onSent) => requestTeach(await contract(), ids, onSent),
      (r) => ({
        hash: r.txHash,
        note: `Teach input #${r.inputIndex}: ${r.conversationIds.length} pair${r.conversationIds.length === 1 ? '' : 's'}${r.skippedTies ? `, ${r.skippedTies} tie(s) skipped` : ''}`,
      }),
    );
    teach.refresh();
  };
  const more = async () => {
    await tx.run(
      async (onSent) => continueTeaching(await contract(), onSent),
      (inputIndex) => ({ note: `Continue input #${inputIndex} sent` }),
    );
    teach.refresh();
  };
  const register = async (inputIndex: number) => {
    const row = teach.inputs.find((r) => r.inputIndex === inputIndex);
    const voucher = row?.state?.voucher;
    if (!voucher) return;
    await tx.run(
      async (onSent) =>
        executeVoucher({
          dapp: dappOf(services.deployments),
          signer: await getSigner!(),
          inputIndex,
          voucher,
          onSent,
        }),
      (o) => ({ ...(o.status === 'executed' ? { hash: o.txHash } : {}), note: 'Model version registered' }),
    );
    teach.refresh();
  };

  return (
    <div className="stack" data-testid="teach-panel">
      <section className="card" aria-labelledby="teach-send-title">
        <div className="card-head">
          <h2 id="teach-send-title">Teach the model</h2>
          <span className="sub">DPO fine-tuning inside the rollup, on the rankings stored on chain</span>
        </div>
        <div className="card-body stack">
          <p data-testid="teachable">
            {teachable.length === 0
              ? 'No ranked conversation is waiting to be taught: rank answered pairs first (ties are skipped).'
              : `${teachable.length} ranked conversation${teachable.length === 1 ? '' : 's'} not taught yet: #${teachable.join(', #')}`}
          </p>
          <div className="row">
            <button
              type="button"
              className="btn primary"
              disabled={!!blocked || teachable.length === 0 || tx.busy}
              title={blocked ?? undefined}
              onClick={() => void send(teachable)}
            >
              Teach {teachable.length || ''} conversation{teachable.length === 1 ? '' : 's'}
            </button>
            <button
              type="button"
              className="btn"
              disabled={!!blocked || !training || tx.busy}
              title={
                blocked ??
                (training
                  ? 'Send one more input: the machine trains a few steps per input'
                  : 'Nothing is training')
              }
              onClick={() => void more()}
            >
              Continue training
            </button>
          </div>
          <TxStatus state={tx.state} explorerUrl={services.network.explorerUrl} />
          {training && (
            <p data-testid="training-now">
              Training the dataset of input #{training.teachInputIndex}:{' '}
              {training.referenceDone < training.pairs ? (
                <>
                  reference pass <b>{training.referenceDone}</b> of {training.pairs} pairs
                </>
              ) : (
                <>
                  step <b>{training.step}</b> of {training.totalSteps} ({training.pairs} pairs)
                </>
              )}
              . The machine trains a bounded number of steps per input: press <i>Continue training</i> to go
              on.
            </p>
          )}
          {pending && <p className="help">The node is still processing an input…</p>}
          {unregistered.map((f) => (
            <div className="row" key={f.model.modelHash} data-testid="unregistered">
              <span>
                Version <code title={f.model.modelHash}>{shortHex(f.model.modelHash, 10, 6)}</code> is
                trained.
              </span>
              <button
                type="button"
                className="btn small"
                disabled={!!blocked || !f.row.state?.voucher?.proof || tx.busy}
                title={f.row.state?.voucher?.proof ? undefined : 'Waiting for the epoch to be proven'}
                onClick={() => void register(f.inputIndex)}
              >
                Register on chain
              </button>
            </div>
          ))}
        </div>
      </section>

      <section className="card" aria-labelledby="teach-inputs-title">
        <div className="card-head">
          <h2 id="teach-inputs-title">Training in the machine</h2>
        </div>
        {teach.error ? (
          <ErrorState error={teach.error} onRetry={teach.refresh} />
        ) : teach.loading ? (
          <LoadingState title="Reading the teach inputs…" />
        ) : teach.inputs.length === 0 ? (
          <EmptyState icon="∿" title="Nothing taught yet">
            Send ranked conversations with <i>Teach</i>: the machine trains on them and registers a new
            version.
          </EmptyState>
        ) : (
          <table className="table" data-testid="teach-inputs">
            <thead>
              <tr>
                <th>Input</th>
                <th>Kind</th>
                <th>Steps</th>
                <th>Loss</th>
                <th>Result</th>
              </tr>
            </thead>
            <tbody>
              {teach.inputs.map((r) => {
                const p = r.state?.progress;
                const loss = p?.metrics.at(-1)?.loss;
                return (
                  <tr key={r.inputIndex}>
                    <td>#{r.inputIndex}</td>
                    <td>{r.kind}</td>
                    <td>
                      {!p
                        ? '—'
                        : p.step === 0
                          ? `reference ${p.referenceDone} / ${p.pairs} (input #${p.teachInputIndex})`
                          : `${p.step} / ${p.totalSteps} (input #${p.teachInputIndex})`}
                    </td>
                    <td>{loss === undefined ? '—' : loss.toFixed(4)}</td>
                    <td>
                      {!r.state || r.state.status === 'UNPROCESSED'
                        ? 'processing…'
                        : r.state.model
                          ? `version ${shortHex(r.state.model.modelHash, 8, 4)} complete`
                          : r.state.status === 'ACCEPTED'
                            ? r.state.reports.length
                              ? reportMessage(r.state.reports[0]!)
                              : 'trained'
                            : `${r.state.status.toLowerCase()}: ${reportMessage(r.state.reports[0] ?? '')}`}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section className="card" aria-labelledby="lineage-title">
        <div className="card-head">
          <h2 id="lineage-title">Model versions</h2>
          <span className="sub">{lineage(teach.versions)}</span>
        </div>
        <div className="card-body stack" data-testid="lineage">
          {teach.versions.map((v) => (
            <VersionCard
              key={v.version}
              version={v}
              notice={finished.get(v.modelHash.toLowerCase())?.model ?? null}
            />
          ))}
        </div>
      </section>
    </div>
  );
}

function reportMessage(report: string): string {
  try {
    const j = JSON.parse(report) as { message?: string };
    return j.message ?? report;
  } catch {
    return report;
  }
}

/** "base → v1 → v2" along the latest version's ancestry. */
export function lineage(versions: readonly ModelVersion[]): string {
  if (versions.length === 0) return '';
  const path: string[] = [];
  for (let v: ModelVersion | undefined = versions.at(-1); v && v.version !== 0; v = versions[v.parentVersion])
    path.unshift(`v${v.version}`);
  return ['base', ...path].join(' → ');
}

function VersionCard({ version: v, notice }: { version: ModelVersion; notice: ModelNotice | null }) {
  const plotUrl = useMemo(() => {
    if (!notice) return null;
    const svg = teachPlotSvg(notice.metrics, {
      title: `v${v.version}: ${notice.pairs} pairs, ${notice.steps} steps`,
      width: 560,
      height: 340,
    });
    return svgDataUrl(svg);
  }, [notice, v.version]);
  return (
    <div className="version" data-testid={`version-${v.version}`}>
      <div className="row">
        <b>{v.version === 0 ? 'base' : `v${v.version}`}</b>
        <code title={v.modelHash}>{shortHex(v.modelHash, 10, 6)}</code>
        {v.version > 0 && (
          <span>
            from {v.parentVersion === 0 ? 'base' : `v${v.parentVersion}`} · {v.pairs} pairs · {v.steps} steps
            · teach input #{v.teachInputIndex}
            {notice ? ` · final loss ${notice.loss.toFixed(4)}` : ''}
          </span>
        )}
      </div>
      {plotUrl && (
        <img
          src={plotUrl}
          alt={`DPO loss and reward margin of version ${v.version}`}
          data-testid={`version-plot-${v.version}`}
          style={{ width: '100%', maxWidth: 560, height: 'auto', borderRadius: 6 }}
        />
      )}
    </div>
  );
}

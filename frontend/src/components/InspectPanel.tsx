import { useQuery } from '@apollo/client';
import type { ConversationState } from '@tt/client';
import { decodePromptPayload, fromHex } from '@tt/protocol';
import { useMemo, useState, type ReactNode } from 'react';
import {
  InspectInputsDocument,
  InspectNoticesDocument,
  InspectReportsDocument,
  InspectVouchersDocument,
} from '../graphql/generated/graphql.ts';
import { describeError } from '../lib/errors.ts';
import { plural, sameAddress, shortHex, timeAgo } from '../lib/format.ts';
import {
  decodeInputPayload,
  decodeTextPayload,
  decodeVoucherPayload,
  type Decoded,
} from '../lib/payloads.ts';
import type { Services } from '../state/services.tsx';
import { tokenizerMismatch, type ModelInfo } from '../state/useModelInfo.ts';
import { EmptyState, ErrorState, LoadingState, Spinner } from './States.tsx';
import { TeachRunCard } from './TeachRunCard.tsx';

type Kind = 'inputs' | 'notices' | 'vouchers' | 'reports';
const CONTRACT_NAMES = ['TrustAndTeach', 'InputBox', 'CartesiDApp', 'Authority', 'History'] as const;
const PAGE = 10;

/** Page position: the newest page is `last: PAGE`; older pages go `before` the first cursor, newer ones `after` the last. */
type Cursor = { last: number; before?: string } | { first: number; after: string };

/** Raw data from the rollup node and the chain, for people who want to see exactly what is stored. */
export function InspectPanel({
  services,
  blockNumber,
  info,
  conversations,
}: {
  services: Services;
  blockNumber: number | null;
  info: ModelInfo;
  conversations: readonly ConversationState[];
}) {
  const [kind, setKind] = useState<Kind>('inputs');
  // An input's sender is the contract that forwarded it; the person who wrote the prompt is the conversation's author.
  const authors = useMemo(
    () => new Map(conversations.map((s) => [s.conversation.id, s.conversation.author] as const)),
    [conversations],
  );
  return (
    <div className="inspect">
      <section className="card" aria-labelledby="raw-title">
        <div className="card-head">
          <h2 id="raw-title">Rollup outputs</h2>
          <span className="spacer" />
          <div className="tabs" role="tablist" aria-label="Output kind">
            {(['inputs', 'notices', 'vouchers', 'reports'] as const).map((k) => (
              <button
                key={k}
                type="button"
                role="tab"
                className="tab"
                aria-selected={kind === k}
                onClick={() => setKind(k)}
              >
                {k[0]!.toUpperCase() + k.slice(1)}
              </button>
            ))}
          </div>
        </div>
        <RawTable key={kind} kind={kind} services={services} authors={authors} />
      </section>
      <aside className="stack">
        <ModelCard services={services} info={info} />
        <section className="card" aria-labelledby="contracts-title">
          <div className="card-head">
            <h2 id="contracts-title">Contracts</h2>
            <span className="sub">chain {services.deployments.chainId}</span>
          </div>
          <dl className="kv card-body">
            {CONTRACT_NAMES.map((name) => [name, services.deployments.contracts[name]] as const).map(
              ([name, addr]) =>
                addr ? (
                  <Row key={name} label={name}>
                    <code title={addr}>{addr}</code>
                  </Row>
                ) : null,
            )}
            <Row label="Deployed at">block {services.deployments.trustAndTeachDeploymentBlock}</Row>
            <Row label="Latest block">{blockNumber ?? '…'}</Row>
          </dl>
        </section>
        <section className="card" aria-labelledby="endpoints-title">
          <div className="card-head">
            <h2 id="endpoints-title">Endpoints</h2>
          </div>
          <dl className="kv card-body">
            <Row label="RPC">
              <code>{services.network.rpcUrl}</code>
            </Row>
            <Row label="GraphQL">
              <code>{services.network.graphqlUrl}</code>
            </Row>
            <Row label="Inspect">
              <code>{services.network.inspectUrl}</code>
            </Row>
            <Row label="Model files">
              <code>{services.network.modelUrl}</code>
            </Row>
          </dl>
        </section>
      </aside>
      <TeachRunCard services={services} />
    </div>
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

function ModelCard({ services, info }: { services: Services; info: ModelInfo }) {
  const m = info.data?.model ?? null;
  const d = services.deployments.model;
  const hashMatches = m && d ? m.hash.toLowerCase() === d.hash.toLowerCase() : null;
  const mismatch = tokenizerMismatch(info.data);
  return (
    <section className="card" aria-labelledby="model-title" data-testid="model-card">
      <div className="card-head">
        <h2 id="model-title">Model card</h2>
        <span className="spacer" />
        {hashMatches !== null && (
          <span className={`badge ${hashMatches ? 'ok' : 'bad'}`}>
            {hashMatches ? 'matches contract' : 'differs from contract'}
          </span>
        )}
      </div>
      {info.error ? (
        <ErrorState
          error={{ message: info.error, hint: 'The backend may still be starting.' }}
          onRetry={info.retry}
        />
      ) : !info.data ? (
        <LoadingState title="Asking the backend…" lines={2} />
      ) : (
        <dl className="kv card-body">
          <Row label="Source">
            <span className="help">the backend's inspect endpoint</span>
          </Row>
          <Row label="Name">{m!.name}</Row>
          <Row label="License">{m!.license}</Row>
          <Row label="Hash">
            <code title={m!.hash}>{shortHex(m!.hash, 12, 8)}</code>
          </Row>
          {m!.config &&
            Object.entries(m!.config)
              .filter(([k]) => k !== 'tokenizerPieces')
              .map(([k, v]) => (
                <Row key={k} label={k}>
                  {String(v)}
                </Row>
              ))}
          {typeof m!.config?.tokenizerPieces === 'number' && (
            <Row label="tokenizer">
              {mismatch ? (
                <span className="error-text" data-testid="model-card-mismatch">
                  {mismatch.tokenizerPieces.toLocaleString('en-US')} pieces, not{' '}
                  {mismatch.vocabSize.toLocaleString('en-US')}: the text is unreadable
                </span>
              ) : (
                `${(m!.config.tokenizerPieces as number).toLocaleString('en-US')} pieces (matches)`
              )}
            </Row>
          )}
          {info.data.engineVersion && <Row label="Engine">{info.data.engineVersion}</Row>}
          {info.data.counters && (
            <Row label="Inputs">
              {info.data.counters.processed ?? 0} processed · {info.data.counters.accepted ?? 0} accepted ·{' '}
              {info.data.counters.rejected ?? 0} rejected
            </Row>
          )}
        </dl>
      )}
    </section>
  );
}

interface RawRow {
  key: string;
  cells: ReactNode[];
  decoded: Decoded;
}

function RawTable({
  kind,
  services,
  authors,
}: {
  kind: Kind;
  services: Services;
  authors: ReadonlyMap<bigint, string>;
}) {
  const contract = services.deployments.contracts.TrustAndTeach;
  const [cursor, setCursor] = useState<Cursor>({ last: PAGE });
  const opts = { client: services.apollo, variables: cursor, pollInterval: 3000 };
  // One hook per kind keeps each query's generated type; only the active one runs.
  const inputs = useQuery(InspectInputsDocument, { ...opts, skip: kind !== 'inputs' });
  const notices = useQuery(InspectNoticesDocument, { ...opts, skip: kind !== 'notices' });
  const vouchers = useQuery(InspectVouchersDocument, { ...opts, skip: kind !== 'vouchers' });
  const reports = useQuery(InspectReportsDocument, { ...opts, skip: kind !== 'reports' });
  const q = { inputs, notices, vouchers, reports }[kind];

  let conn: {
    totalCount: number;
    pageInfo: {
      startCursor: string | null;
      endCursor: string | null;
      hasNextPage: boolean;
      hasPreviousPage: boolean;
    };
  } | null = null;
  let rows: RawRow[] = [];
  let head: string[] = [];
  if (kind === 'inputs' && inputs.data) {
    conn = inputs.data.inputs;
    head = ['Input', 'Status', 'Sender', 'Author', 'When', 'Payload'];
    rows = inputs.data.inputs.edges.map(({ node }) => ({
      key: String(node.index),
      cells: [
        node.index,
        <span
          className={`pill ${node.status === 'ACCEPTED' ? 'posted' : node.status === 'UNPROCESSED' ? 'generating' : 'rejected'}`}
        >
          {node.status.toLowerCase()}
        </span>,
        sameAddress(node.msgSender, contract) ? (
          <span title={node.msgSender}>TrustAndTeach</span>
        ) : (
          <code title={node.msgSender}>{shortHex(node.msgSender)}</code>
        ),
        authorOf(node.payload, authors),
        timeAgo(Number(node.timestamp)),
      ],
      decoded: decodeInputPayload(node.payload),
    }));
  } else if (kind === 'notices' && notices.data) {
    conn = notices.data.notices;
    head = ['Input', 'Index', 'Proof', 'Payload'];
    rows = notices.data.notices.edges.map(({ node }) => ({
      key: `${node.input.index}:${node.index}`,
      cells: [node.input.index, node.index, node.proof ? '✓' : '—'],
      decoded: decodeTextPayload(node.payload),
    }));
  } else if (kind === 'vouchers' && vouchers.data) {
    conn = vouchers.data.vouchers;
    head = ['Input', 'Index', 'Proof', 'Destination', 'Payload'];
    rows = vouchers.data.vouchers.edges.map(({ node }) => ({
      key: `${node.input.index}:${node.index}`,
      cells: [
        node.input.index,
        node.index,
        node.proof ? '✓' : '—',
        <code title={node.destination}>{shortHex(node.destination)}</code>,
      ],
      decoded: decodeVoucherPayload(node.payload),
    }));
  } else if (kind === 'reports' && reports.data) {
    conn = reports.data.reports;
    head = ['Input', 'Index', 'Input status', 'Payload'];
    rows = reports.data.reports.edges.map(({ node }) => ({
      key: `${node.input.index}:${node.index}`,
      cells: [node.input.index, node.index, node.input.status.toLowerCase()],
      decoded: decodeTextPayload(node.payload),
    }));
  }
  // The reader pages oldest first; people want the newest on top.
  rows = [...rows].reverse();

  let body: ReactNode;
  if (q.error && !conn)
    body = (
      <ErrorState error={describeError(q.error.networkError ?? q.error)} onRetry={() => void q.refetch()} />
    );
  else if (!conn) body = <LoadingState title={`Loading ${kind}…`} />;
  else if (conn.totalCount === 0)
    body = (
      <EmptyState icon="∅" title={`No ${kind} yet`}>
        They appear here as soon as the node has them.
      </EmptyState>
    );
  else
    body = (
      <div className="table-wrap">
        <table className="table" data-testid={`raw-${kind}`}>
          <thead>
            <tr>
              {head.map((h) => (
                <th key={h}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.key}>
                {r.cells.map((c, i) => (
                  <td key={i}>{c}</td>
                ))}
                <td>
                  <details>
                    <summary>{r.decoded.summary}</summary>
                    <code className="payload">{r.decoded.body}</code>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    );

  const info = conn?.pageInfo;
  return (
    <>
      {body}
      <div className="pager">
        <span>
          {conn ? plural(conn.totalCount, kind.slice(0, -1)) : ''}{' '}
          {q.loading && conn && <Spinner label="Refreshing" />}
        </span>
        <span className="spacer" />
        <button
          type="button"
          className="btn small"
          disabled={!info?.hasNextPage}
          onClick={() => setCursor(info?.endCursor ? { first: PAGE, after: info.endCursor } : { last: PAGE })}
        >
          ← Newer
        </button>
        <button
          type="button"
          className="btn small"
          disabled={!info?.hasPreviousPage || !info.startCursor}
          onClick={() => info?.startCursor && setCursor({ last: PAGE, before: info.startCursor })}
        >
          Older →
        </button>
      </div>
    </>
  );
}

/** The prompt's author for an input TrustAndTeach forwarded (from the conversation the payload names), else a dash. */
function authorOf(payload: string, authors: ReadonlyMap<bigint, string>): ReactNode {
  try {
    const id = decodePromptPayload(fromHex(payload)).conversationId;
    const author = authors.get(id);
    if (author) return <code title={author}>{shortHex(author)}</code>;
  } catch {
    // not a prompt payload
  }
  return <span className="help">—</span>;
}

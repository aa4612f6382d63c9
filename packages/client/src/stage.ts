// Where a conversation is in its life, from the facts two sources give: the chain (responses posted, rankings) and the
// rollup node (input processed, notices, voucher proofs). The chain is the record, so when it says more than the node
// (a node that lags or was reset), the chain wins.
import { parseReportText, rejectionReasonName } from '@tt/protocol';

export type Stage =
  'submitted' | 'generating' | 'responsesReady' | 'proofsReady' | 'posted' | 'ranked' | 'rejected';

/** Completion statuses of the v1 GraphQL reader that end an input without outputs. */
const FAILED_STATUSES = new Set([
  'REJECTED',
  'EXCEPTION',
  'MACHINE_HALTED',
  'CYCLE_LIMIT_EXCEEDED',
  'TIME_LIMIT_EXCEEDED',
  'PAYLOAD_LENGTH_LIMIT_EXCEEDED',
]);

export interface NodeFacts {
  /** The input's CompletionStatus (UNPROCESSED, ACCEPTED, REJECTED, …). */
  status: string;
  /** Response notices seen (0..2). */
  responseNotices: number;
  /** Vouchers whose proof is available (0..2). */
  provenVouchers: number;
  /** UTF-8 text of the input's reports, in order. */
  reports: string[];
  /** The backend emitted the voucher that records the prompt's rejection on chain (TrustAndTeach.rejectPrompt). */
  rejectionVoucher?: boolean;
}

export interface StageFacts {
  /** Null when the node does not know the input yet (just mined, or the node is behind). */
  node: NodeFacts | null;
  responsesPosted: readonly [boolean, boolean];
  rankingCount: number;
  /** The contract's rejection reason code (0 or absent: not rejected on chain). */
  rejectionReason?: number;
}

export interface Rejection {
  code: string;
  message: string;
  /** The contract records it: the conversation's status is Rejected. */
  onChain?: boolean;
  /** Not on chain yet, but the backend's voucher can record it (`tt post ID`, or the UI's button). */
  recordable?: boolean;
}

export interface StageInfo {
  stage: Stage;
  /** Short human wording, e.g. "ranked (2)". */
  label: string;
  postedCount: number;
  rankingCount: number;
  rejection: Rejection | null;
}

/** Reads the backend's error report (`{"type":"error","code","message"}`), or keeps whatever text there was. */
export function parseRejection(status: string, reports: readonly string[]): Rejection {
  for (const text of reports) {
    const r = parseReportText(text);
    if (r?.type === 'error') return { code: r.code, message: r.message };
  }
  const raw = reports.find((t) => t.trim() !== '');
  return {
    code: status.toLowerCase().replace(/_/g, '-'),
    message: raw ?? `the rollup node reports status ${status}`,
  };
}

export function deriveStage(facts: StageFacts): StageInfo {
  const postedCount = facts.responsesPosted.filter(Boolean).length;
  const { rankingCount } = facts;
  const info = (stage: Stage, label: string, rejection: Rejection | null = null): StageInfo => ({
    stage,
    label,
    postedCount,
    rankingCount,
    rejection,
  });

  const node = facts.node;
  if (facts.rejectionReason) {
    const code = rejectionReasonName(facts.rejectionReason);
    const fromNode = node ? parseRejection(node.status, node.reports) : null;
    const message =
      fromNode && fromNode.code === code ? fromNode.message : `the backend refused this prompt (${code})`;
    return info('rejected', `rejected: ${message}`, { code, message, onChain: true });
  }
  if (rankingCount > 0) return info('ranked', `ranked (${rankingCount})`);
  if (postedCount === 2) return info('posted', 'posted on-chain');
  if (node && FAILED_STATUSES.has(node.status)) {
    const rejection = parseRejection(node.status, node.reports);
    return info('rejected', `rejected: ${rejection.message}`, rejection);
  }
  if (node?.status === 'ACCEPTED' && node.rejectionVoucher) {
    const rejection = { ...parseRejection(node.status, node.reports), recordable: true };
    return info('rejected', `rejected: ${rejection.message}`, rejection);
  }
  const partly = postedCount === 1 ? ' (1 of 2 posted)' : '';
  if (node?.status === 'ACCEPTED' && node.provenVouchers >= 2)
    return info('proofsReady', `proofs ready${partly}`);
  if (node?.status === 'ACCEPTED' && node.responseNotices >= 2) {
    return info('responsesReady', `responses ready (off-chain)${partly}`);
  }
  if (node) return info('generating', 'generating');
  return info('submitted', 'submitted');
}

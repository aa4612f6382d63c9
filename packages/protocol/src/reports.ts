// Report payloads (docs/interfaces.md, "Reports"): UTF-8 JSON. A rejected input gets exactly one error report with a
// stable code and a message that says what to do; `GET /inspect/info` gets one info report (the model card).

/** Why the backend rejected an input. */
export const REJECT_CODES = [
  'unknown-sender',
  'bad-payload',
  'empty-prompt',
  'prompt-too-long',
  'prompt-exceeds-context',
  'bad-steps',
  'bad-temperature',
  'bad-top-p',
  'engine-error',
  /** A prompt for a model version the backend does not have (promptWithModel with an unknown hash). */
  'unknown-model',
  /** A teach input naming a conversation the backend never answered (both responses). */
  'teach-unknown-conversation',
  /** A teach input whose pairs all have identical responses, or a "go on" input with no training in hand. */
  'teach-nothing-to-train',
  /** Training a teach input's dataset failed (reported on an accepted input; the job is dropped). */
  'teach-failed',
  /** A bug in the backend: it rejects the input and goes on. */
  'internal-error',
] as const;
export type RejectCode = (typeof REJECT_CODES)[number];

/** Codes an error report can carry: the rejections, and an inspect of a path the backend does not answer. */
export type ErrorReportCode = RejectCode | 'unknown-inspect-path';

export interface ErrorReport {
  type: 'error';
  code: ErrorReportCode;
  message: string;
}

export interface InfoReport {
  type: 'info';
  model: { name: string; license: string; hash: string; config: Record<string, unknown> };
  engineVersion: string;
  /** The TrustAndTeach address: the only sender the backend accepts. */
  contract: string;
  /** Since the backend process started. */
  counters: { processed: number; accepted: number; rejected: number };
}

const encoder = new TextEncoder();

export function encodeErrorReport(code: ErrorReportCode, message: string): Uint8Array {
  const report: ErrorReport = { type: 'error', code, message };
  return encoder.encode(JSON.stringify(report));
}

export function encodeInfoReport(info: Omit<InfoReport, 'type'>): Uint8Array {
  const report: InfoReport = { type: 'info', ...info };
  return encoder.encode(JSON.stringify(report));
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a report's text. Returns the report when it is one of ours in a recognisable shape, else null (a report from
 * another backend, or plain text): callers show such text as it is. The error code is kept even when it is one this
 * version does not know, so a newer backend's reason still reaches the user.
 */
export function parseReportText(text: string): ErrorReport | InfoReport | null {
  let j: unknown;
  try {
    j = JSON.parse(text);
  } catch {
    return null;
  }
  if (!isRecord(j)) return null;
  if (j.type === 'error' && typeof j.code === 'string' && typeof j.message === 'string') {
    return { type: 'error', code: j.code as ErrorReportCode, message: j.message };
  }
  if (j.type === 'info' && isRecord(j.model) && typeof j.model.name === 'string') {
    return j as unknown as InfoReport;
  }
  return null;
}

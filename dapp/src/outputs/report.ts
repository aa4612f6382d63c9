// Report payloads (docs/interfaces.md, "Reports"): UTF-8 JSON, one per rejected input or inspect.
import type { RejectCode } from '../input/errors.ts';

const encoder = new TextEncoder();

export function errorReport(code: RejectCode | 'unknown-inspect-path', message: string): Uint8Array {
  return encoder.encode(JSON.stringify({ type: 'error', code, message }));
}

export interface InfoReport {
  type: 'info';
  model: { name: string; license: string; hash: string; config: Record<string, unknown> };
  engineVersion: string;
  contract: string;
  counters: { processed: number; accepted: number; rejected: number };
}

export function infoReport(info: Omit<InfoReport, 'type'>): Uint8Array {
  const report: InfoReport = { type: 'info', ...info };
  return encoder.encode(JSON.stringify(report));
}

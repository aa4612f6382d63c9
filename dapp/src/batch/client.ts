// The rollup API of a batch run: /finish hands out the next request of a list, and every voucher, notice, report and
// exception is recorded against the request it belongs to, instead of being sent to a node. The backend and the
// /finish loop run unchanged on top of it, so a batch exercises exactly the code that serves a real node.
import { parseRollupRequest, type FinishStatus } from '@tt/cartesi-v1';
import { toHex as bytesToHex } from '@tt/protocol';
import { RollupClient, type FinishResult } from '../rollup/client.ts';

/** What a node records for one request: the v1 host-runner's normalisation (lowercase addresses and hex). */
export interface BatchResult {
  /** position in the batch */
  request: number;
  request_type: string;
  /** advance requests only */
  input_index?: number;
  /** null when the backend never finished it (it stopped or crashed first) */
  status: FinishStatus | null;
  vouchers: { destination: string; payload: string }[];
  notices: { payload: string }[];
  reports: { payload: string }[];
  exception?: string;
}

export class BatchRollupClient extends RollupClient {
  readonly results: BatchResult[] = [];
  private next = 0;
  private current: BatchResult | null = null;

  /** @param requests the /finish answers, one per request, as the node would send them */
  constructor(
    private readonly requests: readonly unknown[],
    private readonly stop: AbortController,
  ) {
    super('batch:');
  }

  override async finish(status: FinishStatus): Promise<FinishResult> {
    if (this.current) {
      this.current.status = status; // the first /finish of a run carries no result
      this.current = null;
    }
    if (this.next >= this.requests.length) {
      this.stop.abort();
      return { kind: 'retry' };
    }
    const raw = this.requests[this.next] as {
      request_type?: unknown;
      data?: { metadata?: { input_index?: unknown } };
    };
    const index = raw?.data?.metadata?.input_index;
    this.current = {
      request: this.next++,
      request_type: String(raw?.request_type),
      ...(typeof index === 'number' ? { input_index: index } : {}),
      status: null,
      vouchers: [],
      notices: [],
      reports: [],
    };
    this.results.push(this.current);
    // a malformed request throws here, as it would from a node's answer: the loop reports and rejects it
    return { kind: 'request', request: parseRollupRequest(raw) };
  }

  override async notice(payload: Uint8Array): Promise<number> {
    return this.out().notices.push({ payload: bytesToHex(payload) }) - 1;
  }

  override async voucher(destination: string, payload: Uint8Array): Promise<number> {
    return (
      this.out().vouchers.push({ destination: destination.toLowerCase(), payload: bytesToHex(payload) }) - 1
    );
  }

  override async report(payload: Uint8Array): Promise<void> {
    this.out().reports.push({ payload: bytesToHex(payload) });
  }

  override async exception(payload: Uint8Array): Promise<void> {
    this.out().exception = bytesToHex(payload);
  }

  private out(): BatchResult {
    if (!this.current) throw new Error('an output outside of any request');
    return this.current;
  }
}

/** The batch's output document: one line per request, so two runs can be compared byte for byte and diffed. */
export function formatResults(results: readonly BatchResult[]): string {
  return (
    results
      .map((r) =>
        JSON.stringify({
          request: r.request,
          request_type: r.request_type,
          ...(r.input_index !== undefined ? { input_index: r.input_index } : {}),
          status: r.status,
          vouchers: r.vouchers,
          notices: r.notices,
          reports: r.reports,
          ...(r.exception !== undefined ? { exception: r.exception } : {}),
        }),
      )
      .join('\n') + '\n'
  );
}

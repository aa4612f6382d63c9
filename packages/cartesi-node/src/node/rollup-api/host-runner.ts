// The v1 rollup HTTP API for a backend running on the host (what rollups-node's host-runner
// serves): the backend long-polls /finish to hand in the result of the current request and
// receive the next one; between two finishes it emits vouchers, notices and reports. The shapes
// on the wire are @tt/cartesi-v1's, which the backend (dapp/) uses too.
import type {
  AdvanceMetadata,
  IndexResponse,
  InspectResponse,
  PayloadBody,
  RollupRequest,
  VoucherBody,
} from '@tt/cartesi-v1';
import type { AdvanceResult } from '../store/rows.js';
import type { InputRunner, RequestProgress } from '../input-runner.js';

export interface InspectResult {
  status: InspectResponse['status'];
  reports: PayloadBody[];
  exceptionPayload: string | null;
}

type Pending =
  | {
      kind: 'advance';
      metadata: AdvanceMetadata;
      payload: string;
      resolve: (r: AdvanceResult) => void;
      reject: (e: Error) => void;
    }
  | { kind: 'inspect'; payload: string; resolve: (r: InspectResult) => void; reject: (e: Error) => void };

interface Current {
  request: Pending;
  startedAt: number;
  vouchers: VoucherBody[];
  notices: PayloadBody[];
  reports: PayloadBody[];
}

export class RollupApiError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export class BackendGoneError extends Error {}

type FinishReply = { status: 200; body: RollupRequest } | { status: 202; body: string };

interface Waiter {
  deliver: (reply: FinishReply) => boolean;
  timer: NodeJS.Timeout;
}

const HEX = /^0x([0-9a-fA-F]{2})*$/;

/** host-runner's rules: the 0x prefix is required (0X is not), either case, whole bytes. */
export function checkHex(value: unknown, field: string): string {
  if (typeof value !== 'string') throw new RollupApiError(`${field} must be a hex string starting with 0x`);
  if (!value.startsWith('0x'))
    throw new RollupApiError(`failed to decode ${field}: hex string must start with 0x`);
  if (!HEX.test(value)) throw new RollupApiError(`failed to decode ${field}: invalid hex string`);
  return value.toLowerCase();
}

export function checkAddress(value: unknown): string {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(value))
    throw new RollupApiError('Address not valid');
  return value.toLowerCase();
}

export class HostRunner implements InputRunner {
  private queue: Pending[] = [];
  private active: Current | null = null;
  private waiters: Waiter[] = [];
  /** When the backend last talked to us: lets inspect tell "nobody is polling" apart from "busy". */
  lastSeen = 0;

  constructor(private readonly finishTimeoutMs = 10_000) {}

  get busy(): boolean {
    return this.active !== null;
  }

  get currentKind(): 'advance' | 'inspect' | null {
    return this.active?.request.kind ?? null;
  }

  current(): RequestProgress | null {
    const cur = this.active;
    if (!cur) return null;
    const r = cur.request;
    return {
      kind: r.kind,
      inputIndex: r.kind === 'advance' ? r.metadata.input_index : null,
      startedAt: cur.startedAt,
      cycles: null,
      cyclesPerSecond: null,
      estimatedCycles: null,
      etaSeconds: null,
    };
  }

  /** A host backend has no machine. */
  stateHash(): null {
    return null;
  }

  advance(metadata: AdvanceMetadata, payload: string): Promise<AdvanceResult> {
    return new Promise((resolve, reject) =>
      this.enqueue({ kind: 'advance', metadata, payload, resolve, reject }),
    );
  }

  inspect(payload: string): Promise<InspectResult> {
    return new Promise((resolve, reject) => this.enqueue({ kind: 'inspect', payload, resolve, reject }));
  }

  /** The backend died or was restarted: whatever it was doing will never finish. */
  abortCurrent(reason: string) {
    const cur = this.active;
    this.active = null;
    if (cur) cur.request.reject(new BackendGoneError(reason));
  }

  /** Rejects everything (shutdown). */
  close(reason: string) {
    this.abortCurrent(reason);
    for (const p of this.queue.splice(0)) p.reject(new BackendGoneError(reason));
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.deliver({ status: 202, body: 'no rollup request available' });
    }
  }

  private enqueue(p: Pending) {
    // advances keep InputBox order; inspects may jump ahead of queued advances but never interrupt one
    if (p.kind === 'inspect') {
      const firstAdvance = this.queue.findIndex((q) => q.kind === 'advance');
      if (firstAdvance === -1) this.queue.push(p);
      else this.queue.splice(firstAdvance, 0, p);
    } else {
      this.queue.push(p);
    }
    this.dispatch();
  }

  private dispatch() {
    while (!this.active && this.queue.length && this.waiters.length) {
      const waiter = this.waiters.shift()!;
      clearTimeout(waiter.timer);
      const next = this.queue[0]!;
      const body: RollupRequest =
        next.kind === 'advance'
          ? { request_type: 'advance_state', data: { metadata: next.metadata, payload: next.payload } }
          : { request_type: 'inspect_state', data: { payload: next.payload } };
      // a waiter whose connection already closed cannot take the request: it stays queued
      if (waiter.deliver({ status: 200, body })) {
        this.queue.shift();
        this.active = { request: next, startedAt: Date.now(), vouchers: [], notices: [], reports: [] };
      }
    }
  }

  // ---- the HTTP API ----

  finish(body: unknown, deliver: (reply: FinishReply) => boolean): void {
    this.lastSeen = Date.now();
    const status = (body as { status?: unknown } | null)?.status;
    if (status !== 'accept' && status !== 'reject')
      throw new RollupApiError("status must be 'accept' or 'reject'");
    const cur = this.active;
    if (cur) {
      this.active = null;
      if (cur.request.kind === 'advance') {
        cur.request.resolve({
          status: status === 'accept' ? 'ACCEPTED' : 'REJECTED',
          vouchers: cur.vouchers,
          notices: cur.notices,
          reports: cur.reports,
          exceptionPayload: null,
        });
      } else {
        cur.request.resolve({
          status: status === 'accept' ? 'Accepted' : 'Rejected',
          reports: cur.reports,
          exceptionPayload: null,
        });
      }
    }
    const waiter: Waiter = {
      deliver,
      timer: setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        deliver({ status: 202, body: 'no rollup request available' });
      }, this.finishTimeoutMs),
    };
    this.waiters.push(waiter);
    this.dispatch();
  }

  voucher(body: unknown): IndexResponse {
    this.lastSeen = Date.now();
    const cur = this.requireState('voucher', 'advance');
    const b = (body ?? {}) as { destination?: unknown; payload?: unknown };
    const destination = checkAddress(b.destination);
    const payload = checkHex(b.payload, 'payload');
    cur.vouchers.push({ destination, payload });
    return { index: cur.vouchers.length - 1 };
  }

  notice(body: unknown): IndexResponse {
    this.lastSeen = Date.now();
    const cur = this.requireState('notice', 'advance');
    const payload = checkHex((body as { payload?: unknown } | null)?.payload, 'payload');
    cur.notices.push({ payload });
    return { index: cur.notices.length - 1 };
  }

  report(body: unknown): void {
    this.lastSeen = Date.now();
    const cur = this.requireState('report', 'any');
    cur.reports.push({ payload: checkHex((body as { payload?: unknown } | null)?.payload, 'payload') });
  }

  exception(body: unknown): void {
    this.lastSeen = Date.now();
    const cur = this.requireState('exception', 'any');
    const payload = checkHex((body as { payload?: unknown } | null)?.payload, 'payload');
    this.active = null;
    if (cur.request.kind === 'advance') {
      cur.request.resolve({
        status: 'EXCEPTION',
        vouchers: [],
        notices: [],
        reports: cur.reports,
        exceptionPayload: payload,
      });
    } else {
      cur.request.resolve({ status: 'Exception', reports: cur.reports, exceptionPayload: payload });
    }
    this.dispatch();
  }

  private requireState(what: string, need: 'advance' | 'any'): Current {
    const cur = this.active;
    if (!cur) throw new RollupApiError(`invalid request ${what} in idle state`);
    if (need === 'advance' && cur.request.kind !== 'advance')
      throw new RollupApiError(`invalid request ${what} in inspect state`);
    return cur;
  }
}

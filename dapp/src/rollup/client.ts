// Client for the v1 rollup HTTP API (/finish, /notice, /voucher, /report, /exception).
// Implementations disagree on status codes (spec: 200; in-machine server: 201 for outputs, 202 for reports; host-runner:
// 200, and 202 on /finish when no request came before its timeout), so every 2xx counts as success and only /finish
// gives 202 a meaning of its own: "nothing yet, ask again with the same status".
import { bytesToHex } from '../hex.ts';
import { postJson, type HttpResponse } from './http.ts';
import type { AdvanceMetadata, FinishStatus, RollupRequest } from './types.ts';

/** The server answered, but not with a 2xx. The body is the server's own explanation (text/plain on v1 nodes). */
export class RollupHttpError extends Error {
  constructor(
    readonly endpoint: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`rollup API ${endpoint} answered HTTP ${status}: ${body.slice(0, 500) || '(empty body)'}`);
    this.name = 'RollupHttpError';
  }
}

/** The server answered 2xx with something that is not a rollup request; a server bug or the wrong URL. */
export class RollupProtocolError extends Error {
  override name = 'RollupProtocolError';
}

export type FinishResult = { kind: 'request'; request: RollupRequest } | { kind: 'retry' };

export class RollupClient {
  readonly baseUrl: string;

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/+$/, '');
  }

  /** @param signal aborts a /finish that is waiting for a request (it may wait forever inside the machine) */
  async finish(status: FinishStatus, signal?: AbortSignal): Promise<FinishResult> {
    const res = await this.post('/finish', { status }, signal);
    if (res.status === 202) return { kind: 'retry' };
    let json: unknown;
    try {
      json = JSON.parse(res.body);
    } catch {
      throw new RollupProtocolError(
        `/finish answered HTTP ${res.status} with a body that is not JSON: ${res.body.slice(0, 200)}`,
      );
    }
    return { kind: 'request', request: parseRollupRequest(json) };
  }

  /** @returns the notice's index within the current input, when the server says it */
  async notice(payload: Uint8Array): Promise<number | undefined> {
    return indexOf(await this.post('/notice', { payload: bytesToHex(payload) }));
  }

  async voucher(destination: string, payload: Uint8Array): Promise<number | undefined> {
    return indexOf(await this.post('/voucher', { destination, payload: bytesToHex(payload) }));
  }

  async report(payload: Uint8Array): Promise<void> {
    await this.post('/report', { payload: bytesToHex(payload) });
  }

  async exception(payload: Uint8Array): Promise<void> {
    await this.post('/exception', { payload: bytesToHex(payload) });
  }

  private async post(endpoint: string, body: unknown, signal?: AbortSignal): Promise<HttpResponse> {
    const res = await postJson(this.baseUrl + endpoint, body, signal);
    if (res.status < 200 || res.status > 299) throw new RollupHttpError(endpoint, res.status, res.body);
    return res;
  }
}

function indexOf(res: HttpResponse): number | undefined {
  try {
    const json = JSON.parse(res.body) as { index?: unknown };
    return typeof json.index === 'number' ? json.index : undefined;
  } catch {
    return undefined;
  }
}

const HEX = /^0x([0-9a-fA-F]{2})*$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Checks the shape of a /finish answer so the handlers can trust their input's types. */
export function parseRollupRequest(json: unknown): RollupRequest {
  const bad = (why: string) =>
    new RollupProtocolError(
      `/finish returned an unexpected rollup request (${why}): ${JSON.stringify(json)?.slice(0, 300)}`,
    );
  if (typeof json !== 'object' || json === null) throw bad('not an object');
  const { request_type, data } = json as { request_type?: unknown; data?: unknown };
  if (typeof data !== 'object' || data === null) throw bad('no data');
  const payload = (data as { payload?: unknown }).payload;
  if (typeof payload !== 'string' || !HEX.test(payload)) throw bad('data.payload is not 0x-hex');
  if (request_type === 'inspect_state') return { request_type, data: { payload } };
  if (request_type !== 'advance_state') throw bad(`unknown request_type ${String(request_type)}`);
  const m = (data as { metadata?: unknown }).metadata;
  if (typeof m !== 'object' || m === null) throw bad('no metadata');
  const md = m as Record<string, unknown>;
  if (typeof md.msg_sender !== 'string' || !ADDRESS.test(md.msg_sender))
    throw bad('metadata.msg_sender is not an address');
  const metadata: AdvanceMetadata = {
    msg_sender: md.msg_sender.toLowerCase(),
    epoch_index: toUint(md.epoch_index),
    input_index: toUint(md.input_index),
    block_number: toUint(md.block_number),
    timestamp: toUint(md.timestamp),
  };
  if (!Number.isInteger(metadata.input_index) || metadata.input_index < 0)
    throw bad('metadata.input_index is not an integer');
  return { request_type, data: { metadata, payload } };
}

// Metadata numbers are u64 on the wire; anything a JS number cannot hold is marked NaN rather than guessed.
function toUint(v: unknown): number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : Number.NaN;
}

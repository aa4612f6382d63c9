// Client for the v1 rollup HTTP API (/finish, /notice, /voucher, /report, /exception).
// Implementations disagree on status codes (spec: 200; in-machine server: 201 for outputs, 202 for reports; host-runner:
// 200, and 202 on /finish when no request came before its timeout), so every 2xx counts as success and only /finish
// gives 202 a meaning of its own: "nothing yet, ask again with the same status".
import {
  parseRollupRequest,
  RollupProtocolError,
  type FinishStatus,
  type RollupRequest,
} from '@tt/cartesi-v1';
import { toHex } from '@tt/protocol';
import { postJson, type HttpResponse } from './http.ts';

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
    return indexOf(await this.post('/notice', { payload: toHex(payload) }));
  }

  async voucher(destination: string, payload: Uint8Array): Promise<number | undefined> {
    return indexOf(await this.post('/voucher', { destination, payload: toHex(payload) }));
  }

  async report(payload: Uint8Array): Promise<void> {
    await this.post('/report', { payload: toHex(payload) });
  }

  async exception(payload: Uint8Array): Promise<void> {
    await this.post('/exception', { payload: toHex(payload) });
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

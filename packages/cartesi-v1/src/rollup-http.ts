// The v1 rollup HTTP API between a backend and its node (cartesi/openapi-interfaces rollup.yaml, API 0.7.x): the
// backend POSTs /finish with how the last request ended and gets the next one; between two finishes it POSTs /voucher,
// /notice, /report and /exception. The node (here: @tt/cartesi-node's host runner) and the backend (dapp/) both
// speak these shapes. Bytes travel as 0x-hex.

export type FinishStatus = 'accept' | 'reject';

export interface AdvanceMetadata {
  /** lowercase 0x-address: msg.sender of InputBox.addInput */
  msg_sender: string;
  epoch_index: number;
  input_index: number;
  block_number: number;
  /** seconds */
  timestamp: number;
}

export interface AdvanceRequest {
  request_type: 'advance_state';
  data: { metadata: AdvanceMetadata; payload: string };
}

export interface InspectRequest {
  request_type: 'inspect_state';
  data: { payload: string };
}

/** What /finish answers with (HTTP 200); 202 means "no request yet, ask again". */
export type RollupRequest = AdvanceRequest | InspectRequest;

/** Request bodies of the output endpoints. */
export interface FinishBody {
  status: FinishStatus;
}
export interface VoucherBody {
  destination: string;
  payload: string;
}
export interface PayloadBody {
  payload: string;
}
/** /voucher and /notice answer with the output's index within the current input. */
export interface IndexResponse {
  index: number;
}

/** The node's inspect endpoint (`GET /inspect/<payload>`, `POST /inspect`) answers with this JSON. */
export interface InspectResponse {
  status: 'Accepted' | 'Rejected' | 'Exception';
  exception_payload: string | null;
  reports: PayloadBody[];
  processed_input_count: number;
}

/** /finish answered 2xx with something that is not a rollup request: a node bug or the wrong URL. */
export class RollupProtocolError extends Error {
  override name = 'RollupProtocolError';
}

const HEX = /^0x([0-9a-fA-F]{2})*$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** Checks the shape of a /finish answer, so a handler can trust its input's types. */
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

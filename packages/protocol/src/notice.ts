// The notice the backend emits for each response (docs/interfaces.md, "Outputs of the backend"): UTF-8 JSON with the
// keys in the documented order. One type for the writer (the backend) and the readers (the client, the CLI, the UI).
// The exact response bytes travel as `textHex`; `text` and `utf8Valid` are derived from them for people and tools that
// read the JSON by eye, and a reader checks that they agree.
import { decodeUtf8, displayText, fromHex, toHex, type Hex } from './bytes.ts';
import { NoticeError } from './errors.ts';

export interface ResponseNotice {
  conversationId: bigint;
  responseIndex: 0 | 1;
  /** The InputBox index of the prompt's input. */
  inputIndex: number;
  /** Exactly the bytes the engine decoded from the generated tokens. */
  bytes: Uint8Array;
  /** All token ids from BOS on: BOS, the prompt's, then the generated ones. */
  tokens: number[];
  /** BOS included. */
  promptTokens: number;
  seed: bigint;
  steps: number;
  temperatureMilli: number;
  topPMilli: number;
  modelHash: Hex;
  engineVersion: string;
}

export function responseNoticeJson(n: ResponseNotice): string {
  return JSON.stringify({
    type: 'response',
    conversationId: n.conversationId.toString(),
    responseIndex: n.responseIndex,
    inputIndex: n.inputIndex,
    text: displayText(n.bytes),
    textHex: toHex(n.bytes),
    utf8Valid: decodeUtf8(n.bytes).utf8Valid,
    tokens: n.tokens,
    promptTokens: n.promptTokens,
    seed: n.seed.toString(),
    steps: n.steps,
    temperatureMilli: n.temperatureMilli,
    topPMilli: n.topPMilli,
    modelHash: n.modelHash,
    engineVersion: n.engineVersion,
  });
}

/** The notice payload: the JSON above, UTF-8 encoded. */
export function encodeResponseNotice(n: ResponseNotice): Uint8Array {
  return new TextEncoder().encode(responseNoticeJson(n));
}

/**
 * A notice payload (bytes, or 0x-hex as the GraphQL reader serves it) as the JSON object every notice of ours is, or
 * null when it is not one (not UTF-8, not JSON, not an object): a notice of someone else's.
 */
export function noticeJson(payload: Uint8Array | string): Record<string, unknown> | null {
  const { text, utf8Valid } = decodeUtf8(typeof payload === 'string' ? fromHex(payload) : payload);
  if (!utf8Valid) return null;
  try {
    const j = JSON.parse(text) as unknown;
    return j !== null && typeof j === 'object' && !Array.isArray(j) ? (j as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * Reads a notice payload (bytes, or 0x-hex as the GraphQL reader serves it). Returns null for notices that are not
 * response notices (not UTF-8, not JSON, another `type`); throws NoticeError for a response notice that breaks the format.
 */
export function parseResponseNotice(payload: Uint8Array | string): ResponseNotice | null {
  const j = noticeJson(payload);
  if (j?.type !== 'response') return null;
  const str = (k: string): string => {
    if (typeof j[k] !== 'string') throw new NoticeError(`'${k}' is not a string`);
    return j[k] as string;
  };
  const int = (k: string): number => {
    if (!Number.isSafeInteger(j[k]) || (j[k] as number) < 0) {
      throw new NoticeError(`'${k}' is not a non-negative integer`);
    }
    return j[k] as number;
  };
  const decimal = (k: string): bigint => {
    const s = str(k);
    if (!/^\d+$/.test(s)) throw new NoticeError(`'${k}' is not a decimal string`);
    return BigInt(s);
  };
  const responseIndex = int('responseIndex');
  if (responseIndex !== 0 && responseIndex !== 1) throw new NoticeError(`responseIndex ${responseIndex}`);
  const tokens = j.tokens;
  if (!Array.isArray(tokens) || !tokens.every((t) => Number.isSafeInteger(t))) {
    throw new NoticeError('tokens is not an array of integers');
  }
  let bytes: Uint8Array;
  try {
    bytes = fromHex(str('textHex'));
  } catch {
    throw new NoticeError("'textHex' is not 0x-hex");
  }
  if (j.text !== undefined && j.text !== displayText(bytes)) {
    throw new NoticeError("'text' does not show the bytes of 'textHex'");
  }
  if (j.utf8Valid !== undefined && j.utf8Valid !== decodeUtf8(bytes).utf8Valid) {
    throw new NoticeError("'utf8Valid' does not match the bytes of 'textHex'");
  }
  const modelHash = str('modelHash');
  if (!/^0x[0-9a-fA-F]{64}$/.test(modelHash)) throw new NoticeError("'modelHash' is not 0x + 64 hex digits");
  return {
    conversationId: decimal('conversationId'),
    responseIndex,
    inputIndex: int('inputIndex'),
    bytes,
    tokens: tokens as number[],
    promptTokens: int('promptTokens'),
    seed: decimal('seed'),
    steps: int('steps'),
    temperatureMilli: int('temperatureMilli'),
    topPMilli: int('topPMilli'),
    modelHash: modelHash as Hex,
    engineVersion: str('engineVersion'),
  };
}

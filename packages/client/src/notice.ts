// The backend's response notice (docs/interfaces.md, "Outputs of the backend"), parsed and checked. The notice is the
// first place a response can be read, before any voucher is executed; `bytes` comes from textHex, never from `text`.
import { decodeUtf8, fromHex } from './bytes.ts';
import type { Hex } from './model.ts';

export interface ResponseNotice {
  conversationId: bigint;
  responseIndex: 0 | 1;
  inputIndex: number;
  /** Exact bytes from `textHex`. */
  bytes: Uint8Array;
  /** Display text as the backend wrote it (U+FFFD for bad bytes). */
  text: string;
  utf8Valid: boolean;
  tokens: number[];
  promptTokens: number;
  seed: bigint;
  steps: number;
  temperatureMilli: number;
  topPMilli: number;
  modelHash: Hex;
  engineVersion: string;
}

/** Parses a notice payload (0x-hex of UTF-8 JSON); returns null for notices that are not response notices. */
export function parseResponseNotice(payloadHex: string): ResponseNotice | null {
  const { text, utf8Valid } = decodeUtf8(fromHex(payloadHex));
  if (!utf8Valid) return null;
  let j: Record<string, unknown>;
  try {
    j = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (j.type !== 'response') return null;
  const str = (k: string): string => {
    if (typeof j[k] !== 'string') throw new Error(`response notice: '${k}' is not a string`);
    return j[k] as string;
  };
  const int = (k: string): number => {
    if (!Number.isSafeInteger(j[k])) throw new Error(`response notice: '${k}' is not an integer`);
    return j[k] as number;
  };
  const responseIndex = int('responseIndex');
  if (responseIndex !== 0 && responseIndex !== 1)
    throw new Error(`response notice: responseIndex ${responseIndex}`);
  const tokens = j.tokens;
  if (!Array.isArray(tokens) || !tokens.every((t) => Number.isSafeInteger(t))) {
    throw new Error('response notice: tokens is not an array of integers');
  }
  const bytes = fromHex(str('textHex'));
  return {
    conversationId: BigInt(str('conversationId')),
    responseIndex,
    inputIndex: int('inputIndex'),
    bytes,
    text: str('text'),
    utf8Valid: decodeUtf8(bytes).utf8Valid,
    tokens: tokens as number[],
    promptTokens: int('promptTokens'),
    seed: BigInt(str('seed')),
    steps: int('steps'),
    temperatureMilli: int('temperatureMilli'),
    topPMilli: int('topPMilli'),
    modelHash: str('modelHash') as Hex,
    engineVersion: str('engineVersion'),
  };
}

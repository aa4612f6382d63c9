// The notice for one response (docs/interfaces.md, "Outputs of the backend"): UTF-8 JSON, keys in the documented order.
import { bytesToHex } from '../hex.ts';
import { displayText, isValidUtf8 } from './text.ts';

export interface ResponseRecord {
  conversationId: bigint;
  responseIndex: 0 | 1;
  inputIndex: number;
  /** exactly the bytes the engine decoded from the generated tokens */
  bytes: Uint8Array;
  /** all token ids from BOS on */
  tokens: number[];
  promptTokens: number;
  seed: bigint;
  steps: number;
  temperatureMilli: number;
  topPMilli: number;
  /** 0x + 64 hex */
  modelHash: string;
  engineVersion: string;
}

export function responseNoticeJson(r: ResponseRecord): string {
  return JSON.stringify({
    type: 'response',
    conversationId: r.conversationId.toString(),
    responseIndex: r.responseIndex,
    inputIndex: r.inputIndex,
    text: displayText(r.bytes),
    textHex: bytesToHex(r.bytes),
    utf8Valid: isValidUtf8(r.bytes),
    tokens: r.tokens,
    promptTokens: r.promptTokens,
    seed: r.seed.toString(),
    steps: r.steps,
    temperatureMilli: r.temperatureMilli,
    topPMilli: r.topPMilli,
    modelHash: r.modelHash,
    engineVersion: r.engineVersion,
  });
}

export function responseNotice(r: ResponseRecord): Uint8Array {
  return new TextEncoder().encode(responseNoticeJson(r));
}

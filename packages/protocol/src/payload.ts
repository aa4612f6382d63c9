// The input payload TrustAndTeach sends the backend through the InputBox: the ABI call data of the pseudo-function
// ITrustAndTeachInput.prompt(uint256 conversationId, bytes prompt, uint32 steps, uint32 temperatureMilli,
// uint32 topPMilli) (docs/interfaces.md, "Input payload"). A contracts test checks that the Solidity interface has this
// selector and that the contract's payloads are exactly what encodePromptPayload writes.
//
// Decoding accepts only the one canonical encoding: a payload with two readings could mean two prompts. The layout is
// fixed, so it is checked by hand, in time linear in the prompt (a general ABI decoder that decodes and re-encodes took
// seconds on the InputBox's 2 MiB inputs):
//   selector ‖ id ‖ offset 0xa0 ‖ steps ‖ temperatureMilli ‖ topPMilli ‖ length ‖ prompt, zero-padded to a word
// with each uint32 word's upper 28 bytes zero and nothing after the padding.
import { id } from 'ethers';
import { PayloadError } from './errors.ts';

export const PROMPT_SIGNATURE = 'prompt(uint256,bytes,uint32,uint32,uint32)';
/** The first four bytes of every input payload: keccak256(PROMPT_SIGNATURE)[0..4]. */
export const PROMPT_SELECTOR = id(PROMPT_SIGNATURE).slice(0, 10);

export interface PromptInput {
  conversationId: bigint;
  /** Raw bytes, not necessarily UTF-8. */
  prompt: Uint8Array;
  steps: number;
  temperatureMilli: number;
  topPMilli: number;
}

const WORD = 32;
const HEAD = 4 + 6 * WORD; // selector and six words: id, offset, steps, temperature, top-p, length
const PROMPT_OFFSET = 5 * WORD; // where the bytes' length word starts, counted from after the selector
const UINT256_MAX = (1n << 256n) - 1n;
const UINT32_MAX = 2 ** 32 - 1;
const SELECTOR_BYTES = Uint8Array.from(
  PROMPT_SELECTOR.slice(2)
    .match(/../g)!
    .map((h) => parseInt(h, 16)),
);

function writeUint(out: Uint8Array, at: number, value: bigint): void {
  for (let i = WORD - 1, v = value; i >= 0; i--, v >>= 8n) out[at + i] = Number(v & 0xffn);
}

function readUint(payload: Uint8Array, at: number): bigint {
  let v = 0n;
  for (let i = 0; i < WORD; i++) v = (v << 8n) | BigInt(payload[at + i]!);
  return v;
}

function checkUint32(name: string, value: number): void {
  if (!Number.isInteger(value) || value < 0 || value > UINT32_MAX) {
    throw new RangeError(`${name} must be a uint32, not ${value}`);
  }
}

/** The call data TrustAndTeach puts in the InputBox for these arguments. */
export function encodePromptPayload(input: PromptInput): Uint8Array {
  const { conversationId, prompt, steps, temperatureMilli, topPMilli } = input;
  if (conversationId < 0n || conversationId > UINT256_MAX) {
    throw new RangeError(`conversationId must be a uint256, not ${conversationId}`);
  }
  checkUint32('steps', steps);
  checkUint32('temperatureMilli', temperatureMilli);
  checkUint32('topPMilli', topPMilli);
  const padded = Math.ceil(prompt.length / WORD) * WORD;
  const out = new Uint8Array(HEAD + padded);
  out.set(SELECTOR_BYTES, 0);
  writeUint(out, 4, conversationId);
  writeUint(out, 4 + WORD, BigInt(PROMPT_OFFSET));
  writeUint(out, 4 + 2 * WORD, BigInt(steps));
  writeUint(out, 4 + 3 * WORD, BigInt(temperatureMilli));
  writeUint(out, 4 + 4 * WORD, BigInt(topPMilli));
  writeUint(out, 4 + 5 * WORD, BigInt(prompt.length));
  out.set(prompt, HEAD);
  return out;
}

const NON_CANONICAL =
  'not the canonical ABI encoding (non-standard offset, non-zero padding, or an integer wider than its type)';

/** Reads a payload back into its arguments; throws PayloadError (code bad-payload) for anything but the canonical form. */
export function decodePromptPayload(payload: Uint8Array): PromptInput {
  const bad = (why: string) =>
    new PayloadError(
      `payload is not a valid ${PROMPT_SIGNATURE} call: ${why}; send prompts through TrustAndTeach.sendPrompt(...)`,
    );
  if (payload.length < 4) throw bad(`it is ${payload.length} byte(s), shorter than a 4-byte selector`);
  if (SELECTOR_BYTES.some((b, i) => payload[i] !== b)) {
    const selector = `0x${[...payload.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
    throw bad(`selector ${selector} is not ${PROMPT_SELECTOR}`);
  }
  if (payload.length < HEAD) throw bad('ABI decoding failed (data too short)');
  const word = (i: number) => 4 + i * WORD;
  if (readUint(payload, word(1)) !== BigInt(PROMPT_OFFSET)) throw bad(NON_CANONICAL);
  for (const i of [2, 3, 4]) {
    if (payload.subarray(word(i), word(i) + WORD - 4).some((b) => b !== 0)) throw bad(NON_CANONICAL);
  }
  const length = readUint(payload, word(5));
  const paddedEnd = BigInt(HEAD) + ((length + BigInt(WORD) - 1n) / BigInt(WORD)) * BigInt(WORD);
  if (paddedEnd > BigInt(payload.length))
    throw bad('ABI decoding failed (data too short for the prompt length)');
  if (paddedEnd < BigInt(payload.length)) {
    throw bad(`${BigInt(payload.length) - paddedEnd} trailing byte(s) after the arguments`);
  }
  const end = HEAD + Number(length);
  if (payload.subarray(end).some((b) => b !== 0)) throw bad(NON_CANONICAL);
  return {
    conversationId: readUint(payload, word(0)),
    prompt: payload.slice(HEAD, end),
    steps: Number(readUint(payload, word(2))),
    temperatureMilli: Number(readUint(payload, word(3))),
    topPMilli: Number(readUint(payload, word(4))),
  };
}

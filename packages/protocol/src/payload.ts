// The input payloads TrustAndTeach sends the backend through the InputBox: the ABI call data of a pseudo-function of
// ITrustAndTeachInput (docs/interfaces.md, "Input payload"):
// - prompt(uint256 conversationId, bytes prompt, uint32 steps, uint32 temperatureMilli, uint32 topPMilli): a prompt for
//   the base model;
// - promptWithModel(…the same…, bytes32 modelHash): a prompt for a fine-tuned version;
// - teach(uint256[] conversationIds, uint8[] chosenIndices): preferences to train on (empty: go on training).
// A contracts test checks that the Solidity interface has these selectors and that the contract's payloads are exactly
// what the encoders here write.
//
// Decoding accepts only the one canonical encoding: a payload with two readings could mean two prompts. The prompt
// layouts are fixed, so they are checked by hand, in time linear in the prompt (a general ABI decoder that decodes and
// re-encodes took seconds on the InputBox's 2 MiB inputs):
//   selector ‖ id ‖ offset ‖ steps ‖ temperatureMilli ‖ topPMilli [‖ modelHash] ‖ length ‖ prompt, zero-padded to a word
// with each uint32 word's upper 28 bytes zero and nothing after the padding. A teach payload is small (the contract
// sends at most MAX_TEACH_CONVERSATIONS ids), so it is length-checked first and then decoded and re-encoded.
import { AbiCoder, getBytes, id } from 'ethers';
import { toHex, type Hex } from './bytes.ts';
import { PayloadError } from './errors.ts';

export const PROMPT_SIGNATURE = 'prompt(uint256,bytes,uint32,uint32,uint32)';
/** The first four bytes of every input payload: keccak256(PROMPT_SIGNATURE)[0..4]. */
export const PROMPT_SELECTOR = id(PROMPT_SIGNATURE).slice(0, 10);

export const PROMPT_WITH_MODEL_SIGNATURE = 'promptWithModel(uint256,bytes,uint32,uint32,uint32,bytes32)';
export const PROMPT_WITH_MODEL_SELECTOR = id(PROMPT_WITH_MODEL_SIGNATURE).slice(0, 10);
export const TEACH_SIGNATURE = 'teach(uint256[],uint8[])';
export const TEACH_SELECTOR = id(TEACH_SIGNATURE).slice(0, 10);
/** TrustAndTeach.MAX_TEACH_CONVERSATIONS: the most conversations one teach input carries. */
export const MAX_TEACH_CONVERSATIONS = 256;

export interface PromptInput {
  conversationId: bigint;
  /** Raw bytes, not necessarily UTF-8. */
  prompt: Uint8Array;
  steps: number;
  temperatureMilli: number;
  topPMilli: number;
  /** The fine-tuned version to answer with (promptWithModel); absent = the base model (prompt). */
  modelHash?: Hex;
}

/** A teach input: conversation ids (strictly increasing) and each one's preferred response; empty = go on training. */
export interface TeachInput {
  conversationIds: bigint[];
  chosenIndices: (0 | 1)[];
}

export type TrustAndTeachInput = ({ kind: 'prompt' } & PromptInput) | ({ kind: 'teach' } & TeachInput);

const WORD = 32;
const UINT256_MAX = (1n << 256n) - 1n;
const UINT32_MAX = 2 ** 32 - 1;
const selectorBytes = (selector: string) =>
  Uint8Array.from(
    selector
      .slice(2)
      .match(/../g)!
      .map((h) => parseInt(h, 16)),
  );
const SELECTOR_BYTES = selectorBytes(PROMPT_SELECTOR);
const WITH_MODEL_BYTES = selectorBytes(PROMPT_WITH_MODEL_SELECTOR);
const TEACH_BYTES = selectorBytes(TEACH_SELECTOR);
/** Words before the prompt's bytes: id, offset, steps, temperature, top-p, [model hash,] length. */
const headWords = (withModel: boolean) => (withModel ? 7 : 6);

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
  const { conversationId, prompt, steps, temperatureMilli, topPMilli, modelHash } = input;
  if (conversationId < 0n || conversationId > UINT256_MAX) {
    throw new RangeError(`conversationId must be a uint256, not ${conversationId}`);
  }
  checkUint32('steps', steps);
  checkUint32('temperatureMilli', temperatureMilli);
  checkUint32('topPMilli', topPMilli);
  if (modelHash !== undefined && !/^0x[0-9a-fA-F]{64}$/.test(modelHash))
    throw new RangeError(`modelHash must be 32 bytes of 0x-hex, not ${modelHash}`);
  const words = headWords(modelHash !== undefined);
  const head = 4 + words * WORD;
  const padded = Math.ceil(prompt.length / WORD) * WORD;
  const out = new Uint8Array(head + padded);
  out.set(modelHash === undefined ? SELECTOR_BYTES : WITH_MODEL_BYTES, 0);
  writeUint(out, 4, conversationId);
  writeUint(out, 4 + WORD, BigInt((words - 1) * WORD));
  writeUint(out, 4 + 2 * WORD, BigInt(steps));
  writeUint(out, 4 + 3 * WORD, BigInt(temperatureMilli));
  writeUint(out, 4 + 4 * WORD, BigInt(topPMilli));
  if (modelHash !== undefined) out.set(getBytes(modelHash), 4 + 5 * WORD);
  writeUint(out, 4 + (words - 1) * WORD, BigInt(prompt.length));
  out.set(prompt, head);
  return out;
}

const NON_CANONICAL =
  'not the canonical ABI encoding (non-standard offset, non-zero padding, or an integer wider than its type)';

const hasSelector = (payload: Uint8Array, selector: Uint8Array) =>
  payload.length >= 4 && selector.every((b, i) => payload[i] === b);
const selectorOf = (payload: Uint8Array) =>
  `0x${[...payload.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;

/**
 * Reads a prompt payload (prompt or promptWithModel) back into its arguments; throws PayloadError (code bad-payload)
 * for anything but the canonical form.
 */
export function decodePromptPayload(payload: Uint8Array): PromptInput {
  const withModel = hasSelector(payload, WITH_MODEL_BYTES);
  const signature = withModel ? PROMPT_WITH_MODEL_SIGNATURE : PROMPT_SIGNATURE;
  const bad = (why: string) =>
    new PayloadError(
      `payload is not a valid ${signature} call: ${why}; send prompts through TrustAndTeach.sendPrompt(...)`,
    );
  if (payload.length < 4) throw bad(`it is ${payload.length} byte(s), shorter than a 4-byte selector`);
  if (!withModel && !hasSelector(payload, SELECTOR_BYTES)) {
    throw bad(`selector ${selectorOf(payload)} is not ${PROMPT_SELECTOR}`);
  }
  const words = headWords(withModel);
  const HEAD = 4 + words * WORD;
  if (payload.length < HEAD) throw bad('ABI decoding failed (data too short)');
  const word = (i: number) => 4 + i * WORD;
  if (readUint(payload, word(1)) !== BigInt((words - 1) * WORD)) throw bad(NON_CANONICAL);
  for (const i of [2, 3, 4]) {
    if (payload.subarray(word(i), word(i) + WORD - 4).some((b) => b !== 0)) throw bad(NON_CANONICAL);
  }
  const length = readUint(payload, word(words - 1));
  const paddedEnd = BigInt(HEAD) + ((length + BigInt(WORD) - 1n) / BigInt(WORD)) * BigInt(WORD);
  if (paddedEnd > BigInt(payload.length))
    throw bad('ABI decoding failed (data too short for the prompt length)');
  if (paddedEnd < BigInt(payload.length)) {
    throw bad(`${BigInt(payload.length) - paddedEnd} trailing byte(s) after the arguments`);
  }
  const end = HEAD + Number(length);
  if (payload.subarray(end).some((b) => b !== 0)) throw bad(NON_CANONICAL);
  const input: PromptInput = {
    conversationId: readUint(payload, word(0)),
    prompt: payload.slice(HEAD, end),
    steps: Number(readUint(payload, word(2))),
    temperatureMilli: Number(readUint(payload, word(3))),
    topPMilli: Number(readUint(payload, word(4))),
  };
  if (withModel) input.modelHash = toHex(payload.subarray(word(5), word(6)));
  return input;
}

const abi = AbiCoder.defaultAbiCoder();
/** The longest canonical teach payload: selector, two offsets, two lengths, MAX_TEACH_CONVERSATIONS words each. */
const MAX_TEACH_PAYLOAD = 4 + (4 + 2 * MAX_TEACH_CONVERSATIONS) * WORD;

/** The call data TrustAndTeach.teach / continueTeaching put in the InputBox. */
export function encodeTeachPayload(input: TeachInput): Uint8Array {
  const { conversationIds, chosenIndices } = input;
  if (conversationIds.length !== chosenIndices.length)
    throw new RangeError('a teach input has one chosen index per conversation id');
  const args = abi.encode(['uint256[]', 'uint8[]'], [conversationIds, chosenIndices]);
  return getBytes(TEACH_SELECTOR + args.slice(2));
}

/**
 * Reads a teach payload back; throws PayloadError unless it is the canonical encoding of teach(ids, chosen) with ids
 * strictly increasing, chosen indices 0 or 1, as many of each, and at most MAX_TEACH_CONVERSATIONS.
 */
export function decodeTeachPayload(payload: Uint8Array): TeachInput {
  const bad = (why: string) =>
    new PayloadError(
      `payload is not a valid ${TEACH_SIGNATURE} call: ${why}; send preferences through TrustAndTeach.teach(ids)`,
    );
  if (!hasSelector(payload, TEACH_BYTES))
    throw bad(`selector ${selectorOf(payload)} is not ${TEACH_SELECTOR}`);
  if (payload.length > MAX_TEACH_PAYLOAD)
    throw bad(
      `it is ${payload.length} bytes, more than the ${MAX_TEACH_PAYLOAD} of ${MAX_TEACH_CONVERSATIONS} conversations`,
    );
  let ids: bigint[];
  let chosen: bigint[];
  try {
    const [a, b] = abi.decode(['uint256[]', 'uint256[]'], payload.subarray(4));
    ids = [...(a as bigint[])];
    chosen = [...(b as bigint[])];
  } catch (err) {
    throw bad(`ABI decoding failed (${(err as Error).message.split(' (')[0]})`);
  }
  if (chosen.some((c) => c > 1n)) throw bad('a chosen index is not 0 or 1');
  if (ids.length !== chosen.length)
    throw bad(`${ids.length} conversation ids but ${chosen.length} chosen indices`);
  if (ids.length > MAX_TEACH_CONVERSATIONS)
    throw bad(`${ids.length} conversations, more than ${MAX_TEACH_CONVERSATIONS}`);
  for (let i = 1; i < ids.length; i++)
    if (ids[i]! <= ids[i - 1]!) throw bad(`conversation ids are not strictly increasing at position ${i}`);
  const decoded: TeachInput = { conversationIds: ids, chosenIndices: chosen.map((c) => Number(c) as 0 | 1) };
  const again = encodeTeachPayload(decoded);
  if (again.length !== payload.length || again.some((b, i) => payload[i] !== b)) throw bad(NON_CANONICAL);
  return decoded;
}

/** Any TrustAndTeach input, told apart by its selector; PayloadError names the selectors it knows. */
export function decodeTrustAndTeachInput(payload: Uint8Array): TrustAndTeachInput {
  if (hasSelector(payload, TEACH_BYTES)) return { kind: 'teach', ...decodeTeachPayload(payload) };
  return { kind: 'prompt', ...decodePromptPayload(payload) };
}

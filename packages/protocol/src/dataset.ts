// The preference dataset that fine-tuning trains on, as one canonical byte string and its commitment. `tt teach`
// builds it from the chain and stores the commitment in the trained model's manifest; the rollup backend (Teach part 2)
// builds the same pairs from the same rankings, so both sides must derive the same bytes: the rule that turns rankings
// into a preference (tallyVotes) and the encoding (encodeDataset) live here, once (docs/interfaces.md, "Dataset").
import { keccak256 } from 'ethers';
import type { Hex } from './bytes.ts';
import { ProtocolError } from './errors.ts';

export const DATASET_DOMAIN = 'trust-and-teach:dataset:v1';

/** One conversation's preference, as token ids (never text: tokenisation is not unique). */
export interface DatasetPair {
  conversationId: bigint;
  /** The model both responses were generated with (sha256(checkpoint ‖ tokenizer)). */
  modelHash: Hex;
  /** The response index (0 or 1) the majority of rankers preferred. */
  chosenIndex: 0 | 1;
  /** BOS and the prompt's ids, as generation produced them. */
  promptTokens: readonly number[];
  /** The preferred response's generated ids (ending with BOS when the model ended the story there). */
  chosenTokens: readonly number[];
  rejectedTokens: readonly number[];
}

/** llama2.c's BOS id: the first token of every prompt, and the token a model samples to end a story (@tt/llm's BOS). */
export const BOS_TOKEN = 1;

/**
 * The ids one generation gives a pair: the prompt's (BOS first) and the response's. Generation stops early when the
 * model samples BOS, which is then not among `tokens`; such a response keeps that BOS as its last id, so its ending is
 * trained too and no response is empty. A generation that ran all of its `steps` has steps + 1 ids and no BOS added.
 */
export function generationPairTokens(
  gen: { tokens: readonly number[]; promptTokens: number },
  steps: number,
): { promptTokens: number[]; responseTokens: number[] } {
  const { tokens, promptTokens } = gen;
  if (!Number.isInteger(promptTokens) || promptTokens < 1 || promptTokens >= tokens.length + 1)
    throw bad(`a generation of ${tokens.length} ids cannot have ${promptTokens} prompt ids`);
  if (tokens.length > steps + 1) throw bad(`a generation of ${steps} steps has at most ${steps + 1} ids`);
  const response = tokens.slice(promptTokens);
  if (tokens.length < steps + 1) response.push(BOS_TOKEN);
  return { promptTokens: tokens.slice(0, promptTokens), responseTokens: response };
}

/**
 * One conversation's pair from its two generations (as the backend wrote them, or as a re-run gives them), or null when
 * both responses are the same ids (the pair would prefer nothing). The backend that trains inside the rollup and the
 * client that rebuilds its dataset both go through here, so they encode the same bytes.
 */
export function pairFromGenerations(args: {
  conversationId: bigint;
  modelHash: Hex;
  chosenIndex: 0 | 1;
  steps: number;
  generations: readonly [
    { tokens: readonly number[]; promptTokens: number },
    { tokens: readonly number[]; promptTokens: number },
  ];
}): DatasetPair | null {
  const [first, second] = args.generations.map((g) => generationPairTokens(g, args.steps)) as [
    ReturnType<typeof generationPairTokens>,
    ReturnType<typeof generationPairTokens>,
  ];
  const chosen = args.chosenIndex === 0 ? first : second;
  const rejected = args.chosenIndex === 0 ? second : first;
  const a = chosen.responseTokens;
  const b = rejected.responseTokens;
  if (a.length === b.length && a.every((t, i) => t === b[i])) return null;
  return {
    conversationId: args.conversationId,
    modelHash: args.modelHash.toLowerCase() as Hex,
    chosenIndex: args.chosenIndex,
    promptTokens: first.promptTokens,
    chosenTokens: a,
    rejectedTokens: b,
  };
}

export interface Tally {
  /** votes[i]: rankers whose current ranking puts response i first. */
  votes: [number, number];
  /** The majority's choice, or null for a tie (including no votes at all). */
  chosenIndex: 0 | 1 | null;
}

/**
 * Every ranker's current ranking is one vote for the response it puts first; a conversation's preference is the
 * majority's, and a tie prefers nothing (such conversations stay out of the dataset).
 */
export function tallyVotes(firsts: Iterable<number>): Tally {
  const votes: [number, number] = [0, 0];
  for (const f of firsts) {
    if (f !== 0 && f !== 1) throw new RangeError(`a ranking puts response 0 or 1 first, not ${String(f)}`);
    votes[f]++;
  }
  return { votes, chosenIndex: votes[0] > votes[1] ? 0 : votes[1] > votes[0] ? 1 : null };
}

const HEADER = new TextEncoder().encode(DATASET_DOMAIN);
const PAIR_FIXED = 32 + 32 + 1 + 12;
const UINT32 = 2 ** 32;
const LISTS = ['promptTokens', 'chosenTokens', 'rejectedTokens'] as const;

function bad(problem: string): ProtocolError {
  return new ProtocolError(
    'bad-dataset',
    `dataset: ${problem}`,
    'build datasets with buildPreferenceDataset (@tt/client) or `pnpm tt teach`',
  );
}

function checkPair(p: DatasetPair, i: number, previous: bigint | null): void {
  if (typeof p.conversationId !== 'bigint' || p.conversationId < 0n || p.conversationId >= 2n ** 256n)
    throw bad(`pair ${i}: conversationId must be a uint256`);
  if (previous !== null && p.conversationId <= previous)
    throw bad(
      `pair ${i}: conversation ${p.conversationId} follows ${previous}: pairs go in increasing conversation id, each once`,
    );
  if (!/^0x[0-9a-fA-F]{64}$/.test(p.modelHash)) throw bad(`pair ${i}: modelHash must be 32 bytes of 0x-hex`);
  if (p.chosenIndex !== 0 && p.chosenIndex !== 1) throw bad(`pair ${i}: chosenIndex must be 0 or 1`);
  for (const list of LISTS) {
    const ids = p[list];
    if (!Array.isArray(ids) || ids.length === 0) throw bad(`pair ${i}: ${list} must be a non-empty array`);
    for (const t of ids)
      if (!Number.isInteger(t) || t < 0 || t >= UINT32)
        throw bad(`pair ${i}: ${list} holds ${String(t)}, not a uint32 token id`);
  }
}

/**
 * The canonical bytes of a dataset (big-endian throughout):
 * "trust-and-teach:dataset:v1" ‖ uint32 n ‖ n × (uint256 conversationId ‖ bytes32 modelHash ‖ uint8 chosenIndex ‖
 * uint32 P ‖ uint32 C ‖ uint32 R ‖ P + C + R × uint32 token id), pairs in strictly increasing conversation id.
 * Throws ProtocolError bad-dataset for anything that has no encoding (unsorted ids, empty token lists, …).
 */
export function encodeDataset(pairs: readonly DatasetPair[]): Uint8Array {
  let size = HEADER.length + 4;
  let previous: bigint | null = null;
  pairs.forEach((p, i) => {
    checkPair(p, i, previous);
    previous = p.conversationId;
    size += PAIR_FIXED + 4 * (p.promptTokens.length + p.chosenTokens.length + p.rejectedTokens.length);
  });
  if (pairs.length >= UINT32) throw bad('too many pairs');
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  out.set(HEADER, 0);
  let o = HEADER.length;
  view.setUint32(o, pairs.length);
  o += 4;
  for (const p of pairs) {
    for (let k = 3; k >= 0; k--)
      view.setBigUint64(o + 8 * (3 - k), (p.conversationId >> BigInt(64 * k)) & 0xffffffffffffffffn);
    o += 32;
    for (let b = 0; b < 32; b++) out[o + b] = parseInt(p.modelHash.slice(2 + 2 * b, 4 + 2 * b), 16);
    o += 32;
    out[o++] = p.chosenIndex;
    for (const list of LISTS) {
      view.setUint32(o, p[list].length);
      o += 4;
    }
    for (const list of LISTS)
      for (const t of p[list]) {
        view.setUint32(o, t);
        o += 4;
      }
  }
  return out;
}

/** The inverse of encodeDataset, accepting only the canonical encoding (anything else: bad-dataset). */
export function decodeDataset(bytes: Uint8Array): DatasetPair[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let o = 0;
  const need = (n: number, what: string) => {
    if (o + n > bytes.length)
      throw bad(`cut short: ${what} at byte ${o} needs ${n} bytes, ${bytes.length - o} left`);
  };
  need(HEADER.length + 4, 'the header');
  for (let i = 0; i < HEADER.length; i++)
    if (bytes[i] !== HEADER[i]) throw bad(`it does not start with "${DATASET_DOMAIN}"`);
  o = HEADER.length;
  const n = view.getUint32(o);
  o += 4;
  const pairs: DatasetPair[] = [];
  for (let i = 0; i < n; i++) {
    need(PAIR_FIXED, `pair ${i}`);
    let id = 0n;
    for (let k = 0; k < 4; k++) id = (id << 64n) | view.getBigUint64(o + 8 * k);
    o += 32;
    let hash = '0x';
    for (let b = 0; b < 32; b++) hash += bytes[o + b]!.toString(16).padStart(2, '0');
    o += 32;
    const chosenIndex = bytes[o++]!;
    const lengths = [view.getUint32(o), view.getUint32(o + 4), view.getUint32(o + 8)];
    o += 12;
    const lists = lengths.map((len, j) => {
      need(4 * len, `pair ${i}'s ${LISTS[j]}`);
      const ids = Array.from({ length: len }, (_, k) => view.getUint32(o + 4 * k));
      o += 4 * len;
      return ids;
    });
    const pair = {
      conversationId: id,
      modelHash: hash as Hex,
      chosenIndex: chosenIndex as 0 | 1,
      promptTokens: lists[0]!,
      chosenTokens: lists[1]!,
      rejectedTokens: lists[2]!,
    };
    checkPair(pair, i, i > 0 ? pairs[i - 1]!.conversationId : null);
    pairs.push(pair);
  }
  if (o !== bytes.length) throw bad(`${bytes.length - o} bytes after the last pair`);
  return pairs;
}

/** keccak256 of the canonical encoding: the dataset's commitment, written into every trained model's manifest. */
export function datasetCommitment(pairs: readonly DatasetPair[]): Hex {
  return keccak256(encodeDataset(pairs)) as Hex;
}

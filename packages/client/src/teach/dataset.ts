// The preference dataset fine-tuning trains on, built from ranked conversations: one pair per conversation, in the
// order the majority of its rankers chose (ties left out and counted), as token ids that come from re-running each
// response with the engine (model, seed and parameters are on chain) and checking the re-run gives the on-chain bytes.
// Never from re-encoding text: tokenisation is not unique, so the text alone does not say which ids the model wrote.
// The engine is passed in (the CLI loads it from files, a browser from the node), so this file is browser-safe.
import {
  datasetCommitment,
  pairFromGenerations,
  samplingFloats,
  tallyVotes,
  toHex,
  type DatasetPair,
  type Hex,
} from '@tt/protocol';
import { TtError } from '../errors.ts';
import type { RankedConversation } from './snapshot.ts';

/** The part of @tt/llm's engine a replay uses. */
export interface ReplayEngine {
  generate(args: {
    prompt: Uint8Array;
    steps: number;
    temperature: number;
    topp: number;
    seed: bigint;
  }):
    | { tokens: number[]; promptTokens: number; bytes: Uint8Array }
    | Promise<{ tokens: number[]; promptTokens: number; bytes: Uint8Array }>;
}

/** What became of a conversation: a pair, or why it is not one. */
export type EntryStatus =
  | 'pair'
  /** as many rankers put response 0 first as response 1 */
  | 'tie'
  /** nobody ranked it */
  | 'unranked'
  /** not both responses on chain (still generating, not posted, or the backend rejected the prompt) */
  | 'unanswered'
  /** both responses are the same ids: the pair would prefer nothing */
  | 'identical'
  /** its responses come from another model than the one loaded */
  | 'other-model';

export interface DatasetEntry {
  conversationId: bigint;
  status: EntryStatus;
  /** Rankers putting response 0 first, response 1 first. */
  votes: [number, number];
  /** The majority's choice, when there is one. */
  chosenIndex: 0 | 1 | null;
}

export interface DatasetCounts {
  /** Conversations prompted up to the snapshot's block. */
  conversations: number;
  unanswered: number;
  unranked: number;
  /** Conversations with at least one ranking, and all their rankings (one vote each). */
  ranked: number;
  votes: number;
  ties: number;
  identical: number;
  otherModel: number;
  pairs: number;
}

export interface PreferenceDataset {
  /** In increasing conversation id: the canonical order of @tt/protocol's encodeDataset. */
  pairs: DatasetPair[];
  /** keccak256 of the canonical encoding (docs/interfaces.md, "Dataset"). */
  commitment: Hex;
  entries: DatasetEntry[];
  counts: DatasetCounts;
}

export interface BuildDatasetOptions {
  conversations: readonly RankedConversation[];
  engine: ReplayEngine;
  /** sha256(checkpoint ‖ tokenizer) of the model the engine runs; responses of any other model are left out. */
  modelHash: Hex;
  /** After each re-run conversation (two generations). */
  onProgress?: (p: { done: number; of: number; conversationId: bigint }) => void;
}

/**
 * Builds the dataset. Throws TtError response-mismatch when a re-run does not give the bytes on chain (the engine or
 * model files are not the ones that wrote the response, or the record is wrong): a pair is never guessed.
 */
export async function buildPreferenceDataset(opts: BuildDatasetOptions): Promise<PreferenceDataset> {
  const model = opts.modelHash.toLowerCase();
  const sorted = [...opts.conversations].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  const entries: DatasetEntry[] = [];
  const toReplay: { conversation: RankedConversation; entry: DatasetEntry }[] = [];
  for (const c of sorted) {
    const { votes, chosenIndex } = tallyVotes(c.rankings.map((r) => r.order[0]));
    const entry: DatasetEntry = { conversationId: c.id, status: 'pair', votes, chosenIndex };
    const [r0, r1] = c.responses;
    if (!r0 || !r1) entry.status = 'unanswered';
    else if (c.rankings.length === 0) entry.status = 'unranked';
    else if (chosenIndex === null) entry.status = 'tie';
    else if (r0.modelHash.toLowerCase() !== model || r1.modelHash.toLowerCase() !== model)
      entry.status = 'other-model';
    else toReplay.push({ conversation: c, entry });
    entries.push(entry);
  }

  const pairs: DatasetPair[] = [];
  let done = 0;
  for (const { conversation: c, entry } of toReplay) {
    const generations = [await replay(opts.engine, c, 0), await replay(opts.engine, c, 1)] as const;
    const pair = pairFromGenerations({
      conversationId: c.id,
      modelHash: c.responses[0]!.modelHash,
      chosenIndex: entry.chosenIndex!,
      steps: c.params.steps,
      generations,
    });
    if (pair) pairs.push(pair);
    else entry.status = 'identical';
    opts.onProgress?.({ done: ++done, of: toReplay.length, conversationId: c.id });
  }

  const count = (s: EntryStatus) => entries.filter((e) => e.status === s).length;
  const ranked = entries.filter((e) => e.votes[0] + e.votes[1] > 0);
  return {
    pairs,
    commitment: datasetCommitment(pairs),
    entries,
    counts: {
      conversations: entries.length,
      unanswered: count('unanswered'),
      unranked: count('unranked'),
      ranked: ranked.length,
      votes: ranked.reduce((s, e) => s + e.votes[0] + e.votes[1], 0),
      ties: count('tie'),
      identical: count('identical'),
      otherModel: count('other-model'),
      pairs: pairs.length,
    },
  };
}

/** Re-runs one response; returns its generation (all ids, prompt ids counted) after checking its bytes against the chain. */
async function replay(
  engine: ReplayEngine,
  c: RankedConversation,
  index: 0 | 1,
): Promise<{ tokens: number[]; promptTokens: number }> {
  const posted = c.responses[index]!;
  const out = await engine.generate({
    prompt: c.prompt,
    steps: c.params.steps,
    ...samplingFloats(c.params),
    seed: posted.seed,
  });
  const same = out.bytes.length === posted.bytes.length && out.bytes.every((b, i) => b === posted.bytes[i]);
  if (!same)
    throw new TtError(
      'response-mismatch',
      `conversation ${c.id}, response ${index}: re-running it gives other bytes than the chain holds ` +
        `(${out.bytes.length} bytes ${shortHex(out.bytes)}, on chain ${posted.bytes.length} bytes ${shortHex(posted.bytes)}), so its token ids are unknown`,
      `check it with \`pnpm tt verify ${c.id}\`: the model files or the engine differ from the ones that wrote it`,
    );
  return out;
}

function shortHex(bytes: Uint8Array): string {
  const hex = toHex(bytes.subarray(0, 12));
  return bytes.length > 12 ? `${hex}…` : hex;
}

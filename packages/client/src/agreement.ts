// How the rankers of a pair agree. Per conversation: how many prefer response A and how many B. Per ranker: how often
// their choice matches the majority of the *other* rankers of the same pair (leave-one-out, the usual annotator-vs-rest
// agreement: your own vote never counts toward the majority you are compared with). A pair with no other ranker, or
// whose other rankers are split evenly, says nothing about you and is not counted.
import type { Conversation, Hex, Ranking } from './model.ts';

/** The two responses of a pair as people see them: A is response index 0 on the wire, B is index 1. */
export const RESPONSE_LETTERS = ['A', 'B'] as const;
export type ResponseLetter = (typeof RESPONSE_LETTERS)[number];

export function responseLetter(index: 0 | 1): ResponseLetter {
  return RESPONSE_LETTERS[index];
}

export interface PairAgreement {
  preferA: number;
  preferB: number;
  /** The response most rankers prefer, or null with no ranking or a tie. */
  majority: ResponseLetter | null;
}

export function pairAgreement(rankings: readonly Pick<Ranking, 'order'>[]): PairAgreement {
  const preferA = rankings.filter((r) => r.order[0] === 0).length;
  const preferB = rankings.length - preferA;
  return { preferA, preferB, majority: preferA > preferB ? 'A' : preferB > preferA ? 'B' : null };
}

/** "3 prefer A · 1 prefers B", or "nobody has ranked this pair yet". */
export function describePairAgreement(a: PairAgreement): string {
  if (a.preferA + a.preferB === 0) return 'nobody has ranked this pair yet';
  const part = (n: number, letter: ResponseLetter) => `${n} ${n === 1 ? 'prefers' : 'prefer'} ${letter}`;
  return `${part(a.preferA, 'A')} · ${part(a.preferB, 'B')}`;
}

/**
 * Whether `ranker`'s choice on this pair matches the majority of the pair's other rankers: null when they did not
 * rank it, nobody else did, or the others are split evenly.
 */
export function agreesWithOthers(c: Pick<Conversation, 'rankings'>, ranker: string): boolean | null {
  const me = c.rankings.find((r) => r.ranker.toLowerCase() === ranker.toLowerCase());
  if (!me) return null;
  const others = pairAgreement(c.rankings.filter((r) => r !== me));
  if (others.majority === null) return null;
  return others.majority === (me.order[0] === 0 ? 'A' : 'B');
}

export interface RankerAgreement {
  ranker: Hex;
  /** Pairs this account ranked. */
  ranked: number;
  /** Of those, pairs where the other rankers had a majority to compare with. */
  compared: number;
  /** Of those, pairs where this account chose as that majority did. */
  agreed: number;
  /** agreed / compared, or null when nothing could be compared. */
  rate: number | null;
}

/** Every ranker's agreement with the others' majority over the given conversations, keyed by lowercase address. */
export function rankerAgreement(
  conversations: readonly Pick<Conversation, 'rankings'>[],
): Map<string, RankerAgreement> {
  const out = new Map<string, RankerAgreement>();
  for (const c of conversations) {
    for (const r of c.rankings) {
      const key = r.ranker.toLowerCase();
      let a = out.get(key);
      if (!a) out.set(key, (a = { ranker: r.ranker, ranked: 0, compared: 0, agreed: 0, rate: null }));
      a.ranked++;
      const agrees = agreesWithOthers(c, r.ranker);
      if (agrees === null) continue;
      a.compared++;
      if (agrees) a.agreed++;
    }
  }
  for (const a of out.values()) a.rate = a.compared ? a.agreed / a.compared : null;
  return out;
}

// Fuzzes sequences of response postings and rankings against a model of the rules and checks the invariants after
// every step: a response never changes once posted; stored hashes match the texts the events carried; a ranking is
// accepted only after both responses, only as a permutation, and only when it changes something.
// The seed is fixed and printed, so a failure reproduces (TT_FUZZ_SEED=<seed> pnpm test); `pnpm test:fuzz` draws a new
// one. Every generated sequence contains a scripted episode that reaches each case the rules distinguish, so the
// coverage counters below are above zero for any seed, not by chance.
import { expect } from 'chai';
import fc from 'fast-check';
import { loadFixture } from '@nomicfoundation/hardhat-network-helpers';
import { getBytes, isCallException, keccak256, ZeroHash, type ContractTransactionResponse } from 'ethers';
import { deployBound, postResponse, type Fixture } from './fixture.ts';

/** TT_FUZZ_SEED: a number reproduces a run, "random" draws a new seed; the default is fixed. Printed either way. */
function fuzzSeed(fixed: number): number {
  const env = process.env.TT_FUZZ_SEED;
  const seed = env === 'random' ? Math.floor(Math.random() * 2 ** 31) : env ? Number(env) : fixed;
  if (!Number.isSafeInteger(seed)) throw new Error(`TT_FUZZ_SEED must be an integer or "random", not ${env}`);
  console.log(`      fast-check seed ${seed} (reproduce: TT_FUZZ_SEED=${seed})`);
  return seed;
}

const CONVERSATIONS = 2;
const RANKERS = 2;

type Action =
  | { kind: 'post'; conversation: number; index: number; text: Uint8Array }
  | { kind: 'rank'; conversation: number; ranker: number; order: number[] };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  fc.record({
    kind: fc.constant('post' as const),
    conversation: fc.integer({ min: 0, max: CONVERSATIONS }), // CONVERSATIONS itself does not exist
    index: fc.integer({ min: 0, max: 2 }), // 2 is out of range
    text: fc.uint8Array({ maxLength: 300 }), // arbitrary bytes: mostly not UTF-8
  }),
  fc.record({
    kind: fc.constant('rank' as const),
    conversation: fc.integer({ min: 0, max: CONVERSATIONS }),
    ranker: fc.integer({ min: 0, max: RANKERS - 1 }),
    // Mostly valid permutations, so that accepted rankings and updates are common too.
    order: fc.oneof(
      { arbitrary: fc.constantFrom<number[]>([0, 1], [1, 0]), weight: 3 },
      { arbitrary: fc.array(fc.integer({ min: 0, max: 2 }), { maxLength: 3 }), weight: 1 },
    ),
  }),
);

type Rank = Extract<Action, { kind: 'rank' }>;

/**
 * The scripted episode, for one conversation and one ranker: both responses posted, a post that must be refused, a
 * ranking that must be refused, then a ranking and its swap back to back, so the swap is always an accepted update
 * (whatever came before, after the first of the two the ranker's order is the first one's).
 */
const episodeArb: fc.Arbitrary<Action[]> = fc
  .record({
    conversation: fc.integer({ min: 0, max: CONVERSATIONS - 1 }),
    ranker: fc.integer({ min: 0, max: RANKERS - 1 }),
    order: fc.constantFrom<number[]>([0, 1], [1, 0]),
    texts: fc.tuple(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ maxLength: 64 })),
  })
  .map(({ conversation, ranker, order, texts }): Action[] => [
    { kind: 'post', conversation, index: 0, text: texts[0] },
    { kind: 'post', conversation, index: 1, text: texts[1] },
    { kind: 'post', conversation, index: 2, text: texts[0] }, // index out of range: always refused
    { kind: 'rank', conversation, ranker, order: [0, 0] }, // not a permutation: always refused
    { kind: 'rank', conversation, ranker, order },
    { kind: 'rank', conversation, ranker, order: [order[1]!, order[0]!] },
  ]);

/** Random actions with the episode's steps spliced in, in order; the last two ranks stay adjacent. */
const sequenceArb: fc.Arbitrary<Action[]> = fc
  .tuple(
    fc.array(actionArb, { minLength: 6, maxLength: 24 }),
    episodeArb,
    fc.array(fc.nat(), { minLength: 5, maxLength: 5 }),
  )
  .map(([random, episode, cuts]) => {
    const positions = cuts.map((c) => c % (random.length + 1)).sort((a, b) => a - b);
    const out: Action[] = [];
    let taken = 0;
    episode.forEach((step, i) => {
      // the final swap follows its ranking directly: nothing may change the ranker's order in between
      const until = i < positions.length ? positions[i]! : taken;
      out.push(...random.slice(taken, until), step);
      taken = until;
    });
    return [...out, ...random.slice(taken)];
  });

/** What the rules say, kept in TypeScript beside the chain. */
class Model {
  readonly posted = new Map<string, string>(); // "c/i" -> keccak256(text)
  readonly rankings = new Map<string, number[]>(); // "c/ranker" -> order

  bothPosted(c: number): boolean {
    return this.posted.has(`${c}/0`) && this.posted.has(`${c}/1`);
  }

  postAccepted(a: Extract<Action, { kind: 'post' }>): boolean {
    return a.conversation < CONVERSATIONS && a.index < 2 && !this.posted.has(`${a.conversation}/${a.index}`);
  }

  rankAccepted(a: Rank): boolean {
    if (a.conversation >= CONVERSATIONS || !this.bothPosted(a.conversation)) return false;
    const isPermutation = a.order.length === 2 && a.order.includes(0) && a.order.includes(1);
    const previous = this.rankings.get(`${a.conversation}/${a.ranker}`);
    return isPermutation && (previous === undefined || previous[0] !== a.order[0]);
  }
}

async function outcome(f: Fixture, tx: Promise<ContractTransactionResponse>) {
  try {
    return { ok: true as const, receipt: (await (await tx).wait())! };
  } catch (error) {
    // A revert with one of the contract's errors is an expected outcome; anything else is a bug in the test.
    const data = (error as { data?: unknown }).data;
    if (!isCallException(error) || typeof data !== 'string' || !f.tt.interface.parseError(data)) throw error;
    return { ok: false as const };
  }
}

async function withPrompts(): Promise<Fixture> {
  const f = await loadFixture(deployBound);
  for (let i = 0; i < CONVERSATIONS; i++) await f.tt['sendPrompt(string,uint32)'](`prompt ${i}`, 32);
  return f;
}

describe('TrustAndTeach properties', () => {
  it('postings and rankings follow the rules and never rewrite a response', async () => {
    // Counted so the test fails if the generator stops reaching the interesting cases.
    const seen = { postsAccepted: 0, postsRefused: 0, ranksAccepted: 0, rankUpdates: 0, ranksRefused: 0 };
    await fc.assert(
      fc.asyncProperty(sequenceArb, async (actions) => {
        const f = await loadFixture(withPrompts);
        const model = new Model();
        for (const a of actions) {
          if (a.kind === 'post') {
            const expected = model.postAccepted(a);
            const result = await outcome(f, postResponse(f, BigInt(a.conversation), a.index, a.text));
            expect(result.ok, `post ${JSON.stringify({ ...a, text: a.text.length })}`).to.equal(expected);
            if (result.ok) {
              const [event] = result.receipt.logs
                .map((log) => f.tt.interface.parseLog(log))
                .filter((log) => log?.name === 'ResponsePosted');
              // The event carries the exact bytes; the stored hash is theirs.
              expect(getBytes(event!.args.text)).to.deep.equal(a.text);
              expect(event!.args.textHash).to.equal(keccak256(a.text));
              model.posted.set(`${a.conversation}/${a.index}`, keccak256(a.text));
              seen.postsAccepted++;
            } else seen.postsRefused++;
          } else {
            const expected = model.rankAccepted(a);
            const ranker = f.rankers[a.ranker]!;
            const result = await outcome(f, f.tt.connect(ranker).submitRanking(a.conversation, a.order));
            expect(result.ok, `rank ${JSON.stringify(a)}`).to.equal(expected);
            if (result.ok) {
              expect(model.bothPosted(a.conversation)).to.equal(true);
              if (model.rankings.has(`${a.conversation}/${a.ranker}`)) seen.rankUpdates++;
              model.rankings.set(`${a.conversation}/${a.ranker}`, a.order);
              seen.ranksAccepted++;
            } else seen.ranksRefused++;
          }

          // Invariants, checked against the chain after every step.
          for (let c = 0; c < CONVERSATIONS; c++) {
            const view = await f.tt.getConversation(c);
            for (const i of [0, 1]) {
              expect(view.responseHashes[i]).to.equal(model.posted.get(`${c}/${i}`) ?? ZeroHash);
            }
            const rankers = [...model.rankings.keys()].filter((key) => key.startsWith(`${c}/`)).length;
            expect(view.rankingCount).to.equal(BigInt(rankers));
            if (rankers > 0) expect(view.responsesPosted).to.equal(2n);
            for (let r = 0; r < RANKERS; r++) {
              const order = model.rankings.get(`${c}/${r}`) ?? [];
              expect((await f.tt.rankingOf(c, f.rankers[r]!.address)).map(Number)).to.deep.equal(order);
            }
          }
        }
      }),
      { numRuns: 30, seed: fuzzSeed(20260101) },
    );
    for (const [what, count] of Object.entries(seen)) expect(count, what).to.be.greaterThan(0);
  });
});

// The dataset from ranked conversations, with the real engine on stories260K: responses written by the engine as the
// backend writes them (seeds from the conversation id), then rankings of every kind. Checks the majority rule, what is
// left out and counted, that token ids are the generation's own, and that a response the engine does not reproduce
// is refused rather than guessed.
import { describe, expect, it } from 'vitest';
import { loadEngineFromFiles, type Engine } from '@tt/llm/node';
import { sharedModels } from '@tt/llm/testing';
import { datasetCommitment, deriveSeed, samplingFloats, type Hex } from '@tt/protocol';
import { TtError } from '../errors.ts';
import { buildPreferenceDataset } from './dataset.ts';
import type { RankedConversation } from './snapshot.ts';

const models = sharedModels();
const MODEL = `0x${'11'.repeat(32)}` as Hex;
const OTHER = `0x${'22'.repeat(32)}` as Hex;
const A = '0x00000000000000000000000000000000000000a1' as Hex;
const B = '0x00000000000000000000000000000000000000b2' as Hex;
const C = '0x00000000000000000000000000000000000000c3' as Hex;
const CONFIRM = [0, 1] as const;
const SWITCH = [1, 0] as const;

async function engine() {
  return loadEngineFromFiles({
    checkpointPath: models.checkpoint,
    tokenizerPath: models.tokenizer,
    backend: 'scalar',
  });
}

/** A conversation whose responses the engine wrote, as the backend does. */
function conversation(
  e: Engine,
  id: bigint,
  prompt: string,
  rankings: (readonly [0, 1] | readonly [1, 0])[],
  opts: { temperatureMilli?: number; steps?: number; modelHash?: Hex } = {},
): RankedConversation {
  const params = { steps: opts.steps ?? 40, temperatureMilli: opts.temperatureMilli ?? 900, topPMilli: 900 };
  const posted = ([0, 1] as const).map((i) => {
    const seed = deriveSeed(id, i);
    const out = e.generate({
      prompt: new TextEncoder().encode(prompt),
      steps: params.steps,
      ...samplingFloats(params),
      seed,
    });
    return { responseIndex: i, bytes: out.bytes, seed, modelHash: opts.modelHash ?? MODEL };
  });
  return {
    id,
    prompt: new TextEncoder().encode(prompt),
    params,
    responses: [posted[0], posted[1]],
    rankings: rankings.map((order, k) => ({ ranker: [A, B, C][k]!, order })),
  };
}

describe.skipIf(!models.available)(
  `buildPreferenceDataset on stories260K${models.available ? '' : ` (SKIPPED: ${models.missingReason})`}`,
  () => {
    it('takes the majority order, leaves out ties and the rest, and counts them', async () => {
      const e = await engine();
      try {
        const convs = [
          conversation(e, 0n, 'Once upon a time', [CONFIRM, SWITCH]), // tie
          conversation(e, 1n, 'Once upon a time', [SWITCH, SWITCH, CONFIRM]), // 2:1 for response 1
          conversation(e, 2n, 'The cat', [CONFIRM]), // one vote
          conversation(e, 3n, 'A dog', []), // nobody ranked it
          { ...conversation(e, 4n, 'A dog', [CONFIRM]), responses: [undefined, undefined] as const }, // unanswered
          conversation(e, 5n, 'Lily', [CONFIRM], { modelHash: OTHER }), // another model's responses
          conversation(e, 6n, 'Tom', [SWITCH], { temperatureMilli: 0 }), // greedy: both responses the same ids
        ];
        // The input order does not matter: the dataset is in conversation id order.
        const ds = await buildPreferenceDataset({
          conversations: [...convs].reverse(),
          engine: e,
          modelHash: MODEL,
        });
        expect(ds.entries.map((x) => [x.conversationId, x.status, x.votes])).toEqual([
          [0n, 'tie', [1, 1]],
          [1n, 'pair', [1, 2]],
          [2n, 'pair', [1, 0]],
          [3n, 'unranked', [0, 0]],
          [4n, 'unanswered', [1, 0]],
          [5n, 'other-model', [1, 0]],
          [6n, 'identical', [0, 1]],
        ]);
        expect(ds.counts).toEqual({
          conversations: 7,
          unanswered: 1,
          unranked: 1,
          ranked: 6,
          votes: 9,
          ties: 1,
          identical: 1,
          otherModel: 1,
          pairs: 2,
        });
        expect(ds.pairs.map((p) => [p.conversationId, p.chosenIndex])).toEqual([
          [1n, 1],
          [2n, 0],
        ]);
        expect(ds.commitment).toBe(datasetCommitment(ds.pairs));

        // The ids are the generation's own: prompt = BOS + the prompt's ids, responses = what followed, and a
        // response that ended early (the model sampled BOS) ends with BOS.
        for (const pair of ds.pairs) {
          const c = convs.find((x) => x.id === pair.conversationId)!;
          const gen = (i: 0 | 1) =>
            e.generate({
              prompt: c.prompt,
              steps: c.params.steps,
              ...samplingFloats(c.params),
              seed: deriveSeed(c.id, i),
            });
          const chosen = gen(pair.chosenIndex);
          const rejected = gen((1 - pair.chosenIndex) as 0 | 1);
          expect(pair.promptTokens).toEqual(chosen.tokens.slice(0, chosen.promptTokens));
          expect(pair.promptTokens[0]).toBe(1);
          for (const [ids, g] of [
            [pair.chosenTokens, chosen],
            [pair.rejectedTokens, rejected],
          ] as const) {
            const generated = g.tokens.slice(g.promptTokens);
            expect(ids).toEqual(g.tokens.length < c.params.steps + 1 ? [...generated, 1] : generated);
            // stories260K has 512 ids: every id fits its vocabulary, whatever the tokenizer file holds
            expect(ids.every((t) => t >= 0 && t < 512)).toBe(true);
          }
        }
      } finally {
        e.dispose();
      }
    }, 60_000);

    it('refuses a response the engine does not reproduce, naming the conversation', async () => {
      const e = await engine();
      try {
        const good = conversation(e, 7n, 'Once upon a time', [CONFIRM]);
        const bytes = new Uint8Array([...good.responses[1]!.bytes, 0x41]); // one byte more than the model wrote
        const tampered = {
          ...good,
          responses: [good.responses[0], { ...good.responses[1]!, bytes }] as const,
        };
        const err = await buildPreferenceDataset({
          conversations: [tampered],
          engine: e,
          modelHash: MODEL,
        }).catch((x: unknown) => x);
        expect(err).toBeInstanceOf(TtError);
        expect((err as TtError).code).toBe('response-mismatch');
        expect((err as TtError).message).toMatch(
          /conversation 7, response 1: re-running it gives other bytes/,
        );
        expect((err as TtError).hint).toContain('pnpm tt verify 7');
        // A tie is never re-run, so a bad record there does not stop the others.
        const tie = { ...tampered, id: 8n, rankings: [...tampered.rankings, { ranker: B, order: SWITCH }] };
        const ds = await buildPreferenceDataset({ conversations: [tie, good], engine: e, modelHash: MODEL });
        expect(ds.counts.pairs).toBe(1);
        expect(ds.counts.ties).toBe(1);
      } finally {
        e.dispose();
      }
    }, 60_000);

    it('has nothing to offer when nothing is ranked', async () => {
      const e = await engine();
      try {
        const ds = await buildPreferenceDataset({
          conversations: [conversation(e, 0n, 'Hi', [])],
          engine: e,
          modelHash: MODEL,
        });
        expect(ds.pairs).toEqual([]);
        expect(ds.counts.unranked).toBe(1);
      } finally {
        e.dispose();
      }
    }, 60_000);
  },
);

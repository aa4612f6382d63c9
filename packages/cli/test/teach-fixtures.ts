// A training run small enough for unit tests of `tt teach`'s run (no chain): a seeded random checkpoint and a dataset
// of seeded random token ids, shaped as the chain gives it.
import { readFileSync } from 'node:fs';
import type { PreferenceDataset } from '@tt/client';
import { makeSyntheticTokenizer, randomCheckpointPath, TINY_SHAPE, type Shape } from '@tt/llm/testing';
import { datasetCommitment, type DatasetPair, type Hex } from '@tt/protocol';

/** @tt/llm's tiny test shape (grouped-query attention, separate classifier) with a small vocabulary: small files. */
export const SHAPE: Shape = { ...TINY_SHAPE, vocabSize: 300 };
export const SEED = 7;
/** 6 pairs in steps of 2, over 2 epochs: 6 optimizer steps. */
export const HYPER_PARAMETERS = { epochs: 2, batchSize: 2 };

export const SNAPSHOT = {
  block: 41,
  blockHash: `0x${'b1'.repeat(32)}` as Hex,
  chainId: 31337,
  contract: `0x${'c2'.repeat(20)}` as Hex,
};

export function fixture(pairCount = 6) {
  const checkpointPath = randomCheckpointPath(SHAPE, SEED);
  const checkpoint = new Uint8Array(readFileSync(checkpointPath));
  const tokenizer = makeSyntheticTokenizer(SHAPE.vocabSize);
  let s = 12345;
  const id = () => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return 3 + ((s >>> 8) % (SHAPE.vocabSize - 3));
  };
  const ids = (n: number) => Array.from({ length: n }, id);
  const pairs: DatasetPair[] = Array.from({ length: pairCount }, (_, i) => ({
    conversationId: BigInt(i),
    modelHash: `0x${'ab'.repeat(32)}`,
    chosenIndex: (i % 2) as 0 | 1,
    promptTokens: [1, ...ids(4)],
    chosenTokens: ids(6 + (i % 3)),
    rejectedTokens: ids(5 + (i % 4)),
  }));
  const dataset: PreferenceDataset = {
    pairs,
    commitment: datasetCommitment(pairs),
    entries: pairs.map((p) => ({
      conversationId: p.conversationId,
      status: 'pair',
      votes: p.chosenIndex === 0 ? [1, 0] : [0, 1],
      chosenIndex: p.chosenIndex,
    })),
    counts: {
      conversations: pairCount,
      unanswered: 0,
      unranked: 0,
      ranked: pairCount,
      votes: pairCount,
      ties: 0,
      identical: 0,
      otherModel: 0,
      pairs: pairCount,
    },
  };
  return { checkpointPath, checkpoint, tokenizer, dataset };
}

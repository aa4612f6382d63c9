import { keccak256, solidityPacked } from 'ethers';
import { describe, expect, it } from 'vitest';
import {
  datasetCommitment,
  decodeDataset,
  encodeDataset,
  generationPairTokens,
  tallyVotes,
  type DatasetPair,
} from './dataset.ts';
import { ProtocolError } from './errors.ts';

const H1 = `0x${'ab'.repeat(32)}` as const;
const H2 = `0x${'0f'.repeat(31)}10` as const;

const PAIRS: DatasetPair[] = [
  {
    conversationId: 0n,
    modelHash: H1,
    chosenIndex: 1,
    promptTokens: [1, 300, 2],
    chosenTokens: [400, 401, 1],
    rejectedTokens: [7],
  },
  {
    conversationId: 2n ** 256n - 1n,
    modelHash: H2,
    chosenIndex: 0,
    promptTokens: [1],
    chosenTokens: [2 ** 32 - 1],
    rejectedTokens: [0, 31999],
  },
];

// abi.encodePacked of the fixed-width fields, written out with ethers: an independent statement of the layout in
// docs/interfaces.md (Solidity could compute the same bytes from the same values).
function referenceEncoding(pairs: DatasetPair[]): string {
  const types: string[] = ['string', 'uint32'];
  const values: unknown[] = ['trust-and-teach:dataset:v1', pairs.length];
  for (const p of pairs) {
    types.push('uint256', 'bytes32', 'uint8', 'uint32', 'uint32', 'uint32');
    values.push(
      p.conversationId,
      p.modelHash,
      p.chosenIndex,
      p.promptTokens.length,
      p.chosenTokens.length,
      p.rejectedTokens.length,
    );
    for (const t of [...p.promptTokens, ...p.chosenTokens, ...p.rejectedTokens]) {
      types.push('uint32');
      values.push(t);
    }
  }
  return solidityPacked(types, values);
}

const hex = (b: Uint8Array) => '0x' + Buffer.from(b).toString('hex');

describe('the dataset encoding', () => {
  it('is the documented packed layout, and its commitment is keccak256 of it', () => {
    expect(hex(encodeDataset(PAIRS))).toBe(referenceEncoding(PAIRS));
    expect(datasetCommitment(PAIRS)).toBe(keccak256(referenceEncoding(PAIRS)));
    expect(hex(encodeDataset([]))).toBe(referenceEncoding([]));
  });

  it('decodes back to the same pairs', () => {
    expect(decodeDataset(encodeDataset(PAIRS))).toEqual(PAIRS);
  });

  it('changes with every field', () => {
    const base = datasetCommitment(PAIRS);
    const variants: DatasetPair[][] = [
      [{ ...PAIRS[0]!, chosenIndex: 0 }, PAIRS[1]!],
      [{ ...PAIRS[0]!, conversationId: 1n }, PAIRS[1]!],
      [{ ...PAIRS[0]!, modelHash: H2 }, PAIRS[1]!],
      [{ ...PAIRS[0]!, promptTokens: [1, 300] }, PAIRS[1]!],
      // the same ids moved from one list to the next: the lengths keep the encoding injective
      [{ ...PAIRS[0]!, promptTokens: [1, 300, 2, 400], chosenTokens: [401, 1] }, PAIRS[1]!],
      [PAIRS[0]!],
    ];
    const seen = new Set([base, ...variants.map(datasetCommitment)]);
    expect(seen.size).toBe(variants.length + 1);
  });

  it('has one order: increasing conversation ids, each once', () => {
    expect(() => encodeDataset([PAIRS[1]!, PAIRS[0]!])).toThrow(/increasing conversation id/);
    expect(() => encodeDataset([PAIRS[0]!, PAIRS[0]!])).toThrow(/increasing conversation id/);
  });

  it('refuses what has no encoding, with code bad-dataset', () => {
    const cases: [Partial<DatasetPair>, RegExp][] = [
      [{ chosenTokens: [] }, /chosenTokens must be a non-empty array/],
      [{ rejectedTokens: [1.5] }, /not a uint32 token id/],
      [{ promptTokens: [-1] }, /not a uint32 token id/],
      [{ promptTokens: [2 ** 32] }, /not a uint32 token id/],
      [{ chosenIndex: 2 as 0 }, /chosenIndex must be 0 or 1/],
      [{ modelHash: '0x1234' }, /modelHash must be 32 bytes/],
      [{ conversationId: -1n }, /uint256/],
    ];
    for (const [change, message] of cases) {
      let err: unknown;
      try {
        encodeDataset([{ ...PAIRS[0]!, ...change }]);
      } catch (e) {
        err = e;
      }
      expect(err, message.source).toBeInstanceOf(ProtocolError);
      expect((err as ProtocolError).code).toBe('bad-dataset');
      expect((err as Error).message).toMatch(message);
    }
  });

  it('decodes only the canonical encoding', () => {
    const good = encodeDataset(PAIRS);
    expect(() => decodeDataset(good.subarray(0, good.length - 1))).toThrow(/cut short/);
    expect(() => decodeDataset(new Uint8Array([...good, 0]))).toThrow(/1 bytes after the last pair/);
    const wrongDomain = good.slice();
    wrongDomain[0] = 0x54;
    expect(() => decodeDataset(wrongDomain)).toThrow(/does not start with/);
    // swapped pairs: a valid shape, but not the canonical order
    const a = encodeDataset([
      { ...PAIRS[0]!, conversationId: 5n },
      { ...PAIRS[0]!, conversationId: 6n },
    ]);
    const b = a.slice();
    const pairBytes = (a.length - 30) / 2;
    b.set(a.subarray(30 + pairBytes), 30);
    b.set(a.subarray(30, 30 + pairBytes), 30 + pairBytes);
    expect(() => decodeDataset(b)).toThrow(/increasing conversation id/);
  });
});

describe('tallyVotes', () => {
  it('is the majority of the rankers, and a tie prefers nothing', () => {
    expect(tallyVotes([0])).toEqual({ votes: [1, 0], chosenIndex: 0 });
    expect(tallyVotes([1, 1, 0])).toEqual({ votes: [1, 2], chosenIndex: 1 });
    expect(tallyVotes([0, 1])).toEqual({ votes: [1, 1], chosenIndex: null });
    expect(tallyVotes([])).toEqual({ votes: [0, 0], chosenIndex: null });
    expect(tallyVotes([1, 0, 0, 1])).toEqual({ votes: [2, 2], chosenIndex: null });
  });

  it('refuses a ranking that puts anything but 0 or 1 first', () => {
    expect(() => tallyVotes([0, 2])).toThrow(/0 or 1/);
  });
});

describe('generationPairTokens', () => {
  it('splits prompt and response ids, and keeps the BOS that ended a story', () => {
    // 6 steps: BOS + 2 prompt ids, then generated ids; a full run has steps + 1 = 7 ids
    const full = { tokens: [1, 5, 6, 7, 8, 9, 10], promptTokens: 3 };
    expect(generationPairTokens(full, 6)).toEqual({ promptTokens: [1, 5, 6], responseTokens: [7, 8, 9, 10] });
    // stopped early: the model sampled BOS after 7, 8 (not in tokens), so the response ends with BOS
    const early = { tokens: [1, 5, 6, 7, 8], promptTokens: 3 };
    expect(generationPairTokens(early, 6)).toEqual({ promptTokens: [1, 5, 6], responseTokens: [7, 8, 1] });
    // BOS right after the prompt: the response is the end alone
    expect(generationPairTokens({ tokens: [1, 5, 6], promptTokens: 3 }, 6).responseTokens).toEqual([1]);
  });

  it('refuses a generation that cannot be', () => {
    expect(() => generationPairTokens({ tokens: [1, 2, 3], promptTokens: 0 }, 4)).toThrow(/prompt ids/);
    expect(() => generationPairTokens({ tokens: [1, 2, 3, 4, 5], promptTokens: 2 }, 3)).toThrow(/at most 4/);
  });
});

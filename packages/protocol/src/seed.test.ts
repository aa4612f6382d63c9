import { concat, keccak256, toBeHex, toUtf8Bytes } from 'ethers';
import { describe, expect, it } from 'vitest';
import { deriveSeed } from './seed.ts';

// abi.encodePacked(string, uint256, uint8) written out by hand: the string's bytes, 32 big-endian bytes, one byte.
// Checks that deriveSeed packs the way the docs say; contracts/test checks TrustAndTeach.seedFor against deriveSeed.
function referenceSeed(id: bigint, index: number): bigint {
  const packed = concat([toUtf8Bytes('trust-and-teach:seed:v1'), toBeHex(id, 32), toBeHex(index, 1)]);
  return BigInt(keccak256(packed).slice(0, 18));
}

describe('deriveSeed', () => {
  it('follows the documented formula', () => {
    for (const id of [0n, 1n, 42n, 2n ** 255n + 7n, 2n ** 256n - 1n]) {
      expect(deriveSeed(id, 0)).toBe(referenceSeed(id, 0));
      expect(deriveSeed(id, 1)).toBe(referenceSeed(id, 1));
    }
  });

  it('is a uint64, and differs between the two responses and between conversations', () => {
    const seeds = [deriveSeed(1n, 0), deriveSeed(1n, 1), deriveSeed(2n, 0), deriveSeed(2n, 1)];
    for (const s of seeds) expect(s >= 0n && s < 2n ** 64n).toBe(true);
    expect(new Set(seeds).size).toBe(4);
  });

  it('refuses a response index other than 0 or 1', () => {
    expect(() => deriveSeed(1n, 2)).toThrow(/0 or 1/);
  });
});

import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { modelHash, sha256, sha256WithoutWebCrypto, toHex } from './sha256.ts';

const ref = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

describe('sha256', () => {
  it('WebCrypto and the fallback agree with node:crypto at every padding boundary and across parts', async () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 4097]) {
      const data = new Uint8Array(n).map((_, i) => (i * 31 + n) & 255);
      const split = Math.floor(n / 3);
      const parts = [data.subarray(0, split), data.subarray(split, 2 * split), data.subarray(2 * split)];
      expect(toHex(sha256WithoutWebCrypto(data)), `length ${n}`).toBe(ref(data));
      expect(toHex(sha256WithoutWebCrypto(...parts)), `length ${n} in three parts`).toBe(ref(data));
      expect(toHex(await sha256(...parts)), `length ${n}, WebCrypto`).toBe(ref(data));
    }
  });

  it('modelHash is sha256 of checkpoint then tokenizer, 0x-prefixed', async () => {
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array([4, 5]);
    expect(await modelHash(a, b)).toBe(`0x${ref(a, b)}`);
  });
});

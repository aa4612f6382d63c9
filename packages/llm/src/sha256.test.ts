import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Sha256, modelHash, sha256, toHex } from './sha256.ts';

const ref = (...parts: Uint8Array[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};

describe('sha256', () => {
  it('the pure implementation matches node:crypto at every padding boundary and across chunk splits', () => {
    for (const n of [0, 1, 55, 56, 63, 64, 65, 119, 120, 1000, 4097]) {
      const data = new Uint8Array(n).map((_, i) => (i * 31 + n) & 255);
      expect(toHex(new Sha256().update(data).digest()), `length ${n}`).toBe(ref(data));
      const split = Math.floor(n / 3);
      const h = new Sha256()
        .update(data.subarray(0, split))
        .update(data.subarray(split, 2 * split))
        .update(data.subarray(2 * split));
      expect(toHex(h.digest()), `length ${n} in three chunks`).toBe(ref(data));
    }
  });

  it('the known vector of "abc"', () => {
    expect(toHex(new Sha256().update(new TextEncoder().encode('abc')).digest())).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('modelHash is sha256 of checkpoint then tokenizer, 0x-prefixed', async () => {
    const a = new Uint8Array([1, 2, 3]);
    const b = new Uint8Array([4, 5]);
    expect(await modelHash(a, b)).toBe(`0x${ref(a, b)}`);
    expect(toHex(await sha256(a, b))).toBe(ref(new Uint8Array([1, 2, 3, 4, 5])));
  });
});

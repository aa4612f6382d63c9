import { describe, expect, it } from 'vitest';
import { bytesEqual, decodeUtf8, encodeUtf8, fromHex, toHex } from './bytes.ts';

describe('hex', () => {
  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const hex = toHex(all);
    expect(hex.startsWith('0x00010203')).toBe(true);
    expect(bytesEqual(fromHex(hex), all)).toBe(true);
  });
  it('accepts upper case and no prefix, rejects odd length and junk', () => {
    expect(Array.from(fromHex('ABcd'))).toEqual([0xab, 0xcd]);
    expect(() => fromHex('0xabc')).toThrow(/hex/);
    expect(() => fromHex('0xzz')).toThrow(/hex/);
  });
});

describe('decodeUtf8', () => {
  it('keeps valid non-ASCII text exactly', () => {
    const text = 'Il était une fois — 一个 🐉';
    expect(decodeUtf8(encodeUtf8(text))).toEqual({ text, utf8Valid: true });
  });
  it('flags a truncated multi-byte sequence and shows U+FFFD', () => {
    const bytes = Uint8Array.from([0x61, 0xe4, 0xb8]); // "a" + the first two bytes of a three-byte character
    expect(decodeUtf8(bytes)).toEqual({ text: 'a\uFFFD', utf8Valid: false });
  });
  it('keeps a leading byte-order mark as a character', () => {
    expect(decodeUtf8(Uint8Array.from([0xef, 0xbb, 0xbf, 0x41])).text).toBe('\uFEFFA');
  });
});

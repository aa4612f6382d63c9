import { describe, expect, it } from 'vitest';
import { bytesEqual, decodeUtf8, displayText, encodeUtf8, fromHex, toHex } from './bytes.ts';

describe('hex', () => {
  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const hex = toHex(all);
    expect(hex.startsWith('0x00010203')).toBe(true);
    expect(bytesEqual(fromHex(hex), all)).toBe(true);
    expect(toHex(new Uint8Array())).toBe('0x');
    expect(Array.from(fromHex('0xDEadBEef'))).toEqual([0xde, 0xad, 0xbe, 0xef]);
  });
  it('rejects what a lenient parser would silently truncate or guess', () => {
    for (const bad of ['', 'dead', '0x0', '0x0g', '0xabc', '0x 00', 'ABcd']) {
      expect(() => fromHex(bad)).toThrow(/hex/);
    }
  });
  it('encodes a subarray view, not its whole buffer', () => {
    expect(toHex(Uint8Array.of(1, 2, 3, 4).subarray(1, 3))).toBe('0x0203');
  });
});

describe('UTF-8', () => {
  it('keeps valid non-ASCII text exactly, a leading BOM included', () => {
    const text = '\uFEFFIl était une fois — 一个 🐉';
    expect(decodeUtf8(encodeUtf8(text))).toEqual({ text, utf8Valid: true });
    expect(displayText(encodeUtf8(text))).toBe(text);
  });
  it('flags a character cut by the step limit and shows U+FFFD', () => {
    const cut = Uint8Array.of(0x41, 0xf0, 0x9f, 0x98); // 'A' then 3 of the 4 bytes of 😀
    expect(decodeUtf8(cut)).toEqual({ text: 'A\uFFFD', utf8Valid: false });
    expect(displayText(Uint8Array.of(0xff))).toBe('\uFFFD');
  });
});

import { describe, expect, it } from 'vitest';
import { bytesToHex, hexToBytes } from './hex.ts';

describe('hex', () => {
  it('round-trips every byte value', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    expect(hexToBytes(bytesToHex(all))).toEqual(all);
    expect(bytesToHex(new Uint8Array())).toBe('0x');
    expect(hexToBytes('0xDEadBEef')).toEqual(Uint8Array.of(0xde, 0xad, 0xbe, 0xef));
  });

  it('rejects what Buffer.from would silently truncate', () => {
    for (const bad of ['', 'dead', '0X00', '0x0', '0x0g', '0xabc', '0x 00'])
      expect(() => hexToBytes(bad)).toThrow(/hex/);
  });

  it('encodes a subarray view, not its whole buffer', () => {
    const buf = Uint8Array.of(1, 2, 3, 4);
    expect(bytesToHex(buf.subarray(1, 3))).toBe('0x0203');
  });
});

import { describe, expect, it } from 'vitest';
import { displayText, isValidUtf8 } from './text.ts';

describe('response text', () => {
  it('keeps valid UTF-8 as is, a leading BOM included', () => {
    const bytes = new TextEncoder().encode('\uFEFFOnce upon a time, é 😀');
    expect(isValidUtf8(bytes)).toBe(true);
    expect(displayText(bytes)).toBe('\uFEFFOnce upon a time, é 😀');
  });

  it('shows U+FFFD for a character cut by the step limit or split bytes', () => {
    const cut = Uint8Array.of(0x41, 0xf0, 0x9f, 0x98); // 'A' then 3 of the 4 bytes of 😀
    expect(isValidUtf8(cut)).toBe(false);
    expect(displayText(cut)).toBe('A\uFFFD');
    expect(isValidUtf8(Uint8Array.of(0xff))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { formatElapsed, formatMilli, sameAddress, shortHex, timeAgo, toMilli } from './format.ts';

describe('format', () => {
  it('shortens hex', () => {
    expect(shortHex('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')).toBe('0xf39F…2266');
    expect(shortHex('0x1234')).toBe('0x1234');
  });
  it('formats elapsed time', () => {
    expect(formatElapsed(5.9)).toBe('5s');
    expect(formatElapsed(64)).toBe('1m 04s');
    expect(formatElapsed(3720)).toBe('1h 02m');
    expect(formatElapsed(-3)).toBe('0s');
  });
  it('formats relative times', () => {
    const now = 1_700_000_000_000;
    expect(timeAgo(now / 1000 - 10, now)).toBe('just now');
    expect(timeAgo(now / 1000 - 600, now)).toBe('10 min ago');
    expect(timeAgo(now / 1000 - 7200, now)).toBe('2 h ago');
    expect(timeAgo(now / 1000 - 86400 * 3, now)).toBe('2023-11-11');
  });
  it('converts thousandths both ways', () => {
    expect(formatMilli(800)).toBe('0.8');
    expect(formatMilli(1000)).toBe('1');
    expect(formatMilli(0, true)).toBe('0 (greedy)');
    expect(formatMilli(905)).toBe('0.905');
    expect(toMilli(0.9)).toBe(900);
    expect(toMilli(0.07)).toBe(70);
  });
  it('compares addresses case-insensitively', () => {
    expect(sameAddress('0xAB', '0xab')).toBe(true);
    expect(sameAddress(undefined, '0xab')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { isTypingTarget, moveSelection } from './keys.ts';

describe('keyboard helpers', () => {
  it('ignores keys typed into fields', () => {
    expect(isTypingTarget({ tagName: 'TEXTAREA' } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: 'BUTTON' } as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
  it('moves with j and k and stops at the ends', () => {
    const ids = [5n, 4n, 3n];
    expect(moveSelection(ids, null, 'j')).toBe(5n);
    expect(moveSelection(ids, 5n, 'j')).toBe(4n);
    expect(moveSelection(ids, 3n, 'j')).toBe(3n);
    expect(moveSelection(ids, 4n, 'k')).toBe(5n);
    expect(moveSelection(ids, 5n, 'k')).toBe(5n);
    expect(moveSelection([], null, 'j')).toBeNull();
  });
});

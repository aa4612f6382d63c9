import { describe, expect, it } from 'vitest';
import { commandFor, isTypingTarget, KEYMAP, moveSelection, sendModifier } from './keys.ts';

const field = { tagName: 'TEXTAREA' } as unknown as EventTarget;
const page = { tagName: 'BODY' } as unknown as EventTarget;

describe('keyboard helpers', () => {
  it('ignores keys typed into fields', () => {
    expect(isTypingTarget(field)).toBe(true);
    expect(isTypingTarget({ tagName: 'BUTTON' } as unknown as EventTarget)).toBe(false);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'number' } as unknown as EventTarget)).toBe(true);
    expect(isTypingTarget({ tagName: 'INPUT', type: 'checkbox' } as unknown as EventTarget)).toBe(false);
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
  it('maps keys to commands outside fields only; Esc works everywhere', () => {
    expect(commandFor({ key: 'j', target: page })).toBe('next');
    expect(commandFor({ key: 'p', target: page })).toBe('post');
    expect(commandFor({ key: 'v', target: page })).toBe('verify');
    expect(commandFor({ key: '?', target: page })).toBe('help');
    expect(commandFor({ key: 'j', target: field })).toBeNull();
    expect(commandFor({ key: '1', target: page, ctrlKey: true })).toBeNull();
    expect(commandFor({ key: 'Escape', target: field })).toBe('leave');
    expect(new Set(KEYMAP.map((k) => k.command)).size).toBe(KEYMAP.length);
    expect(sendModifier('MacIntel')).toBe('⌘');
    expect(sendModifier('Linux x86_64')).toBe('Ctrl');
  });
});

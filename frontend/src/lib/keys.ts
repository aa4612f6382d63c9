// The keyboard map: one table for the handler, the `?` overlay and the README. Shortcuts never fire while someone
// types in a field or picks from a menu; Esc leaves the field, so the next key is a shortcut again.
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean; type?: string } | null;
  if (!el || typeof el.tagName !== 'string') return false;
  if (el.tagName === 'INPUT') return !NOT_TYPED.has((el.type ?? 'text').toLowerCase());
  return el.isContentEditable === true || ['TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** Inputs that take no letters: after ticking a box, j and 1 are still the page's. */
const NOT_TYPED = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file']);

/** The id after or before `current` in the list as shown: j moves down, k moves up. */
export function moveSelection<T>(ids: readonly T[], current: T | null, key: 'j' | 'k'): T | null {
  if (ids.length === 0) return null;
  const i = current === null ? -1 : ids.indexOf(current);
  if (i === -1) return ids[0]!;
  const next = key === 'j' ? Math.min(ids.length - 1, i + 1) : Math.max(0, i - 1);
  return ids[next]!;
}

export type Command = 'next' | 'previous' | 'confirm' | 'switch' | 'post' | 'verify' | 'help' | 'leave';

export const KEYMAP: readonly { keys: readonly string[]; command: Command; what: string }[] = [
  { keys: ['j'], command: 'next', what: 'next conversation in the list' },
  { keys: ['k'], command: 'previous', what: 'previous conversation in the list' },
  { keys: ['1'], command: 'confirm', what: 'Confirm: Response A is better' },
  { keys: ['2'], command: 'switch', what: 'Switch: Response B is better' },
  { keys: ['p'], command: 'post', what: 'post this conversation’s responses on-chain' },
  { keys: ['v'], command: 'verify', what: 'verify: re-run the model in this browser' },
  { keys: ['?'], command: 'help', what: 'show or hide these keys' },
  { keys: ['Esc'], command: 'leave', what: 'leave a text field (or close this list)' },
];

/** The command a key press means, or null. Text fields keep every key except Esc. */
export function commandFor(e: {
  key: string;
  target: EventTarget | null;
  metaKey?: boolean;
  ctrlKey?: boolean;
  altKey?: boolean;
}): Command | null {
  if (e.key === 'Escape') return 'leave';
  if (isTypingTarget(e.target) || e.metaKey || e.ctrlKey || e.altKey) return null;
  const hit = KEYMAP.find((k) => k.keys.includes(e.key));
  return hit?.command ?? null;
}

/** "⌘" on Apple keyboards, "Ctrl" elsewhere: the modifier of the send shortcut. */
export function sendModifier(platform = globalThis.navigator?.platform ?? ''): string {
  return /Mac|iPhone|iPad/.test(platform) ? '⌘' : 'Ctrl';
}

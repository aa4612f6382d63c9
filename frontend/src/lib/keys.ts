// Keyboard shortcuts must not fire while someone is typing a prompt or choosing from a menu.
export function isTypingTarget(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean } | null;
  if (!el || typeof el.tagName !== 'string') return false;
  return el.isContentEditable === true || ['INPUT', 'TEXTAREA', 'SELECT'].includes(el.tagName);
}

/** The id after or before `current` in a list shown newest first: j moves down (older), k moves up (newer). */
export function moveSelection<T>(ids: readonly T[], current: T | null, key: 'j' | 'k'): T | null {
  if (ids.length === 0) return null;
  const i = current === null ? -1 : ids.indexOf(current);
  if (i === -1) return ids[0]!;
  const next = key === 'j' ? Math.min(ids.length - 1, i + 1) : Math.max(0, i - 1);
  return ids[next]!;
}

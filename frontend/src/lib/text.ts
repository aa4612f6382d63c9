// Display helpers for byte strings that may not be valid UTF-8 (prompts and responses are raw bytes on chain).
import { displayText } from '@tt/protocol';

/** One line for a table cell: whitespace collapsed, cut at `max` characters. */
export function excerpt(bytes: Uint8Array, max = 90): string {
  const t = displayText(bytes).replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

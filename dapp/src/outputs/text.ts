// The engine's output is a byte string. These turn it into display text without touching the bytes themselves:
// the notice carries both the display text (U+FFFD for bytes that are not UTF-8) and the exact bytes as hex.

const lenient = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function displayText(bytes: Uint8Array): string {
  return lenient.decode(bytes);
}

export function isValidUtf8(bytes: Uint8Array): boolean {
  try {
    strict.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

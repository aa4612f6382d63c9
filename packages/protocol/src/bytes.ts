// Bytes on the wire. Prompts and responses are raw bytes: the model can emit half a UTF-8 sequence, so nothing here
// assumes valid UTF-8, and nothing re-encodes text on the way through. Hex is how the rollup node, GraphQL and JSON
// carry bytes: always with a '0x' prefix, lowercase when written, either case when read.

export type Hex = `0x${string}`;

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
const HEX_DIGITS = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

/** Lowercase 0x-prefixed hex of the exact bytes. */
export function toHex(bytes: Uint8Array): Hex {
  const digits = new Array<string>(bytes.length);
  for (let i = 0; i < bytes.length; i++) digits[i] = HEX_DIGITS[bytes[i]!]!;
  return `0x${digits.join('')}`;
}

/** The value of a hex digit's char code, or -1. A table, because inputs reach 4 MiB of hex (a 2 MiB InputBox input). */
const NIBBLE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  NIBBLE['0123456789abcdef'.charCodeAt(i)] = i;
  NIBBLE['0123456789ABCDEF'.charCodeAt(i)] = i;
}

/** Strict: '0x' (or '0X') then an even number of hex digits; anything else throws rather than guessing. */
export function fromHex(hex: string): Uint8Array {
  const bad = () => {
    const shown = hex.length > 40 ? `${hex.slice(0, 40)}…` : hex;
    return new Error(`not a 0x-prefixed even-length hex string: '${shown}'`);
  };
  if (hex.length % 2 !== 0 || hex[0] !== '0' || (hex[1] !== 'x' && hex[1] !== 'X')) throw bad();
  const out = new Uint8Array((hex.length - 2) / 2);
  for (let i = 0, c = 2; i < out.length; i++, c += 2) {
    const hi = NIBBLE[hex.charCodeAt(c)] ?? -1;
    const lo = NIBBLE[hex.charCodeAt(c + 1)] ?? -1;
    if (hi < 0 || lo < 0) throw bad();
    out[i] = (hi << 4) | lo;
  }
  return out;
}

export interface DecodedText {
  /** Readable text; invalid sequences become U+FFFD, so this alone cannot restore the bytes when `utf8Valid` is false. */
  text: string;
  utf8Valid: boolean;
}

/** Decodes UTF-8 and says whether the decode was lossless. A leading BOM is kept as U+FEFF, not swallowed. */
export function decodeUtf8(bytes: Uint8Array): DecodedText {
  try {
    return { text: strictDecoder.decode(bytes), utf8Valid: true };
  } catch {
    return { text: lenientDecoder.decode(bytes), utf8Valid: false };
  }
}

/** The text to show for bytes that may not be UTF-8: U+FFFD for every bad sequence. */
export function displayText(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

export function encodeUtf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Byte helpers shared by the reader, the exporter and verification. Responses are raw bytes on chain: the model can emit
// half a UTF-8 sequence, so nothing here assumes valid UTF-8 and nothing re-encodes text on the way through.

const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

/** Lowercase 0x-prefixed hex of the exact bytes. */
export function toHex(bytes: Uint8Array): `0x${string}` {
  let out = '0x';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out as `0x${string}`;
}

/** Parses 0x-prefixed (or bare) hex; throws on odd length or non-hex characters rather than guessing. */
export function fromHex(hex: string): Uint8Array {
  const body = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (body.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(body))
    throw new Error(`not a hex byte string: ${hex.slice(0, 40)}`);
  const out = new Uint8Array(body.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(body.slice(2 * i, 2 * i + 2), 16);
  return out;
}

export interface DecodedText {
  /** Readable text; invalid sequences become U+FFFD, so this alone can't restore the bytes when `utf8Valid` is false. */
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

export function encodeUtf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

// Hex as the rollup HTTP API speaks it: always a '0x' prefix, lowercase on output, either case accepted on input.

export function bytesToHex(bytes: Uint8Array): string {
  return '0x' + Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Strict: '0x' then an even number of hex digits, anything else throws (Buffer.from(…,'hex') would silently stop early). */
export function hexToBytes(hex: string): Uint8Array {
  if (!/^0x([0-9a-fA-F]{2})*$/.test(hex)) {
    const shown = hex.length > 40 ? `${hex.slice(0, 40)}…` : hex;
    throw new Error(`not a 0x-prefixed even-length hex string: '${shown}'`);
  }
  return new Uint8Array(Buffer.from(hex.slice(2), 'hex'));
}

export function utf8ToHex(text: string): string {
  return bytesToHex(new TextEncoder().encode(text));
}

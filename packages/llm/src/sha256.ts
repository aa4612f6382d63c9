// SHA-256 that works everywhere: WebCrypto when the page or runtime has it (native, and the fastest on a 60 MB model),
// otherwise @noble/hashes (audited, pure JavaScript, already in every bundle through ethers); WebCrypto is missing on
// plain-http pages other than localhost.
import { sha256 as nobleSha256 } from '@noble/hashes/sha256';

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** sha256 of the concatenation of the parts, as 32 bytes. */
export async function sha256(...parts: Uint8Array[]): Promise<Uint8Array> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle) {
    const total = parts.reduce((n, p) => n + p.length, 0);
    const joined = parts.length === 1 ? parts[0]! : new Uint8Array(total);
    if (parts.length !== 1) {
      let o = 0;
      for (const p of parts) {
        joined.set(p, o);
        o += p.length;
      }
    }
    return new Uint8Array(await subtle.digest('SHA-256', joined as Uint8Array<ArrayBuffer>));
  }
  return sha256WithoutWebCrypto(...parts);
}

/** The fallback, streaming over the parts (no joined copy of the model). */
export function sha256WithoutWebCrypto(...parts: Uint8Array[]): Uint8Array {
  const h = nobleSha256.create();
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The model's identity on chain: `0x` + sha256(checkpoint bytes ‖ tokenizer bytes) (docs/interfaces.md). */
export async function modelHash(checkpoint: Uint8Array, tokenizer: Uint8Array): Promise<`0x${string}`> {
  return `0x${toHex(await sha256(checkpoint, tokenizer))}`;
}

// The logits fingerprint that c/native_main.c prints: two 32-bit FNV-1a-style hashes over the float bit patterns.
export function logitsHash(logits: Float32Array): string {
  const u = new Uint32Array(logits.buffer, logits.byteOffset, logits.length);
  let a = 2166136261 >>> 0;
  let b = 0x9747b28c >>> 0;
  for (let i = 0; i < u.length; i++) {
    const w = u[i]!;
    a = Math.imul(a ^ w, 16777619) >>> 0;
    b = Math.imul(b ^ w, 0x9e3779b1) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

// Small formatting helpers shared by the components: addresses, hashes, durations, sampling parameters.

export function shortHex(hex: string, head = 6, tail = 4): string {
  if (hex.length <= head + tail + 1) return hex;
  return `${hex.slice(0, head)}…${hex.slice(-tail)}`;
}

/** "12s", "3m 04s", "1h 02m": tabular so a ticking counter does not jitter. */
export function formatElapsed(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, '0')}m`;
}

/** "just now", "5 min ago", "3 h ago", or a date for anything older than a day. */
export function timeAgo(unixSeconds: number, nowMs: number = Date.now()): string {
  const d = Math.floor(nowMs / 1000 - unixSeconds);
  if (d < 45) return 'just now';
  if (d < 3600) return `${Math.max(1, Math.round(d / 60))} min ago`;
  if (d < 86400) return `${Math.round(d / 3600)} h ago`;
  return new Date(unixSeconds * 1000).toISOString().slice(0, 10);
}

/** Thousandths on the wire → a short decimal for people: 800 → "0.8", 0 → "0 (greedy)". */
export function formatMilli(milli: number, greedyAtZero = false): string {
  const v = (milli / 1000).toFixed(3).replace(/\.?0+$/, '');
  return greedyAtZero && milli === 0 ? `${v} (greedy)` : v;
}

export function toMilli(value: number): number {
  return Math.round(value * 1000);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A deterministic two-colour gradient per address, so people can tell rankers apart at a glance. */
export function addressGradient(address: string): string {
  const h = parseInt(address.slice(2, 8) || '0', 16);
  const a = h % 360;
  const b = (a + 60 + ((h >> 8) % 120)) % 360;
  return `linear-gradient(135deg, hsl(${a} 70% 60%), hsl(${b} 70% 45%))`;
}

export function sameAddress(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

// The numbers every suite reports, collected across vitest workers through small JSON files in one directory
// (TT_RELIABILITY_STATS_DIR, created by vitest.config.ts) and printed as one table by the summary reporter.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SuiteStats {
  suite: string;
  /** Inputs sent (through the InputBox, the rollup API or a loader). */
  tried: number;
  /** Ended as the oracle said they must be rejected (REJECTED + one error report with an allowed code). */
  rejectedAsExpected: number;
  /** Ended as the oracle said they must be accepted (ACCEPTED, two notices, two vouchers). */
  accepted: number;
  /** Inputs whose outcome differed from the oracle's. */
  unexpected: number;
  /** Backend deaths nobody injected (restart counter / pid changes beyond the injected faults). */
  crashes: number;
  /** Inputs on chain the node never reported, or conversations missing from the export. */
  lost: number;
  /** Inputs reported twice / claims for the same range twice / the same voucher executed twice. */
  duplicates: number;
  faultsInjected: number;
  faultsSurvived: number;
  /** Wall time of the suite's measured phase. */
  durationMs: number;
  /** Longest time between an input's block and its processing (ms), when measured. */
  longestQueueWaitMs?: number;
  notes?: string;
}

export function emptyStats(suite: string): SuiteStats {
  return {
    suite,
    tried: 0,
    rejectedAsExpected: 0,
    accepted: 0,
    unexpected: 0,
    crashes: 0,
    lost: 0,
    duplicates: 0,
    faultsInjected: 0,
    faultsSurvived: 0,
    durationMs: 0,
  };
}

function statsDir(): string | null {
  return process.env.TT_RELIABILITY_STATS_DIR ?? null;
}

/** Writes (or overwrites) one suite's numbers. Call it in afterAll, also when a test failed: the table shows it. */
export function recordStats(s: SuiteStats): void {
  const dir = statsDir();
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  const file = s.suite.replace(/[^a-z0-9]+/gi, '-').toLowerCase();
  writeFileSync(join(dir, `${file}.json`), JSON.stringify(s));
}

export function readAllStats(dir: string): SuiteStats[] {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.json'));
  } catch {
    return [];
  }
  return names.sort().map((n) => JSON.parse(readFileSync(join(dir, n), 'utf8')) as SuiteStats);
}

const perMinute = (n: number, ms: number) => (ms > 0 ? ((n * 60_000) / ms).toFixed(1) : '-');

/** The summary table (plain text, fixed-width columns). */
export function formatTable(all: SuiteStats[], title: string): string {
  const head = [
    'suite',
    'tried',
    'rejected ok',
    'accepted',
    'unexpected',
    'crashes',
    'lost',
    'dupes',
    'faults inj/surv',
    'inputs/min',
    'longest wait',
  ];
  const row = (s: SuiteStats) => [
    s.suite,
    String(s.tried),
    String(s.rejectedAsExpected),
    String(s.accepted),
    String(s.unexpected),
    String(s.crashes),
    String(s.lost),
    String(s.duplicates),
    `${s.faultsInjected}/${s.faultsSurvived}`,
    perMinute(s.tried, s.durationMs),
    s.longestQueueWaitMs === undefined ? '-' : `${(s.longestQueueWaitMs / 1000).toFixed(1)} s`,
  ];
  const total = all.reduce((t, s) => {
    t.tried += s.tried;
    t.rejectedAsExpected += s.rejectedAsExpected;
    t.accepted += s.accepted;
    t.unexpected += s.unexpected;
    t.crashes += s.crashes;
    t.lost += s.lost;
    t.duplicates += s.duplicates;
    t.faultsInjected += s.faultsInjected;
    t.faultsSurvived += s.faultsSurvived;
    t.durationMs += s.durationMs;
    if (s.longestQueueWaitMs !== undefined)
      t.longestQueueWaitMs = Math.max(t.longestQueueWaitMs ?? 0, s.longestQueueWaitMs);
    return t;
  }, emptyStats('TOTAL'));
  const rows = [head, ...all.map(row), row(total)];
  const widths = head.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    '| ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ') + ' |';
  const sep = '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|';
  const out = [title, line(head), sep, ...all.map((s) => line(row(s))), sep, line(row(total))];
  const notes = all.filter((s) => s.notes).map((s) => `  ${s.suite}: ${s.notes}`);
  if (notes.length) out.push('notes:', ...notes);
  return out.join('\n');
}

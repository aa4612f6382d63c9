import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

// One directory per run where each suite drops its numbers; the summary reporter prints them as a table.
process.env.TT_RELIABILITY_STATS_DIR ??= mkdtempSync(join(tmpdir(), 'tt-reliability-stats-'));

export default defineConfig({
  test: {
    testTimeout: 300_000,
    hookTimeout: 300_000,
    // Two cores shared with other work: the devnet suites each run a chain, a node and a backend.
    maxWorkers: 2,
    minWorkers: 1,
    reporters: ['default', './src/summary-reporter.ts'],
  },
});

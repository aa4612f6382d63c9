// A vitest reporter that prints the suites' summary table after the run (next to vitest's own report).
import type { Reporter } from 'vitest/reporters';
import { formatTable, readAllStats } from './stats.ts';

export default class SummaryReporter implements Reporter {
  onFinished() {
    const dir = process.env.TT_RELIABILITY_STATS_DIR;
    if (!dir) return;
    const all = readAllStats(dir);
    const size = process.env.TT_RELIABILITY_FULL ? 'full' : 'CI-sized';
    const title = `\nTrust-and-Teach reliability summary (${size}${process.env.TT_FUZZ_RUNS ? `, TT_FUZZ_RUNS=${process.env.TT_FUZZ_RUNS}` : ''}; stats in ${dir})`;
    process.stdout.write(
      (all.length ? formatTable(all, title) : `${title}\n  no suite recorded numbers (all skipped?)`) + '\n',
    );
  }
}

/**
 * `vta-trace perf [--results FILE] [--workload RE] [--threshold PCT] [--fail-on-change] [--all] [--json]`:
 * cycle counts per case and target across commits from the results database; exit 1 with
 * --fail-on-change when a step between consecutive commits exceeds the threshold.
 */
import type { Command } from 'commander';
import { VtaUserError } from '../../runtime/errors.js';
import { DEFAULT_RESULTS_FILE, openResultsDb } from '../../regression/results/open.js';
import { cycleTrend } from '../../regression/results/perf.js';
import { perfText } from '../../regression/results/perf-report.js';
import { readingResults } from '../../regression/results/check-results.js';

interface PerfOptions {
  results: string;
  workload?: string;
  threshold: string;
  failOnChange?: boolean;
  all?: boolean;
  json?: boolean;
}

export function registerPerf(program: Command): void {
  program
    .command('perf')
    .description('cycle counts per case and target across commits, with the changes beyond a threshold')
    .option('--results <file>', 'results database', DEFAULT_RESULTS_FILE)
    .option('--workload <regex>', 'only cases whose id matches (e.g. "gemm", "@small$")')
    .option('--threshold <pct>', 'flag steps between consecutive commits larger than this many percent', '5')
    .option('--fail-on-change', 'exit 1 when any step is flagged')
    .option('--all', 'print every series, not only the flagged ones')
    .option('--json', 'print the trend as JSON')
    .action((o: PerfOptions) => {
      const thresholdPct = Number(o.threshold);
      if (!Number.isFinite(thresholdPct) || thresholdPct < 0) throw new VtaUserError(`--threshold "${o.threshold}": expected a percentage ≥ 0`);
      let caseFilter: RegExp | undefined;
      try {
        caseFilter = o.workload === undefined ? undefined : new RegExp(o.workload);
      } catch (e) {
        throw new VtaUserError(`--workload: ${(e as Error).message}`);
      }
      const db = openResultsDb(o.results, { readonly: true });
      try {
        const trend = readingResults(o.results, () => cycleTrend(db, { thresholdPct, ...(caseFilter ? { caseFilter } : {}) }));
        process.stdout.write(o.json ? JSON.stringify(trend, null, 2) + '\n' : perfText(trend, { thresholdPct, all: o.all ?? false }));
        process.exitCode = o.failOnChange && trend.changes.length > 0 ? 1 : 0;
      } finally {
        db.close();
      }
    });
}

/**
 * Mutation throughput on the commit suite (issue 21): mutants scored per hour on this machine, and
 * the share of the time spent building the instrumented design (one Verilator build per
 * configuration for all the mutants) against running the cases. A fresh selection each time (the
 * seed is the clock) so the build is measured, not found in the cache; a scratch results database.
 * VTA_BENCH_MUTANTS (default 40) mutants, VTA_BENCH_MUTATE_SUITE (default commit), 2 threads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runMutation } from '../regression/mutation/engine.js';
import type { SuiteName } from '../regression/suites.js';

export async function benchMutate(): Promise<Record<string, number | string>> {
  const dir = mkdtempSync(join(tmpdir(), 'vta-bench-mutate-'));
  const count = Number(process.env.VTA_BENCH_MUTANTS ?? 40);
  const suite = (process.env.VTA_BENCH_MUTATE_SUITE ?? 'commit') as SuiteName;
  try {
    const r = await runMutation({ suite, count, seed: Date.now() % 1_000_000, jobs: 2, resultsFile: join(dir, 'results.db'), log: (l) => process.stderr.write(`${l}\n`) });
    const total = r.buildSeconds + r.runSeconds;
    return {
      suite: `${suite} (${r.cases} cases)`,
      'mutants scored': r.scoredNow,
      'mutants scored per hour': (3600 * r.scoredNow) / total,
      'build seconds (all configurations, once)': r.buildSeconds,
      'run seconds (baseline + mutants)': r.runSeconds,
      'build share of the time': r.buildSeconds / total,
      'run share of the time': r.runSeconds / total,
      'score (%)': 100 * r.summary.score,
      'one build per mutant instead: build hours': (r.buildSeconds * r.scoredNow) / 3600,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

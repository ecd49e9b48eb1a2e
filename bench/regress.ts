/**
 * Regression runner speed, measured side by side in one run: the smoke suite (one fsim pool) and a
 * fixed slice of the commit suite (spread over it, so all configs and both recorded and random
 * programs are in it; an fsim and a tsim pool) with one and with two threads per pool (goal:
 * ≥ 1.7× with two, on a machine with two idle cores), the same slice comparing instruction digests
 * as well as outputs (the cost of `--compare digests`), and the whole commit suite's wall time.
 * VTA_BENCH_REGRESS_SLICE (default 60 cases) sizes the slice; VTA_BENCH_REGRESS_FULL=0 skips the
 * whole suite.
 */
import { runCases, type RunOptions } from '../regression/runner.js';
import { suiteCases, type CaseSpec } from '../regression/suites.js';

const perPool = (n: number) => ({ perKind: { fsim: n, tsim: n } });

async function wall(cases: CaseSpec[], opts: Partial<RunOptions>): Promise<number> {
  const t0 = process.hrtime.bigint();
  const results = await runCases(cases, { jobs: 1, caseTimeoutMs: 300_000, reporters: [], ...opts });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const bad = results.filter((r) => r.verdict !== 'pass');
  if (bad.length) throw new Error(`regress bench: ${bad.length} case(s) did not pass, e.g. ${bad[0]!.id}: ${bad[0]!.reason}`);
  return seconds;
}

export async function benchRegress(): Promise<Record<string, number | string>> {
  const all = suiteCases('commit');
  const size = Math.min(all.length, Number(process.env.VTA_BENCH_REGRESS_SLICE ?? 60));
  // Spread over the whole suite: every configuration and both recorded and random programs.
  const slice = Array.from({ length: size }, (_, k) => all[Math.floor((k * all.length) / size)]!);
  // Warm-up: one case per configuration of the whole suite builds (or fetches) each tsim model,
  // so that no figure includes a Verilator build.
  const configs = [...new Set(all.map((c) => c.config))];
  await wall(configs.map((cfg) => all.find((c) => c.config === cfg)!), { jobs: 2 });
  const smoke = suiteCases('smoke');

  const figures: Record<string, number | string> = { 'slice: cases (of the commit suite)': `${slice.length} of ${all.length}` };
  // Alternate the settings twice and keep each one's best: the machine is shared and noisy.
  const best = { fsimOne: Infinity, fsimTwo: Infinity, one: Infinity, two: Infinity, digests: Infinity };
  for (let round = 0; round < 2; round++) {
    best.fsimOne = Math.min(best.fsimOne, await wall(smoke, { jobs: 1 }));
    best.fsimTwo = Math.min(best.fsimTwo, await wall(smoke, { jobs: 2 }));
    best.one = Math.min(best.one, await wall(slice, { jobs: perPool(1) }));
    best.two = Math.min(best.two, await wall(slice, { jobs: perPool(2) }));
    best.digests = Math.min(best.digests, await wall(slice, { jobs: perPool(1), compare: 'digests' }));
  }
  // One pool alone (fsim only: the smoke suite), then the commit slice with an fsim and a tsim pool.
  figures['smoke suite (fsim pool only), 1 thread: s'] = best.fsimOne;
  figures['smoke suite (fsim pool only), 2 threads: s'] = best.fsimTwo;
  figures['fsim pool speed-up 2 vs 1 threads'] = best.fsimOne / best.fsimTwo;
  figures['slice, 1 thread per pool: s'] = best.one;
  figures['slice, 2 threads per pool: s'] = best.two;
  figures['speed-up 2 vs 1 threads (goal ≥ 1.7)'] = best.one / best.two;
  figures['slice, 1 thread per pool, --compare digests: s'] = best.digests;
  figures['digest comparison cost: % of wall time'] = ((best.digests - best.one) / best.one) * 100;
  if (process.env.VTA_BENCH_REGRESS_FULL !== '0') figures['commit suite, --jobs 2 (as CI runs it): s'] = await wall(all, { jobs: 2 });
  return figures;
}

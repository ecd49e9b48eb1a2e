/**
 * Regression runner speed, measured side by side in one run (two alternating rounds, best of
 * each): the commit suite's cases on fsim alone (one pool) and as the suite runs them (fsim
 * against tsim, two pools), each with one and with two threads per pool (goal: ≥ 1.7× with two,
 * which needs more idle cores than pools); the cost of comparing instruction digests as well as
 * outputs; the commit suite's wall time as CI runs it (--jobs 2: one thread per pool).
 * VTA_BENCH_REGRESS_SLICE=N takes N cases spread over the suite instead of all of them;
 * VTA_BENCH_REGRESS_NIGHTLY=0 skips the longer single-pool run on the nightly suite's cases.
 * Figures include starting the pools (threads, modules, one simulator process per thread and
 * configuration), which is a large part of a suite that takes seconds.
 */
import { Worker } from 'node:worker_threads';
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

/**
 * What two threads can gain on this machine right now: a fixed busy loop in two threads against
 * one (2.0 on two idle cores). The machine is shared; read the pool figures against this ceiling.
 */
async function cpuCeiling(): Promise<number> {
  const busy = `let x = 0; for (let i = 0; i < 2e8; i++) x += i % 7; require('node:worker_threads').parentPort.postMessage(x);`;
  const time = async (n: number) => {
    const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: n }, () => new Promise((res) => new Worker(busy, { eval: true }).once('message', res))));
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  let one = Infinity;
  let two = Infinity;
  for (let i = 0; i < 2; i++) {
    one = Math.min(one, await time(1));
    two = Math.min(two, await time(2));
  }
  return (2 * one) / two;
}

export async function benchRegress(): Promise<Record<string, number | string>> {
  const all = suiteCases('commit');
  const size = Math.min(all.length, Number(process.env.VTA_BENCH_REGRESS_SLICE ?? all.length));
  // Spread over the whole suite: every configuration, recorded, random and builder programs.
  const slice = Array.from({ length: size }, (_, k) => all[Math.floor((k * all.length) / size)]!);
  const fsimOnly = slice.map((c) => ({ ...c, targets: ['fsim'] }));
  // Warm-up: one case per configuration builds (or fetches) each tsim model, so no figure includes a Verilator build.
  const configs = [...new Set(slice.map((c) => c.config))];
  await wall(configs.map((cfg) => slice.find((c) => c.config === cfg)!), { jobs: 2 });

  // A longer single-pool run, where per-thread start-up (module loading, JIT warm-up) weighs less.
  const nightlyFsim = suiteCases('nightly').map((c) => ({ ...c, targets: ['fsim'] }));
  const best = { fsim1: Infinity, fsim2: Infinity, both1: Infinity, both2: Infinity, outputs1: Infinity, night1: Infinity, night2: Infinity };
  const keep = (k: keyof typeof best, s: number) => (best[k] = Math.min(best[k], s));
  for (let round = 0; round < 2; round++) {
    keep('fsim1', await wall(fsimOnly, { jobs: perPool(1) }));
    keep('fsim2', await wall(fsimOnly, { jobs: perPool(2) }));
    keep('both1', await wall(slice, { jobs: perPool(1) }));
    keep('both2', await wall(slice, { jobs: perPool(2) }));
    keep('outputs1', await wall(slice, { jobs: perPool(1), compare: 'outputs' }));
    if (process.env.VTA_BENCH_REGRESS_NIGHTLY !== '0') {
      keep('night1', await wall(nightlyFsim, { jobs: perPool(1) }));
      keep('night2', await wall(nightlyFsim, { jobs: perPool(2) }));
    }
  }
  const ceiling = await cpuCeiling();
  return {
    'cases (of the commit suite)': `${slice.length} of ${all.length}`,
    'machine ceiling: two busy threads vs one': ceiling,
    'fsim only (one pool), 1 thread: s': best.fsim1,
    'fsim only (one pool), 2 threads: s': best.fsim2,
    'fsim pool speed-up 2 vs 1 threads (goal ≥ 1.7)': best.fsim1 / best.fsim2,
    ...(best.night1 < Infinity
      ? {
          [`nightly suite on fsim only (${nightlyFsim.length} cases), 1 thread: s`]: best.night1,
          [`nightly suite on fsim only, 2 threads: s`]: best.night2,
          'nightly fsim pool speed-up 2 vs 1 threads': best.night1 / best.night2,
        }
      : {}),
    'fsim vs tsim (two pools), 1 thread each: s': best.both1,
    'fsim vs tsim (two pools), 2 threads each: s': best.both2,
    'two-pool speed-up 2 vs 1 threads each': best.both1 / best.both2,
    'fsim vs tsim, 1 thread each, --compare outputs: s': best.outputs1,
    'digest comparison cost: % of wall time': ((best.both1 - best.outputs1) / best.outputs1) * 100,
    'commit suite wall time, --jobs 2 as CI runs it: s': best.both1,
  };
}

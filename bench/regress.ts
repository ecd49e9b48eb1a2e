/**
 * Regression runner speed, measured side by side in one run (two alternating rounds, best of
 * each): the commit suite's cases on fsim alone (one pool) and as the suite runs them (fsim
 * against tsim, two pools), each with one and with two threads per pool (goal: ≥ 1.7× with two,
 * which needs more idle cores than pools); each case built once and shared by its targets
 * against every run building its own; the cost of comparing instruction digests as well as
 * outputs; the commit suite's wall time as CI runs it (--jobs 2: one thread per pool).
 *
 * Beside each wall time: the CPU seconds spent (this process's threads and the simulator
 * processes, which are children), per case, and the ideal wall time on this machine's cores
 * (CPU seconds / min(threads, cores)) — what the pools would take if nothing but the work
 * counted. A shared machine shows up in the ceiling figures: two busy threads against one, and
 * two threads running fsim against one (the pools' own work, which may scale worse than a loop).
 *
 * VTA_BENCH_REGRESS_SLICE=N takes N cases spread over the suite instead of all of them;
 * VTA_BENCH_REGRESS_NIGHTLY=0 skips the longer single-pool run on the nightly suite's cases.
 * Figures include starting the pools (threads, modules, one simulator process per thread and
 * configuration), which is a large part of a suite of millisecond cases.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runCases, type RunOptions } from '../regression/runner.js';
import { suiteCases, type CaseSpec } from '../regression/suites.js';

const perPool = (n: number) => ({ perKind: { fsim: n, tsim: n } });

/** CPU seconds of reaped child processes (the simulators: each exits when its pool is destroyed). */
function childCpuSeconds(): number {
  // /proc/self/stat after the command name: field 14 and 15 of the rest are cutime and cstime, in clock ticks (100 per second on Linux).
  const rest = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
  return (Number(rest[13]) + Number(rest[14])) / 100;
}

/** The simulator processes end shortly after their pool threads: wait (up to 5 s) until they are reaped, so their CPU counts in this run. */
async function childrenReaped(): Promise<void> {
  const alive = () => readdirSync('/proc/self/task').some((t) => readFileSync(`/proc/self/task/${t}/children`, 'utf8').trim() !== '');
  for (let i = 0; i < 100 && alive(); i++) await sleep(50);
}

function cpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6 + childCpuSeconds();
}

interface Measured {
  wall: number;
  cpu: number;
}

async function measure(cases: CaseSpec[], opts: Partial<RunOptions>): Promise<Measured> {
  const c0 = cpuSeconds();
  const t0 = process.hrtime.bigint();
  const results = await runCases(cases, { jobs: 1, caseTimeoutMs: 300_000, reporters: [], ...opts });
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  await childrenReaped();
  const cpu = cpuSeconds() - c0;
  const bad = results.filter((r) => r.verdict !== 'pass');
  if (bad.length) throw new Error(`regress bench: ${bad.length} case(s) did not pass, e.g. ${bad[0]!.id}: ${bad[0]!.reason}`);
  return { wall, cpu };
}

/**
 * Throughput of two worker threads against one, each doing the same job (best of `rounds`
 * alternating measurements): 2.0 when two cores are there for the taking.
 */
async function twoThreadsVsOne(start: () => Worker, rounds: number): Promise<number> {
  const time = async (n: number) => {
    const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: n }, () => new Promise((res, rej) => start().once('message', res).once('error', rej))));
    return Number(process.hrtime.bigint() - t0) / 1e9;
  };
  let one = Infinity;
  let two = Infinity;
  for (let i = 0; i < rounds; i++) {
    one = Math.min(one, await time(1));
    two = Math.min(two, await time(2));
  }
  return (2 * one) / two;
}

/**
 * What two threads can gain on this machine right now: a fixed busy loop in two threads against
 * one (2.0 on two idle cores). The machine is shared; read the pool figures against this ceiling.
 */
function cpuCeiling(): Promise<number> {
  const busy = `let x = 0; for (let i = 0; i < 2e8; i++) x += i % 7; require('node:worker_threads').parentPort.postMessage(x);`;
  return twoThreadsVsOne(() => new Worker(busy, { eval: true }), 2);
}

/**
 * The same ceiling for the pools' own kind of work: fsim running a convolution (WebAssembly SIMD
 * kernels, scratchpads of a few MiB) in two threads against one, each thread doing the same runs.
 * A busy loop scales to two cores here; memory-heavy work may not (shared caches, memory bandwidth,
 * or two virtual cores on one physical one), and the pools cannot beat this figure.
 */
function fsimCeiling(): Promise<number> {
  const worker = new URL('./fsim-ceiling-worker.js', import.meta.url);
  return twoThreadsVsOne(() => new Worker(worker, { workerData: 400 }), 3);
}

export async function benchRegress(): Promise<Record<string, number | string>> {
  const all = suiteCases('commit');
  const size = Math.min(all.length, Number(process.env.VTA_BENCH_REGRESS_SLICE ?? all.length));
  // Spread over the whole suite: every configuration, ResNet-18 layers, recorded, random and builder programs.
  const slice = Array.from({ length: size }, (_, k) => all[Math.floor((k * all.length) / size)]!);
  const fsimOnly = slice.map((c) => ({ ...c, targets: ['fsim'] }));
  // Warm-up: one case per configuration builds (or fetches) each tsim model, so no figure includes a Verilator build.
  const configs = [...new Set(slice.map((c) => c.config))];
  await measure(
    configs.map((cfg) => slice.find((c) => c.config === cfg)!),
    { jobs: 2 },
  );

  // A longer single-pool run, where per-thread start-up (module loading, JIT warm-up) weighs less.
  const nightlyFsim = suiteCases('nightly').map((c) => ({ ...c, targets: ['fsim'] }));
  const runs: Record<string, () => Promise<Measured>> = {
    fsim1: () => measure(fsimOnly, { jobs: perPool(1) }),
    fsim2: () => measure(fsimOnly, { jobs: perPool(2) }),
    both1: () => measure(slice, { jobs: perPool(1) }),
    both2: () => measure(slice, { jobs: perPool(2) }),
    unshared1: () => measure(slice, { jobs: perPool(1), shareBuilds: false }),
    outputs1: () => measure(slice, { jobs: perPool(1), compare: 'outputs' }),
    ...(process.env.VTA_BENCH_REGRESS_NIGHTLY !== '0'
      ? { night1: () => measure(nightlyFsim, { jobs: perPool(1) }), night2: () => measure(nightlyFsim, { jobs: perPool(2) }) }
      : {}),
  };
  const best: Record<string, Measured> = {};
  for (let round = 0; round < 2; round++) {
    for (const [k, run] of Object.entries(runs)) {
      const m = await run();
      if (!best[k] || m.wall < best[k].wall) best[k] = m;
    }
  }
  const ceiling = await cpuCeiling();
  const fsimWork = await fsimCeiling();
  const cores = availableParallelism();
  const b = (k: string) => best[k]!;
  /** Wall, CPU per case and the ideal wall time of one measured configuration. */
  const figures = (label: string, k: string, threads: number, cases: number) => ({
    [`${label}: s`]: b(k).wall,
    [`${label}: CPU ms per case`]: (b(k).cpu / cases) * 1000,
    [`${label}: ideal s (CPU / ${Math.min(threads, cores)} cores)`]: b(k).cpu / Math.min(threads, cores),
  });
  return {
    'cases (of the commit suite)': `${slice.length} of ${all.length}`,
    'machine ceiling: two busy threads vs one': ceiling,
    'machine ceiling for fsim work: two threads running fsim vs one': fsimWork,
    ...figures('fsim only (one pool), 1 thread', 'fsim1', 1, slice.length),
    ...figures('fsim only (one pool), 2 threads', 'fsim2', 2, slice.length),
    'fsim pool speed-up 2 vs 1 threads (goal ≥ 1.7)': b('fsim1').wall / b('fsim2').wall,
    ...(best.night1
      ? {
          ...figures(`nightly suite on fsim only (${nightlyFsim.length} cases), 1 thread`, 'night1', 1, nightlyFsim.length),
          ...figures('nightly suite on fsim only, 2 threads', 'night2', 2, nightlyFsim.length),
          'nightly fsim pool speed-up 2 vs 1 threads': b('night1').wall / b('night2').wall,
        }
      : {}),
    ...figures('fsim vs tsim (two pools), 1 thread each', 'both1', 2, slice.length),
    ...figures('fsim vs tsim (two pools), 2 threads each', 'both2', 4, slice.length),
    'two-pool speed-up 2 vs 1 threads each': b('both1').wall / b('both2').wall,
    ...figures('fsim vs tsim, 1 thread each, every run building its own bundle', 'unshared1', 2, slice.length),
    'shared builds speed-up (1 thread each)': b('unshared1').wall / b('both1').wall,
    'fsim vs tsim, 1 thread each, --compare outputs: s': b('outputs1').wall,
    'digest comparison cost: % of wall time': ((b('both1').wall - b('outputs1').wall) / b('outputs1').wall) * 100,
    'commit suite wall time, --jobs 2 as CI runs it: s': b('both1').wall,
  };
}

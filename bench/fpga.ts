/**
 * fpga: what the network path costs and what a pool of boards buys, on the emulated board.
 *
 * 1. Per-run overhead: the same bundle on tsim with the emulated-board memory (`tsim@emu:1`,
 *    the harness programs the VCR itself) and on `fpga@emu:1` (agent on loopback, TCP, the
 *    TypeScript register sequence through host-port commands, the same memory). A small bundle
 *    (the recorded blocked matmul) shows the fixed cost; a long GEMM (about a million cycles)
 *    shows the cost of polling while the design runs. Tracing off; after a warm-up of each, the
 *    two targets run in turns, best of VTA_BENCH_FPGA_ROUNDS (default 7) each.
 * 2. Pool throughput: VTA_BENCH_FPGA_RUNS (default 8) GEMMs of VTA_BENCH_FPGA_POOL_ITERS (default
 *    256×512) iterations through BoardPool (one piscina worker per board) with one emulated board
 *    and with two, in alternating passes, best of VTA_BENCH_FPGA_ROUNDS (default 7) each. On
 *    a machine with fewer free cores than boards the second board cannot help much: quote the
 *    core count.
 */
import { cpus } from 'node:os';
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import { resolveConfig } from '../runtime/config/fixtures.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import type { EventSink } from '../runtime/contract/events.js';
import type { Target } from '../runtime/contract/target.js';
import { BoardPool } from '../targets/fpga/host/board-pool.js';
import { workerRunner } from '../targets/fpga/host/board-runner.js';
import { createFpgaTarget } from '../targets/fpga/host/create-fpga-target.js';
import { FpgaTarget } from '../targets/fpga/host/fpga-target.js';
import { startLocalEmuAgent, type LocalAgent } from '../targets/fpga/host/local-agent.js';
import { longGemm } from '../targets/tsim/testing/long-gemm.js';
import { createTsimTarget } from '../targets/tsim/target.js';

const quiet: EventSink = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };

/** Seconds of one run (it must end ok) and its cycles. */
async function timedRun(target: Target, bundle: ProgramBundle): Promise<{ seconds: number; cycles: number }> {
  const t0 = process.hrtime.bigint();
  const r = await target.run({ bundle, sink: quiet });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 'ok') throw new Error(`${target.name}: ${r.status}: ${r.message}`);
  return { seconds, cycles: r.counters.cycles };
}

/** Both targets warmed, then timed in alternating runs, best of `rounds` each. */
async function sideBySide(a: Target, b: Target, bundle: ProgramBundle, rounds: number): Promise<[{ seconds: number; cycles: number }, { seconds: number; cycles: number }]> {
  const best = [await timedRun(a, bundle), await timedRun(b, bundle)].map((w) => ({ seconds: Infinity, cycles: w.cycles }));
  for (let i = 0; i < rounds; i++) {
    best[0]!.seconds = Math.min(best[0]!.seconds, (await timedRun(a, bundle)).seconds);
    best[1]!.seconds = Math.min(best[1]!.seconds, (await timedRun(b, bundle)).seconds);
  }
  return [best[0]!, best[1]!];
}

async function overhead(figures: Record<string, number | string>, label: string, bundle: ProgramBundle, rounds: number): Promise<void> {
  const tsim = createTsimTarget({ memory: { kind: 'emu', seed: 1 } });
  const fpga = await createFpgaTarget('fpga@emu:1');
  try {
    const [t, f] = await sideBySide(tsim, fpga, bundle, rounds);
    figures[`${label}: cycles (tsim@emu:1 / fpga@emu:1)`] = `${t.cycles} / ${f.cycles}`;
    figures[`${label}: tsim@emu:1 s/run`] = t.seconds;
    figures[`${label}: fpga@emu:1 s/run`] = f.seconds;
    figures[`${label}: network path overhead ms/run`] = (f.seconds - t.seconds) * 1000;
    figures[`${label}: fpga / tsim time`] = f.seconds / t.seconds;
  } finally {
    await tsim.close();
    await fpga.close();
  }
}

/** Seconds for one pass of `bundles` through `pool` (all queued at once). */
async function poolPass(pool: BoardPool, bundles: ProgramBundle[]): Promise<number> {
  const t0 = process.hrtime.bigint();
  const results = await Promise.all(bundles.map((bundle) => pool.run({ bundle })));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const bad = results.find((r) => r.result.status !== 'ok');
  if (bad) throw new Error(`pool run on ${bad.board}: ${bad.result.status}: ${bad.result.message}`);
  return seconds;
}

/**
 * The same job list through a pool of one board and a pool of two, side by side: both pools stay
 * up (two agents, each an emulated board with its own simulator process; the one-board pool uses
 * the first), warmed outside the timing, then timed in alternating passes, best of `rounds` each —
 * so a neighbour's load on this shared machine hits both sides alike and the ratio holds still.
 */
async function poolThroughput(bundles: ProgramBundle[], rounds: number): Promise<{ one: number; two: number; passes: { one: number[]; two: number[] } }> {
  const agents: LocalAgent[] = [];
  for (let i = 0; i < 2; i++) agents.push(await startLocalEmuAgent({ memory: { kind: 'emu', seed: 1 } }));
  const runner = (i: number) => workerRunner({ name: `fpga:emu-${i}`, endpoint: agents[i]!.endpoint });
  const one = new BoardPool([runner(0)]);
  const two = new BoardPool([runner(0), runner(1)]);
  const passes = { one: [] as number[], two: [] as number[] };
  try {
    // Warm every worker and simulator process (start, first build lookup) outside the timing.
    await poolPass(one, bundles.slice(0, 1));
    await poolPass(two, bundles.slice(0, 2));
    for (let r = 0; r < rounds; r++) {
      passes.one.push(await poolPass(one, bundles));
      passes.two.push(await poolPass(two, bundles));
    }
    return { one: bundles.length / Math.min(...passes.one), two: bundles.length / Math.min(...passes.two), passes };
  } finally {
    await one.close();
    await two.close();
    for (const a of agents) await a.stop();
  }
}

export async function benchFpga(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const rounds = Number(process.env.VTA_BENCH_FPGA_ROUNDS ?? 7);
  await overhead(figures, 'small (vec:matmul_blocked_4x4)', buildWorkload('vec:matmul_blocked_4x4', { config: resolveConfig('default') }), rounds);
  await overhead(figures, 'large (GEMM 256x4096, default)', longGemm('default', 256, 4096), rounds);

  const runs = Number(process.env.VTA_BENCH_FPGA_RUNS ?? 8);
  const [iterOut, iterIn] = (process.env.VTA_BENCH_FPGA_POOL_ITERS ?? '256x512').split('x').map(Number) as [number, number];
  const bundles = Array.from({ length: runs }, () => longGemm('small', iterOut, iterIn));
  const { one, two, passes } = await poolThroughput(bundles, rounds);
  const secs = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(' ');
  figures['cores on this machine'] = cpus().length;
  figures[`pool, ${runs} GEMMs ${iterOut}x${iterIn}: runs/s with 1 board (best of ${rounds}, alternating)`] = one;
  figures[`pool, ${runs} GEMMs ${iterOut}x${iterIn}: runs/s with 2 boards (best of ${rounds}, alternating)`] = two;
  figures['pool, seconds per pass with 1 board'] = secs(passes.one);
  figures['pool, seconds per pass with 2 boards'] = secs(passes.two);
  figures['pool speed-up, 2 boards vs 1'] = two / one;
  return figures;
}

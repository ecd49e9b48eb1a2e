/**
 * fpga: what the network path costs and what a pool of boards buys, on the emulated board.
 *
 * 1. Per-run overhead: the same bundle on tsim with the emulated-board memory (`tsim@emu:1`,
 *    the harness programs the VCR itself) and on `fpga@emu:1` (agent on loopback, TCP, the
 *    TypeScript register sequence through host-port commands, the same memory). A small bundle
 *    (the recorded blocked matmul) shows the fixed cost; a long GEMM (about a million cycles)
 *    shows the cost of polling while the design runs. Tracing off; best of three after a warm-up.
 * 2. Pool throughput: VTA_BENCH_FPGA_RUNS (default 8) GEMMs of VTA_BENCH_FPGA_POOL_ITERS (default
 *    256×512) iterations through BoardPool with one emulated board, then with two. On a machine
 *    with fewer free cores than boards the second board cannot help much: quote the core count.
 */
import { cpus } from 'node:os';
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import { resolveConfig } from '../runtime/config/fixtures.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import type { EventSink } from '../tracer/events.js';
import type { Target } from '../targets/target.js';
import { BoardPool } from '../targets/fpga/host/board-pool.js';
import { workerRunner } from '../targets/fpga/host/board-runner.js';
import { createFpgaTarget } from '../targets/fpga/host/create-fpga-target.js';
import { FpgaTarget } from '../targets/fpga/host/fpga-target.js';
import { startLocalEmuAgent, type LocalAgent } from '../targets/fpga/host/local-agent.js';
import { longGemm } from '../targets/tsim/testing/long-gemm.js';
import { createTsimTarget } from '../targets/tsim/target.js';

const quiet: EventSink = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };

async function bestOfThree(target: Target, bundle: ProgramBundle): Promise<{ seconds: number; cycles: number }> {
  const warm = await target.run({ bundle, sink: quiet });
  if (warm.status !== 'ok') throw new Error(`${target.name}: ${warm.status}: ${warm.message}`);
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    const r = await target.run({ bundle, sink: quiet });
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
    if (r.status !== 'ok') throw new Error(`${target.name}: ${r.status}: ${r.message}`);
  }
  return { seconds: best, cycles: warm.counters.cycles };
}

async function overhead(figures: Record<string, number | string>, label: string, bundle: ProgramBundle): Promise<void> {
  const tsim = createTsimTarget({ memory: { kind: 'emu', seed: 1 } });
  const fpga = await createFpgaTarget('fpga@emu:1');
  try {
    const t = await bestOfThree(tsim, bundle);
    const f = await bestOfThree(fpga, bundle);
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

async function poolThroughput(boards: number, bundles: ProgramBundle[]): Promise<number> {
  const agents: LocalAgent[] = [];
  for (let i = 0; i < boards; i++) agents.push(await startLocalEmuAgent({ memory: { kind: 'emu', seed: 1 } }));
  const pool = new BoardPool(agents.map((a, i) => workerRunner({ name: `fpga:emu-${i}`, endpoint: a.endpoint })));
  try {
    // Warm each board (simulator process start) outside the timing.
    await Promise.all(agents.map(() => pool.run({ bundle: bundles[0]! })));
    const t0 = process.hrtime.bigint();
    const results = await Promise.all(bundles.map((bundle) => pool.run({ bundle })));
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    const bad = results.find((r) => r.result.status !== 'ok');
    if (bad) throw new Error(`pool run on ${bad.board}: ${bad.result.status}: ${bad.result.message}`);
    return bundles.length / seconds;
  } finally {
    await pool.close();
    for (const a of agents) await a.stop();
  }
}

export async function benchFpga(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  await overhead(figures, 'small (vec:matmul_blocked_4x4)', buildWorkload('vec:matmul_blocked_4x4', { config: resolveConfig('default') }));
  await overhead(figures, 'large (GEMM 256x4096, default)', longGemm('default', 256, 4096));

  const runs = Number(process.env.VTA_BENCH_FPGA_RUNS ?? 8);
  const [iterOut, iterIn] = (process.env.VTA_BENCH_FPGA_POOL_ITERS ?? '256x512').split('x').map(Number) as [number, number];
  const bundles = Array.from({ length: runs }, () => longGemm('small', iterOut, iterIn));
  const one = await poolThroughput(1, bundles);
  const two = await poolThroughput(2, bundles);
  figures['cores on this machine'] = cpus().length;
  figures[`pool, ${runs} GEMMs ${iterOut}x${iterIn}: runs/s with 1 board`] = one;
  figures[`pool, ${runs} GEMMs ${iterOut}x${iterIn}: runs/s with 2 boards`] = two;
  figures['pool speed-up, 2 boards vs 1'] = two / one;
  return figures;
}

/**
 * tsim speed: simulated cycles per second of wall clock with per-instruction events on (what the
 * digest trace mode asks of the harness). Two figures: the harness around the tiny stand-in
 * design (harness overhead: DPI, probes, protocol) and, when our RTL is present, a long GEMM on
 * the small configuration (goal ≥ 1e6 cycles/s), and on the default configuration with events
 * on and off. Build time of our RTL (default config) cold, into an empty cache, and cached.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../runtime/config/fixtures.js';
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import { repoPath } from '../runtime/repo.js';
import type { EventSink } from '../runtime/contract/events.js';
import { createTsimTarget } from '../targets/tsim/target.js';
import { bundleOf, finishInsn, gemmInsn } from '../targets/tsim/testing/bundles.js';
import { longGemm } from '../targets/tsim/testing/long-gemm.js';
import { writeTinyRtl } from '../targets/tsim/testing/tiny-rtl.js';

/** Asks for outputs only: the harness sends no events (tracing off). */
const outputsOnly: EventSink = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };

/** Counts what it is told, as cheaply as possible. */
export class CountingSink implements EventSink {
  readonly wantsEvents = true;
  readonly wantsIters = false;
  events = 0;
  write(): void {
    this.events++;
  }
  iter(): void {
    this.events++;
  }
  retire(): void {
    this.events++;
  }
}

/** Best of three timed runs after a warm-up run: the machine is shared and noisy. */
async function cyclesPerSecond(target: ReturnType<typeof createTsimTarget>, bundle: ProgramBundle, traced = true) {
  await target.prepare(bundle.params);
  await target.run({ bundle, sink: new CountingSink() }); // warm: process start, page faults
  let best = { cycles: 0, seconds: Infinity, perSecond: 0, events: 0 };
  for (let i = 0; i < 3; i++) {
    const sink = new CountingSink();
    const t0 = process.hrtime.bigint();
    const r = await target.run({ bundle, sink: traced ? sink : outputsOnly });
    const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
    if (r.status !== 'ok') throw new Error(`tsim bench run ended ${r.status}: ${r.message}`);
    if (seconds < best.seconds) best = { cycles: r.counters.cycles, seconds, perSecond: r.counters.cycles / seconds, events: sink.events };
  }
  return best;
}

export async function benchTsim(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const tiny = createTsimTarget({ rtl: writeTinyRtl(mkdtempSync(join(tmpdir(), 'tsim-bench-'))) });
  try {
    const p = resolveConfig('default');
    const insns = [...Array.from({ length: 20_000 }, () => gemmInsn()), finishInsn()];
    const r = await cyclesPerSecond(tiny, bundleOf(p, insns));
    figures['tiny design: cycles'] = r.cycles;
    figures['tiny design: simulated cycles/s (events on)'] = r.perSecond;
    figures['tiny design: events/s'] = r.events / r.seconds;
  } finally {
    await tiny.close();
  }
  if (existsSync(repoPath('targets', 'tsim', 'rtl')) && existsSync(repoPath('fixtures', 'probe-maps', 'vta-trace-rtl.json'))) {
    const own = createTsimTarget({ config: 'small' });
    try {
      const r = await cyclesPerSecond(own, longGemm('small', 256, 4096));
      figures['our RTL, small, long GEMM: cycles'] = r.cycles;
      figures['our RTL, small, long GEMM: simulated cycles/s (events on)'] = r.perSecond;
    } finally {
      await own.close();
    }
    const def = createTsimTarget({ config: 'default' });
    try {
      const on = await cyclesPerSecond(def, longGemm('default', 256, 4096), true);
      const off = await cyclesPerSecond(def, longGemm('default', 256, 4096), false);
      figures['our RTL, default, long GEMM: cycles'] = on.cycles;
      figures['our RTL, default: simulated cycles/s (events on)'] = on.perSecond;
      figures['our RTL, default: simulated cycles/s (tracing off)'] = off.perSecond;
    } finally {
      await def.close();
    }
    await buildTimes(figures);
  } else {
    figures['our RTL'] = 'not present yet (targets/tsim/rtl)';
  }
  return figures;
}

/** Cold build into an empty cache, then the same request again (a cache hit). */
async function buildTimes(figures: Record<string, number | string>): Promise<void> {
  const saved = process.env.VTA_TRACE_CACHE;
  process.env.VTA_TRACE_CACHE = mkdtempSync(join(tmpdir(), 'tsim-bench-cache-'));
  try {
    const p = resolveConfig('default');
    for (const label of ['cold', 'cached']) {
      const t = createTsimTarget({ config: 'default' });
      const t0 = process.hrtime.bigint();
      await t.prepare(p);
      figures[`build of our RTL, default config, ${label} [s]`] = Number(process.hrtime.bigint() - t0) / 1e9;
      await t.close();
    }
  } finally {
    if (saved === undefined) delete process.env.VTA_TRACE_CACHE;
    else process.env.VTA_TRACE_CACHE = saved;
  }
}

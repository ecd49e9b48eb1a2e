/**
 * Upstream's generated Chisel VTA through the harness, beside our own RTL in the same run: build
 * time (cold: empty build cache and no ccache; cached: the same request again) and simulated
 * cycles per CPU-second of the simulator process on a convolution layer (conv:C4 of ResNet-18,
 * default configuration, per-instruction events on as the digest trace mode asks). Needs the
 * generated Verilog (VTA_UPSTREAM_RTL, docs/upstream-chisel.md); without it the module says so and
 * measures nothing.
 */
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../runtime/config/fixtures.js';
import { repoPath } from '../runtime/repo.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { createTsimTarget, type TsimTarget } from '../targets/tsim/target.js';
import { CountingSink } from './tsim.js';

const LAYER = 'conv:C4';
const DESIGN = repoPath('fixtures', 'designs', 'upstream-chisel', 'design.json');

/** CPU seconds (user + system) used so far by this process's child processes (the simulators). */
function childCpuSeconds(): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const task of readdirSync(`/proc/${process.pid}/task`)) {
    let children = '';
    try {
      children = readFileSync(`/proc/${process.pid}/task/${task}/children`, 'utf8');
    } catch {
      continue;
    }
    for (const pid of children.split(/\s+/).filter(Boolean)) {
      try {
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        total += (Number(fields[11]) + Number(fields[12])) / tick; // utime, stime
      } catch {
        // exited meanwhile
      }
    }
  }
  return total;
}

async function cyclesPerCpuSecond(t: TsimTarget): Promise<{ cycles: number; perCpuSecond: number; perSecond: number }> {
  const params = resolveConfig('default');
  const bundle = buildWorkload(LAYER, { config: params });
  await t.prepare(params);
  await t.run({ bundle, sink: new CountingSink() }); // warm: process start, page faults
  let best = { cycles: 0, perCpuSecond: 0, perSecond: 0 };
  for (let i = 0; i < 3; i++) {
    const cpu0 = childCpuSeconds();
    const t0 = process.hrtime.bigint();
    const r = await t.run({ bundle, sink: new CountingSink() });
    const wall = Number(process.hrtime.bigint() - t0) / 1e9;
    const cpu = childCpuSeconds() - cpu0;
    if (r.status !== 'ok') throw new Error(`${LAYER} ended ${r.status}: ${r.message}`);
    const perCpuSecond = cpu > 0 ? r.counters.cycles / cpu : 0;
    if (perCpuSecond > best.perCpuSecond) best = { cycles: r.counters.cycles, perCpuSecond, perSecond: r.counters.cycles / wall };
  }
  return best;
}

async function buildSeconds(make: () => TsimTarget, figures: Record<string, number | string>, label: string): Promise<void> {
  const saved = { cache: process.env.VTA_TRACE_CACHE, ccache: process.env.VTA_TRACE_NO_CCACHE };
  process.env.VTA_TRACE_CACHE = mkdtempSync(join(tmpdir(), 'tsim-bench-upstream-'));
  try {
    for (const [what, noCcache] of [['cold', '1'], ['cached', '1']] as const) {
      process.env.VTA_TRACE_NO_CCACHE = noCcache;
      const t = make();
      const t0 = process.hrtime.bigint();
      await t.prepare(resolveConfig('default'));
      figures[`${label}: build ${what} [s]`] = Number(process.hrtime.bigint() - t0) / 1e9;
      await t.close();
    }
  } finally {
    for (const [k, v] of [['VTA_TRACE_CACHE', saved.cache], ['VTA_TRACE_NO_CCACHE', saved.ccache]] as const) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export async function benchUpstream(): Promise<Record<string, number | string>> {
  if (!process.env.VTA_UPSTREAM_RTL) {
    return { skipped: 'set VTA_UPSTREAM_RTL to the folder of the Verilog generated from upstream Chisel VTA (docs/upstream-chisel.md)' };
  }
  const figures: Record<string, number | string> = {};
  const designs: [string, () => TsimTarget][] = [
    ['upstream Chisel VTA', () => createTsimTarget({ rtl: DESIGN, config: 'default' })],
    ['our RTL', () => createTsimTarget({ config: 'default' })],
  ];
  for (const [label, make] of designs) await buildSeconds(make, figures, label);
  for (const [label, make] of designs) {
    const t = make();
    try {
      const r = await cyclesPerCpuSecond(t);
      figures[`${label}: ${LAYER} cycles`] = r.cycles;
      figures[`${label}: ${LAYER} simulated cycles per CPU-second`] = r.perCpuSecond;
      figures[`${label}: ${LAYER} simulated cycles per second (wall)`] = r.perSecond;
    } finally {
      await t.close();
    }
  }
  return figures;
}

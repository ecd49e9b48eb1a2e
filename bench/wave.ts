/**
 * `diff --wave` cost: a diff of fsim against a tsim run that diverges on conv:C10 (the seeded
 * uop-late bug: GEMMs of several micro-ops compute with the wrong one; the run still completes,
 * unlike load-next-row, whose reads past the tensor end it after 34 k of its cycles), timed as the CLI runs
 * it — record both runs in digest mode, find the divergence (phase 2 re-runs the window) — and
 * then the waveform step alone: tsim run again to the end of the default window (50 before, 20
 * after the divergent cycle) with the FST dump and the save file. Goal: the waveform step adds at
 * most 20% to the diff. Both simulator builds (plain and FST) are made before timing. Each round
 * times three whole commands in rotating order: the diff alone; `diff --wave` as it was until
 * 2026-12-07 ("before": the waveform simulator started only after the diff, fst2vcd reading the
 * FST's signal names on every dump); and as it is ("after": the waveform simulator started beside
 * the diff, warmWaveTargets, and the names cached per build). Medians over the rounds; the
 * figure is the whole command's extra time over the diff alone.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../runtime/config/fixtures.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { dumpWaves, warmWaveTargets } from '../regression/divergence-wave.js';
import { probeMapOfTarget } from '../targets/rtl-probe-map.js';
import { createTarget } from '../targets/registry.js';
import { createTsimTarget } from '../targets/tsim/target.js';
import { diffTargets } from '../tracer/diff-targets.js';
import type { DivergenceReport } from '../tracer/diverge/divergence.js';
import { makeTraceSpec } from '../tracer/spec.js';
import { TraceStore } from '../tracer/store/trace-store.js';

const VARIANT = 'uop-late';
/** Rounds of diff + both dumps (VTA_BENCH_WAVE_ROUNDS); medians are quoted, the machine is shared. */
const ROUNDS = Number(process.env.VTA_BENCH_WAVE_ROUNDS ?? 9);
type Variant = 'diff' | 'before' | 'after';

export async function benchWave(): Promise<Record<string, number | string>> {
  const params = resolveConfig('default');
  const bundle = buildWorkload('conv:C10', { config: params, seed: 1 });
  for (const wave of [undefined, { from: 0, to: 1 }]) {
    const t = createTsimTarget({ variant: VARIANT, wave });
    await t.prepare(params);
    await t.close();
  }
  const dir = mkdtempSync(join(tmpdir(), 'vta-bench-wave-'));
  try {
    const times: Record<Variant, number[]> = { diff: [], before: [], after: [] };
    const steps: Record<'before' | 'after', number[]> = { before: [], after: [] };
    let cycle = 0;
    let cycles = 0;
    let status = '';
    let n = 0;
    // One `diff` as the CLI runs it, with or without --wave as it was ("before": a cold waveform
    // simulator started after the diff, fst2vcd on every dump) or is ("after": started beside the
    // diff, the build's FST names cached).
    const once = async (variant: Variant) => {
      const store = TraceStore.open(join(dir, `d${n}.db`));
      const name = `w${n++}`;
      try {
        const t0 = process.hrtime.bigint();
        const warm = variant === 'after' ? warmWaveTargets([`tsim:${VARIANT}`], bundle) : undefined;
        try {
          const { report } = await diffTargets({ targets: ['fsim', `tsim:${VARIANT}`], createTarget, bundle, spec: makeTraceSpec({ mode: 'digest' }), store, probes: probeMapOfTarget });
          if (report.values !== 'diverge' || !report.first?.located) throw new Error(`conv:C10 on tsim:${VARIANT} did not diverge at a located event`);
          cycles = report.runs[1]!.cycles ?? 0;
          status = report.runs[1]!.status;
          const t1 = process.hrtime.bigint();
          if (variant !== 'diff') {
            const dumps = await dumpWaves(report, bundle, { dir: join(dir, name), before: 50, after: 20, noNameCache: variant === 'before' }, warm);
            if (dumps.length !== 1) throw new Error(`expected one waveform, got ${dumps.length}`);
            cycle = dumps[0]!.cycle;
            steps[variant].push(Number(process.hrtime.bigint() - t1) / 1e9);
          }
        } finally {
          await warm?.close();
        }
        times[variant].push(Number(process.hrtime.bigint() - t0) / 1e9);
      } finally {
        store.close();
      }
    };
    // Untimed: fills the build's FST name cache, as the first --wave of a build does.
    await once('after');
    times.after.length = 0;
    steps.after.length = 0;
    const variants: Variant[] = ['diff', 'before', 'after'];
    for (let i = 0; i < ROUNDS; i++) for (let k = 0; k < 3; k++) await once(variants[(i + k) % 3]!);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const diff = median(times.diff);
    return {
      'conv:C10 tsim cycles': cycles,
      'tsim run ended': status,
      'divergent event cycle': cycle,
      rounds: ROUNDS,
      'diff fsim tsim:uop-late, s (median)': diff,
      'diff --wave before, s (median)': median(times.before),
      'diff --wave after, s (median)': median(times.after),
      '--wave step alone before, s (median)': median(steps.before),
      '--wave step alone after (after the diff), s (median)': median(steps.after),
      '--wave added before, % of the diff': (100 * (median(times.before) - diff)) / diff,
      '--wave added after, % of the diff (goal ≤ 20)': (100 * (median(times.after) - diff)) / diff,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `diff --wave` cost: a diff of fsim against a tsim run that diverges on conv:C10 (the seeded
 * uop-late bug: GEMMs of several micro-ops compute with the wrong one; the run still completes,
 * unlike load-next-row, whose reads past the tensor end it after 34 k of its cycles), timed as the CLI runs
 * it — record both runs in digest mode, find the divergence (phase 2 re-runs the window) — and
 * then the waveform step alone: tsim run again to the end of the default window (50 before, 20
 * after the divergent cycle) with the FST dump and the save file. Goal: the waveform step adds at
 * most 20% to the diff. Both simulator builds (plain and FST) are made before timing; best of
 * three for each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../runtime/config/fixtures.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { dumpWaves } from '../regression/divergence-wave.js';
import { probeMapOfTarget } from '../targets/rtl-probe-map.js';
import { createTarget } from '../targets/registry.js';
import { createTsimTarget } from '../targets/tsim/target.js';
import { diffTargets } from '../tracer/diff-targets.js';
import { makeTraceSpec } from '../tracer/spec.js';
import { TraceStore } from '../tracer/store/trace-store.js';

const VARIANT = 'uop-late';

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
    let diffSeconds = Infinity;
    let waveSeconds = Infinity;
    let cycle = 0;
    let cycles = 0;
    let status = '';
    for (let i = 0; i < 3; i++) {
      const store = TraceStore.open(join(dir, `d${i}.db`));
      try {
        const t0 = process.hrtime.bigint();
        const { report } = await diffTargets({ targets: ['fsim', `tsim:${VARIANT}`], createTarget, bundle, spec: makeTraceSpec({ mode: 'digest' }), store, probes: probeMapOfTarget });
        const t1 = process.hrtime.bigint();
        if (report.values !== 'diverge' || !report.first?.located) throw new Error(`conv:C10 on tsim:${VARIANT} did not diverge at a located event`);
        const dumps = await dumpWaves(report, bundle, { dir: join(dir, `w${i}`), before: 50, after: 20 });
        const t2 = process.hrtime.bigint();
        if (dumps.length !== 1) throw new Error(`expected one waveform, got ${dumps.length}`);
        diffSeconds = Math.min(diffSeconds, Number(t1 - t0) / 1e9);
        waveSeconds = Math.min(waveSeconds, Number(t2 - t1) / 1e9);
        cycle = dumps[0]!.cycle;
        cycles = report.runs[1]!.cycles ?? 0;
        status = report.runs[1]!.status;
      } finally {
        store.close();
      }
    }
    return {
      'conv:C10 tsim cycles': cycles,
      'tsim run ended': status,
      'divergent event cycle': cycle,
      'diff fsim tsim:uop-late, s (best of 3)': diffSeconds,
      '--wave step, s (best of 3)': waveSeconds,
      '--wave added to the diff, % (goal ≤ 20)': (100 * waveSeconds) / diffSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

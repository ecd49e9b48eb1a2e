/**
 * A `diverge` task (worker side): the targets of a case disagreed, so re-run them all with the
 * tracer into a scratch database and name the first divergence; its instruction kind and stream
 * are the case's failure signature (one RTL bug, one bucket).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTarget as createNamedTarget } from '../../targets/registry.js';
import { probeMapOfTarget } from '../../targets/rtl-probe-map.js';
import { dumpWaves } from '../divergence-wave.js';
import { diffTargets } from '../../tracer/diff-targets.js';
import { renderTextReport } from '../../tracer/report/text-report.js';
import { makeTraceSpec } from '../../tracer/spec.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import { RUN_LIMITS } from './run-target.js';
import { buildCase } from './build-case.js';
import type { DivergeTask, DivergeTaskResult } from './tasks.js';
import { designContext, knownContext } from '../design-context.js';

export async function findDivergence(task: DivergeTask): Promise<DivergeTaskResult> {
  const { spec } = task;
  const bundle = buildCase(spec);
  const dir = mkdtempSync(join(tmpdir(), 'vta-regress-'));
  const store = TraceStore.open(join(dir, 'case.db'));
  try {
    const createTarget = (name: string) => createNamedTarget(name, { boardsFile: task.boardsFile });
    const designs = await designContext(spec.targets, task.knownFiles);
    const known = knownContext(designs, bundle);
    // configName: the reproduce line names the case's configuration as the suite wrote it.
    const { report } = await diffTargets({ targets: spec.targets, createTarget, bundle, spec: makeTraceSpec({ mode: 'digest' }), store, limits: RUN_LIMITS, configName: spec.config, probes: probeMapOfTarget, ...(known ? { known } : {}) });
    const text = { report: renderTextReport(report), reproduce: report.reproduce };
    const f = report.first;
    if (report.verdict === 'known' && f?.known) {
      return { known: { id: f.known.id, reason: f.known.reason, link: f.known.link }, divergence: { pc: f.pc, stream: f.stream, addr: f.addr, disasm: f.disasm } };
    }
    if (f) {
      const kind = f.disasm.split(/\s{2,}|\s\|/)[0]?.trim() ?? 'unknown';
      // One folder per case: a suite's failures do not overwrite each other's files.
      const waves = task.wave ? await dumpWaves(report, bundle, { ...task.wave, dir: join(task.wave.dir, spec.id.replace(/[^\w.,=#@-]/g, '_')) }) : [];
      return {
        signature: `${kind} ${f.stream ?? ''}`.trim(),
        divergence: { pc: f.pc, stream: f.stream, addr: f.addr, disasm: f.disasm },
        ...text,
        ...(waves.length ? { waves: waves.map(({ target, cycle, time, fst, gtkw }) => ({ target, cycle, time, fst, gtkw })) } : {}),
      };
    }
    return text;
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

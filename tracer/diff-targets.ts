/**
 * `diff A B [C…]` in one call: record each target's run of one bundle into the store under one
 * trace spec, then find the first divergence, re-running windows on the same targets when the
 * spec stored too little detail.
 */
import type { Target } from '../runtime/contract/target.js';
import type { DivergenceReport } from './diverge/divergence.js';
import { findFirstDivergence, type KnownContext } from './diverge/engine.js';
import type { ProbeMapOf } from './diverge/rtl-behind.js';
import { makeRerun, type TargetFactory } from './diverge/rerun.js';
import { checkSpecFits, keepsDigests } from './spec.js';
import { traceRun, type TraceRunRequest } from './trace-run.js';

/** What every run is recorded with (as for one traceRun), plus the targets and the report window. */
export type RunRecording = Pick<TraceRunRequest, 'bundle' | 'spec' | 'store' | 'limits' | 'configName' | 'gitCommit' | 'gitDirty' | 'bundlePath'>;

export interface DiffTargetsRequest extends RunRecording {
  targets: string[];
  createTarget: TargetFactory;
  window?: number;
  /** Probe maps of RTL targets, so the report names the signals behind the divergent event. */
  probes?: ProbeMapOf;
  known?: KnownContext;
}

export async function diffTargets(req: DiffTargetsRequest): Promise<{ runIds: number[]; report: DivergenceReport }> {
  const runIds: number[] = [];
  // Only a configuration with the on-board trace unit can meet a board that returns nothing but
  // its records; computing board records from events costs the targets reporting every GEMM/ALU
  // iteration (measured on fsim, digest mode: conv:C5 0.02 s → 0.95 s), so it is done only there.
  const boardDigests = req.bundle.params.traceUnit && keepsDigests(req.spec);
  checkSpecFits(req.spec, req.bundle.insnCount);
  // Every target is made and checked before the first run: a target that cannot run the bundle
  // as asked (a seeded fault that cannot fire) fails the command before minutes of other runs.
  const targets: Target[] = [];
  try {
    for (const name of req.targets) targets.push(await req.createTarget(name));
    for (const target of targets) target.check?.(req.bundle);
    // Every simulator is built before the first run, for the same reason.
    for (const target of targets) await target.prepareRun?.(req.bundle);
    const { bundle, spec, store, limits, configName, gitCommit, gitDirty, bundlePath } = req;
    for (const target of targets) {
      const r = await traceRun({ target, bundle, spec, store, limits, configName, gitCommit, gitDirty, bundlePath, boardDigests });
      runIds.push(r.runId);
    }
  } finally {
    for (const target of targets) await target.close();
  }
  const report = await findFirstDivergence(req.store, runIds, {
    window: req.window,
    rerun: makeRerun(req.createTarget, async () => req.bundle),
    dbFile: req.store.file,
    probes: req.probes,
    ...(req.known ? { known: req.known } : {}),
  });
  return { runIds, report };
}

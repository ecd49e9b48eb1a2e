/**
 * `diff A B [C…]` in one call: record each target's run of one bundle into the store under one
 * trace spec, then find the first divergence, re-running windows on the same targets when the
 * spec stored too little detail.
 */
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import type { RunLimits } from '../targets/target.js';
import type { DivergenceReport } from './diverge/divergence.js';
import { findFirstDivergence } from './diverge/engine.js';
import { makeRerun, type TargetFactory } from './diverge/rerun.js';
import type { TraceSpec } from './spec.js';
import type { TraceStore } from './store/trace-store.js';
import { traceRun } from './trace-run.js';

export interface DiffTargetsRequest {
  targets: string[];
  createTarget: TargetFactory;
  bundle: ProgramBundle;
  spec: TraceSpec;
  store: TraceStore;
  limits?: RunLimits;
  configName?: string;
  gitCommit?: string;
  bundlePath?: string;
  window?: number;
}

export async function diffTargets(req: DiffTargetsRequest): Promise<{ runIds: number[]; report: DivergenceReport }> {
  const runIds: number[] = [];
  for (const name of req.targets) {
    const target = await req.createTarget(name);
    try {
      const r = await traceRun({ target, bundle: req.bundle, spec: req.spec, store: req.store, limits: req.limits, configName: req.configName, gitCommit: req.gitCommit, bundlePath: req.bundlePath });
      runIds.push(r.runId);
    } finally {
      await target.close();
    }
  }
  const report = await findFirstDivergence(req.store, runIds, {
    window: req.window,
    rerun: makeRerun(req.createTarget, async () => req.bundle),
    dbFile: req.store.file,
  });
  return { runIds, report };
}

/**
 * Phase 2 "re-run": run a stored run's target again on the same bundle, at full detail but only
 * inside the window, into memory. The caller supplies how to create a target by name and how to
 * get the bundle back (bundle file, or the workload regenerated from name and seed); a bundle
 * whose content hash differs from the stored one is refused rather than compared.
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import type { Target } from '../../targets/target.js';
import { MemoryRecordSink, Recorder } from '../recorder.js';
import { bundleHash, type BundleInfo } from '../store/bundle-record.js';
import type { Rerun } from './window-events.js';

export type TargetFactory = (name: string) => Promise<Target>;
export type BundleSource = (stored: BundleInfo) => Promise<ProgramBundle | undefined>;

export function makeRerun(createTarget: TargetFactory, getBundle: BundleSource): Rerun {
  return async ({ run, bundle: stored, spec }) => {
    const bundle = await getBundle(stored).catch(() => undefined);
    if (!bundle || bundleHash(bundle) !== stored.hash) return undefined;
    const target = await createTarget(run.target).catch(() => undefined);
    if (!target) return undefined;
    try {
      const sink = new MemoryRecordSink();
      const recorder = new Recorder(spec, bundle.insnCount, sink);
      await target.run({ bundle, sink: recorder }).catch(() => undefined);
      recorder.finish();
      return sink.eventGroups;
    } finally {
      await target.close();
    }
  };
}

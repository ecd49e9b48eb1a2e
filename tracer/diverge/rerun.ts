/**
 * Phase 2 "re-run": run a stored run's target again on the same bundle, at full detail but only
 * inside the window, into memory. The caller supplies how to create a target by name and how to
 * get the bundle back (bundle file, or the workload regenerated from name and seed); a bundle
 * whose content hash differs from the stored one is refused rather than compared.
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import type { Target } from '../../runtime/contract/target.js';
import { MemoryRecordSink, Recorder } from '../recorder.js';
import { bundleHash, type BundleInfo } from '../store/bundle-record.js';
import type { Rerun } from './window-events.js';

export type TargetFactory = (name: string) => Promise<Target>;
export type BundleSource = (stored: BundleInfo) => Promise<ProgramBundle | undefined>;

/**
 * A re-run that could not be made, or did not run through the window, throws RerunFailed with
 * the reason; the report then says so instead of claiming it re-ran the window.
 */
export class RerunFailed extends Error {
  override name = 'RerunFailed';
}

export function makeRerun(createTarget: TargetFactory, getBundle: BundleSource): Rerun {
  return async ({ run, bundle: stored, spec }) => {
    const bundle = await getBundle(stored).catch((e: Error) => {
      throw new RerunFailed(`the bundle could not be rebuilt: ${e.message}`);
    });
    if (!bundle) throw new RerunFailed('the bundle cannot be rebuilt (no bundle file and no workload name recorded)');
    if (bundleHash(bundle) !== stored.hash) throw new RerunFailed(`the rebuilt bundle is not the recorded one (hash ${bundleHash(bundle).slice(0, 12)}, recorded ${stored.hash.slice(0, 12)})`);
    const target = await createTarget(run.target).catch((e: Error) => {
      throw new RerunFailed(`target ${run.target} could not be made: ${e.message}`);
    });
    try {
      // The same design as the recorded run, or the window would compare another RTL's events.
      const design = await target.prepareRun?.(bundle);
      if (run.design && design && design.sourcesHash !== run.design.sourcesHash) {
        throw new RerunFailed(`${run.target} now builds other sources (hash ${design.sourcesHash.slice(0, 12)}) than the recorded run (${run.design.sourcesHash.slice(0, 12)})`);
      }
      const sink = new MemoryRecordSink();
      const recorder = new Recorder(spec, bundle.insnCount, sink);
      const result = await target.run({ bundle, sink: recorder }).catch((e: Error) => {
        throw new RerunFailed(`the re-run threw: ${e.message}`);
      });
      recorder.finish();
      // A re-run that stopped before the window's end has not shown the window; one that stopped
      // as the recorded run did (same status) shows what that run did.
      if (result.status !== 'ok' && result.status !== run.status) throw new RerunFailed(`the re-run ended ${result.status}${result.message ? `: ${result.message.split('\n')[0]}` : ''} (the recorded run ended ${run.status})`);
      return sink.eventGroups;
    } finally {
      await target.close();
    }
  };
}

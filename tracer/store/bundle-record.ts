/**
 * What a trace database keeps of a bundle: enough to disassemble, locate an instruction in its
 * workload (source map), compare with the golden outputs and reproduce the run (workload name,
 * seed, or the bundle file path).
 */
import type { ProgramBundle, OutputRange, SourceMapEntry } from '../../runtime/bundle/bundle.js';
import { insnBytes } from '../../runtime/bundle/bundle.js';
import { bundleHash } from '../../runtime/bundle/bundle-file.js';

export interface StoredBundle {
  hash: string;
  insnCount: number;
  configJson: string;
  program: Uint8Array;
  sourceMap: (SourceMapEntry | null)[];
  outputs: OutputRange[];
  workload?: ProgramBundle['workload'];
  bundlePath?: string;
}

/** What readers get back: everything but the (large) program and source map, read per instruction instead. */
export type BundleInfo = Omit<StoredBundle, 'program' | 'sourceMap'>;

/** The content hash runs are keyed by; defined beside the bundle file format so both agree. */
export { bundleHash };

export function toStoredBundle(b: ProgramBundle, bundlePath?: string): StoredBundle {
  return {
    hash: bundleHash(b),
    insnCount: b.insnCount,
    configJson: JSON.stringify(b.params.json),
    program: insnBytes(b).slice(),
    sourceMap: b.sourceMap,
    outputs: b.outputs,
    workload: b.workload,
    bundlePath,
  };
}

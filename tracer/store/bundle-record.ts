/**
 * What a trace database keeps of a bundle: enough to disassemble, locate an instruction in its
 * workload (source map), compare with the golden outputs and reproduce the run (workload name,
 * seed, or the bundle file path).
 */
import { createHash } from 'node:crypto';
import type { ProgramBundle, OutputRange, SourceMapEntry } from '../../runtime/bundle/bundle.js';
import { insnBytes } from '../../runtime/bundle/bundle.js';

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

/**
 * Identity of a bundle's content: sha256 over the config hash, instruction count, every buffer
 * (name, role, address, bytes) and the output ranges. Two runs are comparable only if equal.
 */
export function bundleHash(b: ProgramBundle): string {
  const h = createHash('sha256');
  h.update(`vta-bundle\0${b.params.hash}\0${b.insnAddr}\0${b.insnCount}\0`);
  for (const buf of [...b.buffers].sort((x, y) => x.addr - y.addr)) {
    h.update(`${buf.name}\0${buf.role}\0${buf.addr}\0${buf.bytes.length}\0`);
    h.update(buf.bytes);
  }
  for (const o of b.outputs) h.update(`out\0${o.name}\0${o.addr}\0${o.size}\0`);
  return h.digest('hex').slice(0, 32);
}

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

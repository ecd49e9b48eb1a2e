/**
 * The workload registry: a name (plus config and seed) becomes a ProgramBundle with its expected
 * outputs. `vec:<name>` are the recorded upstream-fsim programs.
 */
import type { ProgramBundle } from '../bundle/bundle.js';
import type { VtaParams } from '../config/config.js';
import { WorkloadError } from './errors.js';
import { vectorBundle, vectorPrograms } from './vector-programs.js';

export interface WorkloadOptions {
  config?: VtaParams;
  seed?: number;
  params?: Record<string, unknown>;
}

export interface WorkloadInfo {
  name: string;
  description: string;
}

/** The workload used when none is named (README demo). */
export const DEFAULT_WORKLOAD = 'vec:matmul_blocked_4x4';

export function listWorkloads(): WorkloadInfo[] {
  return vectorPrograms().map((v) => ({ name: `vec:${v.name}`, description: v.description }));
}

export function buildWorkload(name: string, opts: WorkloadOptions = {}): ProgramBundle {
  if (name.startsWith('vec:')) {
    // Recorded programs exist for the default configuration only (checked against opts.config).
    return vectorBundle(name.slice(4), opts.config);
  }
  throw new WorkloadError(`unknown workload "${name}"; known: vec:<name> (see \`vta-trace workloads\`)`);
}

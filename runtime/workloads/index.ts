/**
 * The workload registry: a name (plus config and seed) becomes a ProgramBundle with its expected
 * outputs. `vec:<name>` are the recorded upstream-fsim programs; `random` is a seeded random
 * program for any configuration (no golden result: targets are checked against each other).
 */
import type { ProgramBundle } from '../bundle/bundle.js';
import type { VtaParams } from '../config/config.js';
import { WorkloadError } from './errors.js';
import { randomProgram } from './random-program.js';
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
  return [
    ...vectorPrograms().map((v) => ({ name: `vec:${v.name}`, description: v.description })),
    { name: 'random', description: 'seeded random program (--seed) exercising every data path, for any config; no golden result' },
  ];
}

export function buildWorkload(name: string, opts: WorkloadOptions = {}): ProgramBundle {
  if (name.startsWith('vec:')) {
    // Recorded programs exist for the default configuration only (checked against opts.config).
    return vectorBundle(name.slice(4), opts.config);
  }
  if (name === 'random') {
    if (!opts.config) throw new WorkloadError('workload random needs a configuration');
    const bundle = randomProgram(opts.config, opts.seed ?? 0);
    bundle.workload = { name, seed: opts.seed ?? 0 };
    return bundle;
  }
  throw new WorkloadError(`unknown workload "${name}"; known: vec:<name>, random (see \`vta-trace workloads\`)`);
}

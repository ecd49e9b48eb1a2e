/**
 * The workload registry: a name (plus config and seed) becomes a ProgramBundle with its expected
 * outputs. `vec:<name>` are the recorded upstream-fsim programs; `random` is a seeded random
 * program for any configuration (no golden result: targets are checked against each other); the
 * rest are built with the program builder for any configuration, their expected outputs computed
 * by the golden reference (runtime/golden).
 */
import type { ProgramBundle } from '../bundle/bundle.js';
import type { VtaParams } from '../config/config.js';
import { WorkloadError } from './errors.js';
import { ALU_WORKLOADS } from './alu-workloads.js';
import { CONV2D_WORKLOADS } from './conv2d.js';
import { GEMM_WORKLOADS } from './gemm-workloads.js';
import { MEMORY_WORKLOADS } from './memory-workloads.js';
import { OPERATOR_WORKLOADS } from './operator-workloads.js';
import { randomProgram } from './random-program.js';
import type { Capabilities } from '../capabilities.js';
import type { BuilderWorkload } from './workload-kit.js';
import { vectorBundle, vectorPrograms } from './vector-programs.js';

export interface WorkloadOptions {
  config?: VtaParams;
  seed?: number;
  params?: Record<string, unknown>;
  /** Generated workloads keep inside these (runtime/capabilities.ts): today `random`. */
  capabilities?: Capabilities;
}

export interface WorkloadInfo {
  name: string;
  description: string;
}

/** The workload used when none is named (README demo). */
export const DEFAULT_WORKLOAD = 'vec:matmul_blocked_4x4';

/** Workloads built with the program builder, for any configuration, checked against the golden reference. */
export const BUILDER_WORKLOADS: readonly BuilderWorkload[] = [...ALU_WORKLOADS, ...MEMORY_WORKLOADS, ...GEMM_WORKLOADS, ...CONV2D_WORKLOADS, ...OPERATOR_WORKLOADS];

export function listWorkloads(): WorkloadInfo[] {
  return [
    ...vectorPrograms().map((v) => ({ name: `vec:${v.name}`, description: v.description })),
    { name: 'random', description: 'seeded random program (--seed) exercising every data path, for any config; no golden result' },
    ...BUILDER_WORKLOADS.map((w) => ({ name: w.name, description: w.description })),
  ];
}

export function buildWorkload(name: string, opts: WorkloadOptions = {}): ProgramBundle {
  if (name.startsWith('vec:')) {
    // Recorded programs exist for the default configuration only (checked against opts.config).
    return vectorBundle(name.slice(4), opts.config);
  }
  if (name === 'random') {
    if (!opts.config) throw new WorkloadError('workload random needs a configuration');
    // params.undefined: true allows shift amounts upstream leaves undefined (off by default).
    const undefinedBehaviour = opts.params?.undefined === true;
    const capabilities = opts.capabilities ?? (opts.params?.capabilities as Capabilities | undefined);
    const bundle = randomProgram(opts.config, opts.seed ?? 0, { ...(capabilities ? { capabilities } : {}), undefinedBehaviour });
    // What the program was restricted to is part of what rebuilds it (diff --db re-runs).
    const params = { ...(capabilities ? { capabilities } : {}), ...(undefinedBehaviour ? { undefined: true } : {}) };
    bundle.workload = { name, seed: opts.seed ?? 0, ...(Object.keys(params).length ? { params } : {}) };
    return bundle;
  }
  const builder = BUILDER_WORKLOADS.find((w) => w.name === name);
  if (builder) {
    if (!opts.config) throw new WorkloadError(`workload ${name} needs a configuration`);
    return builder.build(opts.config, opts.seed ?? 0, opts.params ?? {});
  }
  throw new WorkloadError(`unknown workload "${name}"; known: vec:<name>, random, ${builderFamilies().join(', ')} (see \`vta-trace workloads\`)`);
}

/** Builder workload names with the variants of one family folded into `family:*`. */
function builderFamilies(): string[] {
  return [...new Set(BUILDER_WORKLOADS.map((w) => (w.name.includes(':') ? `${w.name.split(':')[0]}:*` : w.name)))];
}

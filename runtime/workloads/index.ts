/**
 * The workload registry: a name (plus config and seed) becomes a ProgramBundle with its expected
 * outputs. `vec:<name>` are the recorded upstream-fsim programs; `random` is a seeded random
 * program for any configuration (no golden result: targets are checked against each other); the
 * rest are built with the program builder for any configuration, their expected outputs computed
 * by the golden reference (runtime/golden).
 */
import type { ProgramBundle } from '../bundle/bundle.js';
import type { VtaParams } from '../config/config.js';
import { didYouMean } from '../suggest.js';
import { WorkloadError } from './errors.js';
import { ALU_WORKLOADS } from './alu-workloads.js';
import { CONV2D_WORKLOADS } from './conv2d.js';
import { GEMM_WORKLOADS } from './gemm-workloads.js';
import { MEMORY_WORKLOADS } from './memory-workloads.js';
import { MEM_EDGE_WORKLOADS } from './mem-edge-workloads.js';
import { OPERATOR_WORKLOADS } from './operator-workloads.js';
import { PIPE_WORKLOADS } from './pipe-workloads.js';
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
export const BUILDER_WORKLOADS: readonly BuilderWorkload[] = [...ALU_WORKLOADS, ...MEMORY_WORKLOADS, ...MEM_EDGE_WORKLOADS, ...GEMM_WORKLOADS, ...CONV2D_WORKLOADS, ...OPERATOR_WORKLOADS, ...PIPE_WORKLOADS];

export function listWorkloads(): WorkloadInfo[] {
  return [
    ...vectorPrograms().map((v) => ({ name: `vec:${v.name}`, description: v.description })),
    { name: 'random', description: 'seeded random program (--seed) exercising every data path, for any config; no golden result' },
    ...BUILDER_WORKLOADS.map((w) => ({ name: w.name, description: w.description })),
  ];
}

export function buildWorkload(name: string, opts: WorkloadOptions = {}): ProgramBundle {
  const params = opts.params ?? {};
  // Recorded programs take no parameters; random only `undefined` (and the capabilities a design gives).
  const takes = name.startsWith('vec:') ? [] : name === 'random' ? ['undefined', 'capabilities'] : undefined;
  if (takes) {
    const wrong = Object.keys(params).filter((k) => !takes.includes(k));
    if (wrong.length) throw new WorkloadError(`workload ${name} ${takes.length ? `takes only ${takes[0]}=true|false` : 'takes no parameters'} (got ${wrong.join(', ')})`);
  }
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
    const { watched, read } = watchReads(params);
    const bundle = builder.build(opts.config, opts.seed ?? 0, watched);
    // A parameter the workload never looked at is a typo (scal=4), not a default to build silently.
    const unread = Object.keys(params).filter((k) => !read.has(k));
    if (unread.length) {
      const takes = [...read].filter((k) => k !== 'toJSON').sort();
      throw new WorkloadError(`workload ${name} has no parameter ${unread.map((k) => `"${k}"${didYouMean(k, takes)}`).join(', ')}; it takes ${takes.length ? takes.join(', ') : 'none'}`);
    }
    // The record keeps the plain parameters: a Proxy cannot cross to a worker thread.
    if (bundle.workload) bundle.workload.params = { ...params };
    return bundle;
  }
  const known = [...listWorkloads().map((w) => w.name)];
  throw new WorkloadError(`unknown workload "${name}"${didYouMean(name, known)}; known: vec:<name>, random, ${builderFamilies().join(', ')} (see \`vta-trace workloads\`)`);
}

/** The same parameters, recording which keys the workload reads. */
function watchReads(params: Record<string, unknown>): { watched: Record<string, unknown>; read: Set<string> } {
  const read = new Set<string>();
  const watched = new Proxy(params, {
    get(target, key, receiver) {
      if (typeof key === 'string') read.add(key);
      return Reflect.get(target, key, receiver);
    },
    has(target, key) {
      if (typeof key === 'string') read.add(key);
      return Reflect.has(target, key);
    },
  });
  return { watched, read };
}

/** Builder workload names with the variants of one family folded into `family:*`. */
function builderFamilies(): string[] {
  return [...new Set(BUILDER_WORKLOADS.map((w) => (w.name.includes(':') ? `${w.name.split(':')[0]}:*` : w.name)))];
}

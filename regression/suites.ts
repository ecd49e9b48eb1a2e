/**
 * Test cases as data: a workload, its seed, a configuration and the targets that run it. Suites
 * are lists of cases built from these tables; nothing here runs anything.
 */
import { BUILDER_WORKLOADS } from '../runtime/workloads/index.js';
import { vectorPrograms } from '../runtime/workloads/vector-programs.js';

export interface CaseSpec {
  /** Stable id, e.g. "vec:gemm_tile_4x3@default" or "random#7@small". */
  id: string;
  workload: string;
  config: string;
  seed: number;
  /** The first target is the reference the others are compared with. */
  targets: string[];
  /**
   * Compare with the workload's golden result. Off for recorded programs whose recording depends
   * on undefined behaviour upstream (fsim and our RTL define those cases differently, documented).
   */
  golden: boolean;
}

export type SuiteName = 'smoke' | 'commit' | 'nightly';
export const SUITES: readonly SuiteName[] = ['smoke', 'commit', 'nightly'];

/** Every fixture configuration. */
const RANDOM_CONFIGS = ['small', 'default', 'batch2', 'block32', 'rect-8x16', 'small-fork'];

function vecCases(targets: string[]): CaseSpec[] {
  return vectorPrograms().map((v) => ({ id: `vec:${v.name}@default`, workload: `vec:${v.name}`, config: 'default', seed: 0, targets, golden: !v.implementation_defined }));
}

function randomCases(configs: string[], seeds: number, targets: string[]): CaseSpec[] {
  const out: CaseSpec[] = [];
  for (const config of configs) {
    for (let seed = 1; seed <= seeds; seed++) out.push({ id: `random#${seed}@${config}`, workload: 'random', config, seed, targets, golden: true });
  }
  return out;
}

/**
 * Program-builder workloads that take milliseconds on every config (operators on single tiles up
 * to conv2d-small), by name or family prefix. The operator and network workloads (conv:C2…,
 * dense, pools, depthwise, resnet18, mobilenet) take far longer on tsim and are not in a suite yet.
 */
const QUICK_BUILDER = ['alu:', 'relu', 'shift-and-scale', 'padded-load:', 'load-store', 'gemm', 'gemm-smt', 'matmul-blocked', 'conv2d-small'];

function builderCases(configs: string[], seeds: number, targets: string[]): CaseSpec[] {
  const quick = BUILDER_WORKLOADS.map((w) => w.name).filter((n) => QUICK_BUILDER.some((q) => (q.endsWith(':') ? n.startsWith(q) : n === q)));
  const out: CaseSpec[] = [];
  for (const config of configs) {
    for (const workload of quick) {
      for (let seed = 1; seed <= seeds; seed++) out.push({ id: `${workload}#${seed}@${config}`, workload, config, seed, targets, golden: true });
    }
  }
  return out;
}

/**
 * smoke: every recorded program on fsim (seconds). commit: recorded programs, random programs and
 * the quick builder workloads on every fixture config, fsim against tsim (what CI runs), each
 * also checked against its golden result. nightly: more seeds of both.
 * `tsimVariant` swaps in a seeded-bug RTL (used to prove the suite catches it).
 */
export function suiteCases(name: SuiteName, opts: { tsimVariant?: string } = {}): CaseSpec[] {
  const tsim = opts.tsimVariant ? `tsim:${opts.tsimVariant}` : 'tsim';
  switch (name) {
    case 'smoke':
      return vecCases(['fsim']);
    case 'commit':
      return [...vecCases(['fsim', tsim]), ...randomCases(RANDOM_CONFIGS, 25, ['fsim', tsim]), ...builderCases(RANDOM_CONFIGS, 1, ['fsim', tsim])];
    case 'nightly':
      return [...vecCases(['fsim', tsim]), ...randomCases(RANDOM_CONFIGS, 200, ['fsim', tsim]), ...builderCases(RANDOM_CONFIGS, 5, ['fsim', tsim])];
  }
}

/** Keep case k of a suite when k mod n = i − 1 (`--shard i/n`): deterministic, disjoint, complete. */
export function shard<T>(cases: T[], index: number, count: number): T[] {
  return cases.filter((_, k) => k % count === index - 1);
}

/**
 * Test cases as data: a workload, its seed, a configuration and the targets that run it. Suites
 * are lists of cases built from these tables; nothing here runs anything.
 */
import { RESNET18_CONVS } from '../runtime/lowering/conv-shape.js';
import { BUILDER_WORKLOADS } from '../runtime/workloads/index.js';
import { MEM_EDGE_WORKLOADS } from '../runtime/workloads/mem-edge-workloads.js';
import { vectorPrograms } from '../runtime/workloads/vector-programs.js';
import { workloadSpecText } from '../runtime/workloads/workload-spec.js';

/** Workload parameters of a case (WorkloadOptions.params): plain data, part of the case's id. */
export type CaseParams = Readonly<Record<string, number>>;

export interface CaseSpec {
  /** Stable id, e.g. "vec:gemm_tile_4x3@default", "random#7@small" or "conv:C2,scale=4#1@small" (caseId). */
  id: string;
  workload: string;
  /** Workload parameters; absent means the workload's defaults (for conv:C2… the full-size layer). */
  params?: CaseParams;
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

/**
 * `workload[,key=value…]#seed@config`. Parameters are sorted by key so one case has one id, and
 * joined with commas like a fault's (fsim+alu-op:pc=3,op=2): no regular-expression metacharacter,
 * so `--filter 'conv:C2,scale=4'` matches literally.
 */
export function caseId(workload: string, params: CaseParams | undefined, seed: number, config: string): string {
  return `${workloadSpecText(workload, params)}#${seed}@${config}`;
}

/** Every fixture configuration. */
const RANDOM_CONFIGS = ['small', 'default', 'batch2', 'block32', 'rect-8x16', 'small-fork'];

function vecCases(targets: string[]): CaseSpec[] {
  return vectorPrograms().map((v) => ({ id: `vec:${v.name}@default`, workload: `vec:${v.name}`, config: 'default', seed: 0, targets, golden: !v.implementation_defined }));
}

/** A workload's cases with seeds 1…seeds on one config, each checked against its golden result. */
function seededCases(workload: string, config: string, seeds: number, targets: string[], params?: CaseParams): CaseSpec[] {
  return Array.from({ length: seeds }, (_, k) => ({ id: caseId(workload, params, k + 1, config), workload, ...(params ? { params } : {}), config, seed: k + 1, targets, golden: true }));
}

function randomCases(configs: string[], seeds: number, targets: string[]): CaseSpec[] {
  return configs.flatMap((config) => seededCases('random', config, seeds, targets));
}

/**
 * Program-builder workloads that take milliseconds on every config (operators on single tiles up
 * to conv2d-small), by name or family prefix. The operator workloads have their own cases
 * (resnetLayerCases), the whole networks theirs (networkCases); depthwise runs inside MobileNet.
 */
const QUICK_BUILDER = ['alu:', 'pipe:', 'relu', 'shift-and-scale', 'padded-load:', 'load-store', 'gemm', 'gemm-smt', 'matmul-blocked', 'conv2d-small'];

function builderCases(configs: string[], seeds: number, targets: string[]): CaseSpec[] {
  const quick = BUILDER_WORKLOADS.map((w) => w.name).filter((n) => QUICK_BUILDER.some((q) => (q.endsWith(':') ? n.startsWith(q) : n === q)));
  return configs.flatMap((config) => quick.flatMap((workload) => seededCases(workload, config, seeds, targets)));
}

/** The configurations that get ResNet-18 layers at full size; the rest get them scaled down by LAYER_SCALE. */
const FULL_SIZE_CONFIGS = ['default'];
/**
 * Divides height, width and both channel counts of a convolution on the other configurations:
 * at full size a 1×4×4 core needs about 15× the default's cycles (conv:C2 on small: 7.46 M
 * cycles, 7.8 s on tsim and 2.6 s to build, measured here).
 */
const LAYER_SCALE = 4;

/**
 * ResNet-18 layers as the network runs them: every convolution C2…C11 (3×3 and 1×1, stride 1 and
 * 2) with seeded data and requantisation, and the layers around them (3×3/2 max pool, global
 * average pool, 512→1000 classifier), each checked against the golden result. Full size on the
 * default configuration (up to 0.7 s each on tsim and 0.9 s to build here); convolutions scaled by LAYER_SCALE
 * on every other configuration.
 */
function resnetLayerCases(configs: string[], seeds: number, targets: string[]): CaseSpec[] {
  const out: CaseSpec[] = [];
  const add = (workload: string, config: string, params?: CaseParams) => out.push(...seededCases(workload, config, seeds, targets, params));
  for (const config of configs) {
    const full = FULL_SIZE_CONFIGS.includes(config);
    for (const s of RESNET18_CONVS) add(`conv:${s.name}`, config, full ? undefined : { scale: LAYER_SCALE });
    if (full) for (const w of ['maxpool', 'avgpool', 'dense']) add(w, config);
  }
  return out;
}

/** Configurations whose stored int8 layer outputs can be read back as the next layer's input (BLOCK_IN = BLOCK_OUT). */
const NETWORK_CONFIGS = RANDOM_CONFIGS.filter((c) => c !== 'rect-8x16');

/**
 * Whole networks, every layer on the accelerator in one bundle, each layer's output checked
 * against the golden network. `full`: ResNet-18 from conv2 at 224×224 on the default
 * configuration (about 7 M cycles) and MobileNet-1.0 at 224×224 there, beside the scaled-down
 * ones; otherwise only networks shrunk to a few thousand cycles' worth of layers per config,
 * which still have every layer kind, the strided blocks and the fused residual adds.
 */
function networkCases(configs: string[], seeds: number, targets: string[], full: boolean): CaseSpec[] {
  const big: CaseSpec[] = [];
  const small: CaseSpec[] = [];
  const add = (to: CaseSpec[], workload: string, config: string, params?: CaseParams) => to.push(...seededCases(workload, config, seeds, targets, params));
  for (const config of configs) {
    add(small, 'resnet18', config, { hw: 8, width: 16, classes: 10 });
    add(small, 'mobilenet', config, { hw: 32, width: 4, classes: 10 });
    if (full && FULL_SIZE_CONFIGS.includes(config)) {
      add(big, 'resnet18', config);
      add(big, 'mobilenet', config);
    }
  }
  // Longest first, for the same reason as the suites' order (suiteCases).
  return [...big, ...small];
}

/**
 * The smoke suite's cross-target cases: one of each data path (random programs, multi-micro-op
 * GEMM, ALU with tensor and immediate operands, a load padded on every side, a small convolution)
 * on the small configuration, where the simulator builds and runs fastest; fsim against tsim in
 * seconds once tsim is built. They catch the seeded-bug variants that the in-order memory shows
 * (uop-late, alu-swap, pad-value).
 */
function smokeCrossCases(targets: string[]): CaseSpec[] {
  const config = 'small';
  return [
    ...seededCases('random', config, 3, targets),
    ...['gemm', 'matmul-blocked', 'alu:add-tensor', 'alu:shr-tensor', 'alu:max-imm', 'padded-load:top-bottom-left-right', 'conv2d-small'].flatMap((w) => seededCases(w, config, 1, targets)),
  ];
}

/**
 * The on-board trace unit's configuration (small with TRACE_UNIT, whose compute path is a single
 * pipe: vta_core.sv DualPipe = !TRACE_UNIT): random programs and the quick builder workloads that
 * use every data path once, so that the unit's records and the single-pipe compute path are
 * compared with fsim in every commit run. Milliseconds each on tsim once built.
 */
const TRACE_CONFIG = 'small-trace';
const TRACE_BUILDER = ['gemm', 'matmul-blocked', 'alu:add-tensor', 'alu:max-imm', 'load-store', 'padded-load:top-bottom-left-right', 'conv2d-small', 'pipe:early-load-push'];

function traceUnitCases(seeds: number, targets: string[]): CaseSpec[] {
  return [...seededCases('random', TRACE_CONFIG, 4 * seeds, targets), ...TRACE_BUILDER.flatMap((w) => seededCases(w, TRACE_CONFIG, seeds, targets))];
}

/**
 * The `mem:` workloads (memory instructions at the edges of their encoding, mem-edge-workloads.ts):
 * one case each on the small configuration, under a second of tsim each. tsim places their bundle
 * as a board does (`+dma`: VCR base registers non-zero, every other case runs with upstream's
 * zeros), so a DRAM address formed without its base register fails them.
 */
function memEdgeCases(tsim: string): CaseSpec[] {
  return MEM_EDGE_WORKLOADS.flatMap((w) => seededCases(w.name, 'small', 1, ['fsim', `${tsim}@in-order+dma`]));
}

/**
 * smoke: every recorded program on fsim, and a few cases of each data path fsim against tsim on
 * the small configuration (about a minute with tsim built). commit: recorded programs, random programs,
 * the quick builder workloads, ResNet-18 layers and scaled-down whole networks on every fixture
 * config but small-trace, the trace unit's cases on small-trace and the `mem:` edge cases on small (bundle placed as on a board), fsim against tsim (what CI runs), each also checked against its golden result.
 * nightly: more seeds of each, and the full-size networks on the default config.
 * The networks and ResNet-18 layers come first: the pools start on their longest cases and end on
 * millisecond ones, instead of one pool finishing early and idling while the other runs the last
 * full-size layers. `tsimVariant` swaps in a seeded-bug RTL (used to prove the suite catches it).
 */
export function suiteCases(name: SuiteName, opts: { tsimVariant?: string } = {}): CaseSpec[] {
  const tsim = opts.tsimVariant ? `tsim:${opts.tsimVariant}` : 'tsim';
  switch (name) {
    case 'smoke':
      return [...smokeCrossCases(['fsim', tsim]), ...vecCases(['fsim'])];
    case 'commit':
      return [...networkCases(NETWORK_CONFIGS, 1, ['fsim', tsim], false), ...resnetLayerCases(RANDOM_CONFIGS, 1, ['fsim', tsim]), ...vecCases(['fsim', tsim]), ...randomCases(RANDOM_CONFIGS, 25, ['fsim', tsim]), ...builderCases(RANDOM_CONFIGS, 1, ['fsim', tsim]), ...traceUnitCases(1, ['fsim', tsim]), ...memEdgeCases(tsim)];
    case 'nightly':
      return [...networkCases(NETWORK_CONFIGS, 1, ['fsim', tsim], true), ...resnetLayerCases(RANDOM_CONFIGS, 3, ['fsim', tsim]), ...vecCases(['fsim', tsim]), ...randomCases(RANDOM_CONFIGS, 200, ['fsim', tsim]), ...builderCases(RANDOM_CONFIGS, 5, ['fsim', tsim]), ...traceUnitCases(5, ['fsim', tsim])];
  }
}

/** Keep case k of a suite when k mod n = i − 1 (`--shard i/n`): deterministic, disjoint, complete. */
export function shard<T>(cases: T[], index: number, count: number): T[] {
  return cases.filter((_, k) => k % count === index - 1);
}

/** The same cases on other targets (`regress --targets`): the first is the reference. */
export function withTargets(cases: CaseSpec[], targets: string[]): CaseSpec[] {
  return cases.map((c) => ({ ...c, targets: [...targets] }));
}

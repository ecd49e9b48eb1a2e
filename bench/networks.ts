/**
 * ResNet-18 end to end (from conv2 to the classifier, every layer on the accelerator, default
 * configuration): cycles on our RTL (tsim) against the compute bound MACs / (BATCH·BLOCK_IN·
 * BLOCK_OUT) — the paper reports 38 M cycles originally, ≈ 4.9× fewer with pipelined GEMM/ALU,
 * goal ≤ 7.0 M — wall time to build the bundle (mostly the golden reference), to run it on fsim
 * and on tsim, and what the cycles are spent on (GEMM and ALU micro-op iterations, bytes
 * loaded), to say what limits them. `VTA_BENCH_NET_HW` / `VTA_BENCH_NET_WIDTH` shrink the
 * network (e.g. 28 / 32) for a quick run; `VTA_BENCH_NET_TARGETS=fsim` skips tsim.
 */
import { resolveConfig } from '../runtime/config/fixtures.js';
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import { sameBytes } from '../runtime/typed-arrays.js';
import { decodeProgram } from '../runtime/isa/codec.js';
import { chooseConvPlan } from '../runtime/lowering/conv-plan.js';
import { networkMacs, resnet18 } from '../runtime/lowering/networks.js';
import { OPERATOR_WORKLOADS } from '../runtime/workloads/operator-workloads.js';
import { createTarget } from '../targets/registry.js';
import type { RunResult } from '../runtime/contract/target.js';
import type { EventSink } from '../runtime/contract/events.js';

const outputsOnly: EventSink = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };

/**
 * Compute retires only (no buffer writes): enough to say where the cycles go. Each compute
 * instruction is charged the cycles since the previous compute retire (retires are in program
 * order), and those are summed per layer kind against the layers' micro-op iterations.
 */
class ComputeWindows implements EventSink {
  readonly wantsEvents = true;
  readonly wantsIters = false;
  readonly retires: { pc: number; cycle: number }[] = [];
  wants(): boolean {
    return false;
  }
  write(): void {}
  iter(): void {}
  retire(pc: number, module: string, cycle: number): void {
    if (module === 'compute') this.retires.push({ pc, cycle });
  }
}

/** Layer kind from a source-map op name: s2b1.down → down, s1b1.add → add, s1b1.conv2 → conv, fc, pool. */
function layerKind(op: string): string {
  const leaf = op.split('.').pop()!.replace(/\[.*$/, '');
  return /^conv/.test(leaf) ? 'conv' : leaf;
}

/**
 * Cycles per layer kind beyond its accumulating GEMM iterations — the work pipe A cannot hide:
 * what is left is waiting (for loads, stores, tokens) and ALU or reset work the second pipe did
 * not overlap.
 */
function cyclesBeyondIterations(bundle: ProgramBundle, w: ComputeWindows): string {
  const p = bundle.params;
  const insns = decodeProgram(p, bundle.buffers.find((b) => b.role === 'insn')!.bytes);
  const extra = new Map<string, number>();
  let prev = 0;
  for (const { pc, cycle } of w.retires) {
    const i = insns[pc]!;
    const iters = i.opcode === 2 && !i.reset_reg ? Math.max(0, i.uop_end - i.uop_bgn) * i.iter_out * i.iter_in : 0;
    const kind = layerKind(bundle.sourceMap[pc]?.op ?? '?');
    extra.set(kind, (extra.get(kind) ?? 0) + cycle - prev - iters);
    prev = cycle;
  }
  return [...extra].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${Math.round(v / 1000)}k`).join(', ');
}

function matches(bundle: ProgramBundle, r: RunResult): boolean {
  return r.status === 'ok' && r.outputs.every((o) => {
    const want = bundle.expected?.[o.name];
    return sameBytes(want, o.bytes);
  });
}

async function timedRun(targetName: string, bundle: ProgramBundle, sink: EventSink = outputsOnly) {
  const target = await createTarget(targetName);
  try {
    const t0 = performance.now();
    const r = await target.run({ bundle, sink, limits: { maxCycles: 2e9, timeoutMs: 3_600_000 } });
    return { r, ms: performance.now() - t0 };
  } finally {
    await target.close();
  }
}

export async function benchNetworks(): Promise<Record<string, number | string>> {
  const p = resolveConfig('default');
  const params: Record<string, unknown> = {};
  if (process.env.VTA_BENCH_NET_HW) params.hw = Number(process.env.VTA_BENCH_NET_HW);
  if (process.env.VTA_BENCH_NET_WIDTH) params.width = Number(process.env.VTA_BENCH_NET_WIDTH);
  const targets = (process.env.VTA_BENCH_NET_TARGETS ?? 'fsim,tsim').split(',');
  const net = resnet18(params);
  const macs = networkMacs(net);
  // Convolutions whose loads overlap their GEMMs (two virtual threads); the rest load, then compute.
  const convs = net.layers.flatMap((l) => (l.kind === 'conv' ? [l.shape] : []));
  const doubleBuffered = convs.filter((s) => chooseConvPlan(s, p).threads === 2).length;
  const bound = macs / (p.batch * p.blockIn * p.blockOut);
  const t0 = performance.now();
  const bundle = OPERATOR_WORKLOADS.find((w) => w.name === 'resnet18')!.build(p, 1, params);
  const out: Record<string, number | string> = {
    'resnet18 MACs (conv2..fc)': macs,
    'resnet18 compute-bound cycles': Math.round(bound),
    'resnet18 instructions': bundle.insnCount,
    'resnet18 convs double-buffered': `${doubleBuffered}/${convs.length}`,
    'resnet18 build + golden ms': Math.round(performance.now() - t0),
  };
  for (const name of targets) {
    const { r, ms } = await timedRun(name, bundle);
    out[`${name} wall ms`] = Math.round(ms);
    out[`${name} outputs equal golden`] = matches(bundle, r) ? 'yes' : `no (${r.status}${r.message ? `: ${r.message}` : ''})`;
    out[`${name} cycles`] = r.counters.cycles;
    if (name !== 'tsim') continue;
    const c = r.counters;
    out['tsim cycles / compute bound'] = c.cycles / bound;
    out['tsim GEMM uop iterations'] = c.gemmOps;
    out['tsim ALU uop iterations'] = c.aluOps;
    // With one compute pipe every GEMM or ALU micro-op iteration (resets and requantisation
    // included) takes a cycle of its own, so their sum was the floor; the second pipe runs ALU
    // and resets beside the GEMMs, so the cycles may now go below it.
    out['tsim GEMM+ALU iterations (the floor with one compute pipe)'] = c.gemmOps + c.aluOps;
    out['tsim GEMM+ALU iterations / cycles'] = (c.gemmOps + c.aluOps) / c.cycles;
    out['tsim bytes loaded inp/wgt/uop/acc'] = `${c.bytes.inp}/${c.bytes.wgt}/${c.bytes.uop}/${c.bytes.acc}`;
    if (c.busy) out['tsim busy cycles load/compute/store'] = `${c.busy.load}/${c.busy.compute}/${c.busy.store}`;
    // A second run with compute retires on (the first is timed untraced).
    const windows = new ComputeWindows();
    await timedRun(name, bundle, windows);
    out['tsim cycles beyond accumulating GEMM iterations, by layer kind'] = cyclesBeyondIterations(bundle, windows);
  }
  return out;
}

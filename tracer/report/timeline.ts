/**
 * The per-module timeline of one stored run: for every retired instruction, the cycles its module
 * was busy with it. Targets record only the retire cycle, so the start is inferred from the ISA:
 * an instruction starts when its module has retired the one before it and every token it pops
 * has been pushed (a token is pushed when its producer retires, vta-isa.md §2.9; the k-th pop of
 * a queue takes the k-th push). A gap in a module's lane is then a bubble: the module waited for a
 * token. The time from that start to the retire includes the module's own latency (DRAM, pipeline).
 */
import type { VtaParams } from '../../runtime/config/config.js';
import { decodeInsn } from '../../runtime/isa/codec.js';
import { queuesOf, type DepQueue, type Module } from '../../runtime/isa/insn.js';
import type { TraceStore } from '../store/trace-store.js';

export interface RunTimeline {
  runId: number;
  target: string;
  /** One entry per retired instruction, in retire order per module; parallel arrays. */
  module: Module[];
  pc: Uint32Array;
  start: Float64Array;
  end: Float64Array;
}

const RETIRE_STREAMS = ['insn.load', 'insn.compute', 'insn.store'] as const;

interface Retire {
  module: Module;
  pc: number;
  cycle: number;
  bytes: Uint8Array;
}

export function runTimeline(store: TraceStore, params: VtaParams, runId: number): RunTimeline {
  const run = store.run(runId);
  const retires: Retire[] = store.eventGroups(runId, { streams: RETIRE_STREAMS }).map((g) => ({
    module: g.stream.slice('insn.'.length) as Module,
    pc: g.pc,
    cycle: g.cycles[0]!,
    bytes: g.data.subarray(0, 16),
  }));
  return { runId, target: run.target, ...busyIntervals(params, retires) };
}

/** The busy interval of every retire (exported for its test: a hand-made token exchange). */
export function busyIntervals(params: VtaParams, retires: readonly Retire[]): Omit<RunTimeline, 'runId' | 'target'> {
  // Retires sorted by cycle so that every push is known before a pop that depends on it; ties
  // keep program order (a token pushed at cycle c can be popped at cycle c).
  const order = retires.map((_, i) => i).sort((a, b) => retires[a]!.cycle - retires[b]!.cycle || retires[a]!.pc - retires[b]!.pc);
  const pushes: Record<DepQueue, number[]> = { ld2cmp: [], cmp2ld: [], cmp2st: [], st2cmp: [] };
  const pops: Record<DepQueue, number> = { ld2cmp: 0, cmp2ld: 0, cmp2st: 0, st2cmp: 0 };
  const lastRetire: Record<Module, number> = { load: 0, compute: 0, store: 0 };
  const n = retires.length;
  const out = { module: new Array<Module>(n), pc: new Uint32Array(n), start: new Float64Array(n), end: new Float64Array(n) };
  order.forEach((i, k) => {
    const r = retires[i]!;
    const insn = decodeInsn(params, r.bytes);
    const q = queuesOf(r.module);
    let start = lastRetire[r.module];
    for (const flag of ['pop_prev_dep', 'pop_next_dep'] as const) {
      const queue = q[flag];
      if (!insn[flag] || !queue) continue;
      const pushedAt = pushes[queue][pops[queue]++];
      if (pushedAt !== undefined) start = Math.max(start, pushedAt);
    }
    start = Math.min(start, r.cycle);
    for (const flag of ['push_prev_dep', 'push_next_dep'] as const) {
      const queue = q[flag];
      if (insn[flag] && queue) pushes[queue].push(r.cycle);
    }
    lastRetire[r.module] = r.cycle;
    out.module[k] = r.module;
    out.pc[k] = r.pc;
    out.start[k] = start;
    out.end[k] = r.cycle;
  });
  return out;
}


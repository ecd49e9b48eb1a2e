/**
 * What the tsim target needs to know about a program without running it: which module each
 * instruction goes to (to turn "k-th retire of module M" into a program index), the counters
 * upstream's profiler would report for the instructions that retired, and — when the design
 * stalls — whether the stall is a token deadlock.
 */
import type { VtaParams } from '../../runtime/config/config.js';
import { insnBytes, type ProgramBundle } from '../../runtime/bundle/bundle.js';
import { decodeInsn } from '../../runtime/isa/codec.js';
import { MODULES, moduleOf, queuesOf, type DepQueue, type Insn, type Module } from '../../runtime/isa/insn.js';
import { MEM_ID } from '../../runtime/isa/layout.js';
import type { BlockedInsn, Counters } from '../../runtime/contract/target.js';

export interface ProgramView {
  /** Decoded instructions; undefined where the bytes do not decode (they go to compute, like HLS). */
  insns: (Insn | undefined)[];
  /** Program indices of each module's instructions, in program order. */
  pcs: Record<Module, number[]>;
}

export function viewProgram(bundle: ProgramBundle): ProgramView {
  const bytes = insnBytes(bundle);
  const insns: (Insn | undefined)[] = [];
  const pcs: Record<Module, number[]> = { load: [], compute: [], store: [] };
  for (let pc = 0; pc < bundle.insnCount; pc++) {
    let insn: Insn | undefined;
    try {
      insn = decodeInsn(bundle.params, bytes, pc * 16, pc);
    } catch {
      insn = undefined;
    }
    insns.push(insn);
    pcs[insn ? moduleOf(insn) : 'compute'].push(pc);
  }
  return { insns, pcs };
}

/** The first `retired[m]` instructions of each module: what actually ran. */
function retiredPcs(view: ProgramView, retired: Record<Module, number>): number[] {
  return MODULES.flatMap((m) => view.pcs[m].slice(0, retired[m]));
}

/** Bytes moved, GEMM and ALU iterations, counted as upstream's profiler does, over retired instructions. */
export function staticCounters(p: VtaParams, view: ProgramView, retired: Record<Module, number>): Omit<Counters, 'cycles'> {
  const c: Omit<Counters, 'cycles'> = {
    insns: { ...retired },
    bytes: { uop: 0, inp: 0, wgt: 0, acc: 0, out: 0 },
    gemmOps: 0,
    aluOps: 0,
  };
  for (const pc of retiredPcs(view, retired)) {
    const i = view.insns[pc];
    if (!i) continue;
    if (i.opcode === 0 || i.opcode === 1) {
      const n = i.x_size * i.y_size;
      if (i.opcode === 1) c.bytes.out += n * p.elemBytes.out;
      else if (i.memory_type === MEM_ID.UOP) c.bytes.uop += n * p.elemBytes.uop;
      else if (i.memory_type === MEM_ID.INP) c.bytes.inp += n * p.elemBytes.inp;
      else if (i.memory_type === MEM_ID.WGT) c.bytes.wgt += n * p.elemBytes.wgt;
      else if (i.memory_type === MEM_ID.ACC) c.bytes.acc += n * p.elemBytes.acc;
      else if (i.memory_type === MEM_ID.ACC_8BIT) c.bytes.acc += n * p.batch * p.blockOut;
    } else if (i.opcode === 2 || i.opcode === 4) {
      const n = i.iter_out * i.iter_in * Math.max(0, i.uop_end - i.uop_bgn);
      if (i.opcode === 4) c.aluOps += n;
      else if (!i.reset_reg) c.gemmOps += n;
    }
  }
  return c;
}

const POPS = ['pop_prev_dep', 'pop_next_dep'] as const;
const PUSHES = ['push_prev_dep', 'push_next_dep'] as const;

/**
 * Given how many instructions each module retired, is every module that still has work waiting
 * for a token nobody pushed? Then the stall is a token deadlock and these are the blocked
 * instructions; otherwise (undefined) it is a hang of the design itself.
 */
export function tokenDeadlock(view: ProgramView, retired: Record<Module, number>): BlockedInsn[] | undefined {
  const tokens: Record<DepQueue, number> = { ld2cmp: 0, cmp2ld: 0, cmp2st: 0, st2cmp: 0 };
  for (const m of MODULES) {
    const q = queuesOf(m);
    for (const pc of view.pcs[m].slice(0, retired[m])) {
      const i = view.insns[pc];
      if (!i) continue;
      for (const f of PUSHES) if (i[f] && q[f]) tokens[q[f]!]++;
      for (const f of POPS) if (i[f] && q[f]) tokens[q[f]!]--;
    }
  }
  const blocked: BlockedInsn[] = [];
  let waiting = 0;
  for (const m of MODULES) {
    const pc = view.pcs[m][retired[m]];
    if (pc === undefined) continue;
    waiting++;
    const i = view.insns[pc];
    const q = queuesOf(m);
    const empty = i ? POPS.map((f) => (i[f] ? q[f] : null)).find((queue) => queue !== null && tokens[queue] <= 0) : undefined;
    if (empty) blocked.push({ pc, module: m, queue: empty });
  }
  return waiting > 0 && blocked.length === waiting ? blocked : undefined;
}

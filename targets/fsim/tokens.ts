/**
 * The dependency-token plan of a program, worked out before the run: which queues an instruction
 * pops and pushes depends only on its module and flags — its meta byte (decoded.ts) — so it is a
 * table of the 64 meta values, the same for every program, that the scheduler indexes per
 * instruction. What is per program is small and comes from the preparation pass's counts: each
 * queue's capacity and how many instructions each module runs.
 */
import { MODULES, queuesOf, type DepFlags, type DepQueue } from '../../runtime/isa/insn.js';
import type { DecodedProgram } from './decoded.js';
import type { Fault } from './faults.js';
import { POP_NEXT, POP_PREV, PUSH_NEXT, PUSH_PREV } from './slots.js';

export const QUEUE_NAMES: readonly DepQueue[] = ['ld2cmp', 'cmp2ld', 'cmp2st', 'st2cmp'];

const FLAGS: readonly { name: keyof DepFlags; bit: number }[] = [
  { name: 'pop_prev_dep', bit: POP_PREV },
  { name: 'pop_next_dep', bit: POP_NEXT },
  { name: 'push_prev_dep', bit: PUSH_PREV },
  { name: 'push_next_dep', bit: PUSH_NEXT },
];

/** queueOf[module][flag index] = queue number, or −1 where the module has no such queue. */
const queueOf: number[][] = MODULES.map((m) => FLAGS.map((fl) => {
  const q = queuesOf(m)[fl.name];
  return q ? QUEUE_NAMES.indexOf(q) : -1;
}));

/** By meta value: the queues popped, in flag order (prev, then next; −1 = none). */
export const POP_FIRST = new Int8Array(64).fill(-1);
export const POP_SECOND = new Int8Array(64).fill(-1);
/** By meta value: bit q set when the instruction pushes queue q. */
export const PUSHES = new Uint8Array(64);
/** By meta value: why an instruction with it crashes (a flag names a queue its module lacks), or undefined. */
export const INVALID: readonly (string | undefined)[] = Array.from({ length: 64 }, (_, meta) => {
  const m = meta & 3;
  const flags = meta >>> 2;
  if (m > 2) return undefined;
  const prev = flags & POP_PREV ? queueOf[m]![0]! : -1;
  const next = flags & POP_NEXT ? queueOf[m]![1]! : -1;
  POP_FIRST[meta] = prev >= 0 ? prev : next;
  POP_SECOND[meta] = prev >= 0 ? next : -1;
  for (const i of [2, 3]) if (flags & FLAGS[i]!.bit && queueOf[m]![i]! >= 0) PUSHES[meta]! |= 1 << queueOf[m]![i]!;
  const bad = FLAGS.findIndex((fl, i) => flags & fl.bit && queueOf[m]![i]! < 0);
  return bad < 0 ? undefined : `${FLAGS[bad]!.name} is set but the ${MODULES[m]} module has no such queue`;
});

export interface TokenPlan {
  /** Room for each queue's pushes over the whole program: the number of instructions with the flag that pushes it. */
  readonly capacity: readonly number[];
  /** Instructions per module. */
  readonly perModule: readonly number[];
  /** The instruction whose pushes the seeded drop-token fault drops, or −1. */
  readonly dropPushesAt: number;
}

export function planTokens(prog: DecodedProgram, fault: Fault | undefined): TokenPlan {
  // ld2cmp and cmp2st are pushed by push_next_dep, cmp2ld and st2cmp by push_prev_dep.
  const capacity = QUEUE_NAMES.map((_, q) => (queueOf.some((byFlag) => byFlag[3] === q) ? prog.pushNext : prog.pushPrev));
  return { capacity, perModule: prog.perModule, dropPushesAt: fault?.kind === 'drop-token' ? fault.pc : -1 };
}

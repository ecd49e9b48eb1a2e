/**
 * The dependency-token plan of a program, worked out once before the run: which queues each
 * instruction pops and pushes, as small integers, and which instructions name a queue their
 * module does not have (a crash when they execute). The scheduler then gates instructions with
 * array lookups instead of per-instruction objects.
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

export interface TokenPlan {
  /** Queues each instruction pops, in flag order (prev, then next); −1 = none. */
  readonly popFirst: Int8Array;
  readonly popSecond: Int8Array;
  /** Bit q set when the instruction pushes queue q. */
  readonly pushes: Uint8Array;
  /** Instructions whose flags name a queue their module lacks, with the crash message. */
  readonly invalid: ReadonlyMap<number, string>;
  /** Pushes per queue over the whole program: a bound on each queue's length. */
  readonly capacity: readonly number[];
}

export function planTokens(prog: DecodedProgram, fault: Fault | undefined): TokenPlan {
  const n = prog.count;
  const popFirst = new Int8Array(n).fill(-1);
  const popSecond = new Int8Array(n).fill(-1);
  const pushes = new Uint8Array(n);
  const invalid = new Map<number, string>();
  const capacity = [0, 0, 0, 0];
  for (let pc = 0; pc < n; pc++) {
    const m = prog.module[pc]!;
    const flags = prog.flags[pc]!;
    if (!flags) continue;
    for (let i = 0; i < FLAGS.length; i++) {
      if (flags & FLAGS[i]!.bit && queueOf[m]![i]! < 0 && !invalid.has(pc)) {
        invalid.set(pc, `${FLAGS[i]!.name} is set but the ${MODULES[m]} module has no such queue`);
      }
    }
    const prev = flags & POP_PREV ? queueOf[m]![0]! : -1;
    const next = flags & POP_NEXT ? queueOf[m]![1]! : -1;
    popFirst[pc] = prev >= 0 ? prev : next;
    popSecond[pc] = prev >= 0 ? next : -1;
    // The seeded bug drop-token makes an instruction forget its pushes.
    if (fault?.kind === 'drop-token' && fault.pc === pc) continue;
    for (const i of [2, 3]) {
      const q = flags & FLAGS[i]!.bit ? queueOf[m]![i]! : -1;
      if (q >= 0) {
        pushes[pc] |= 1 << q;
        capacity[q]++;
      }
    }
  }
  return { popFirst, popSecond, pushes, invalid, capacity };
}

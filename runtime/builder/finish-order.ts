/**
 * Whether a program's FINISH waits for everything: upstream's fsim runs the three module queues
 * in a loop and stops after the round in which the last instruction it ran was a FINISH
 * (sim_tlpp.cc, `done_`), starting each round at a random module. So every instruction of every
 * module must happen before the last FINISH — through its module's order and the dependency
 * tokens — or upstream's fsim hangs or not depending on which module starts first.
 *
 * Happens-before: each instruction after the previous one of its module; the k-th pop of a token
 * queue after the k-th push onto it (tokens are counted, so the k-th pop cannot proceed earlier).
 */
import { MODULES, moduleOf, queuesOf, type DepFlags, type DepQueue, type Insn, type Module } from '../isa/insn.js';

const FLAGS: (keyof DepFlags)[] = ['pop_prev_dep', 'pop_next_dep', 'push_prev_dep', 'push_next_dep'];

export interface FinishOrderProblem {
  /** The instruction FINISH does not wait for (or the program's last, when there is no FINISH). */
  index: number;
  reason: string;
}

/** The first instruction left unordered before the last FINISH, or null when FINISH waits for all. */
export function finishOrderProblem(insns: readonly Insn[]): FinishOrderProblem | null {
  const finish = insns.map((x) => x.opcode).lastIndexOf(3);
  if (finish < 0) return insns.length ? { index: insns.length - 1, reason: 'the program has no FINISH instruction' } : null;

  const before: number[][] = insns.map(() => []);
  const lastOf: Partial<Record<Module, number>> = {};
  const pushes: Record<DepQueue, number[]> = { ld2cmp: [], cmp2ld: [], cmp2st: [], st2cmp: [] };
  const pops: Record<DepQueue, number[]> = { ld2cmp: [], cmp2ld: [], cmp2st: [], st2cmp: [] };
  insns.forEach((insn, i) => {
    const m = moduleOf(insn);
    if (lastOf[m] !== undefined) before[i]!.push(lastOf[m]!);
    lastOf[m] = i;
    for (const flag of FLAGS) {
      const q = insn[flag] ? queuesOf(m)[flag] : null;
      if (q) (flag.startsWith('pop') ? pops : pushes)[q].push(i);
    }
  });
  for (const q of Object.keys(pops) as DepQueue[]) pops[q].forEach((i, k) => pushes[q][k] !== undefined && before[i]!.push(pushes[q][k]!));

  const waited = new Uint8Array(insns.length);
  const stack = [finish];
  waited[finish] = 1;
  while (stack.length) for (const j of before[stack.pop()!]!) if (!waited[j]) (waited[j] = 1), stack.push(j);

  const compute = lastOf.compute!;
  if (compute !== finish) return { index: compute, reason: `comes after the last FINISH (#${finish}) in the compute module` };
  for (const m of MODULES) {
    const last = lastOf[m];
    if (last !== undefined && !waited[last]) {
      return { index: last, reason: `the ${m} module's last instruction is not ordered before FINISH #${finish} by any dependency token: upstream's fsim hangs or not depending on which module it starts first` };
    }
  }
  return null;
}

/**
 * Whole-program checks of the dependency tokens, run when the program is finished: every flag has
 * a queue in its module, every push is popped and every pop pushed, and the three modules —
 * in-order queues gated by tokens, as every target runs them — can all reach the end, and the
 * last FINISH waits for every module's last instruction.
 */
import { MODULES, moduleOf, queuesOf, type DepFlags, type DepQueue, type Module } from '../isa/insn.js';
import { finishOrderProblem } from './finish-order.js';
import type { QueuedInsn } from './insn-queue.js';
import { ProgramError } from './program-error.js';

const FLAGS: (keyof DepFlags)[] = ['pop_prev_dep', 'pop_next_dep', 'push_prev_dep', 'push_next_dep'];
const QUEUE_TEXT: Record<DepQueue, string> = { ld2cmp: 'load→compute', cmp2ld: 'compute→load', cmp2st: 'compute→store', st2cmp: 'store→compute' };

interface TokenUse {
  pops: DepQueue[];
  pushes: DepQueue[];
}

function tokenUses(entries: readonly QueuedInsn[]): TokenUse[] {
  return entries.map(({ insn, source }, i) => {
    const module = moduleOf(insn);
    const queues = queuesOf(module);
    const use: TokenUse = { pops: [], pushes: [] };
    for (const flag of FLAGS) {
      if (!insn[flag]) continue;
      const q = queues[flag];
      if (!q) throw new ProgramError(`flag ${flag} is invalid for the ${module} module (it has no such queue)`, i, source);
      (flag.startsWith('pop') ? use.pops : use.pushes).push(q);
    }
    if (insn.opcode === 3 && use.pops.length) throw new ProgramError('FINISH must not pop tokens (the runtime never emits it and targets disagree on it)', i, source);
    return use;
  });
}

/**
 * Every queue pushes as often as it pops. Which instruction to blame is decided by matching each
 * pop with the latest unmatched push before it in program order (how the runtime pairs them: a
 * DepPush always precedes its DepPop): the surplus push or the pop left without one is named.
 */
function checkBalance(entries: readonly QueuedInsn[], uses: TokenUse[]): void {
  for (const q of Object.keys(QUEUE_TEXT) as DepQueue[]) {
    const open: number[] = [];
    let unmatchedPop: number | undefined;
    let pushes = 0;
    let pops = 0;
    uses.forEach((u, i) => {
      if (u.pops.includes(q)) {
        pops++;
        if (open.pop() === undefined) unmatchedPop ??= i;
      }
      if (u.pushes.includes(q)) {
        pushes++;
        open.push(i);
      }
    });
    if (pops > pushes) {
      const i = unmatchedPop!;
      throw new ProgramError(`token imbalance: pops ${QUEUE_TEXT[q]} but that token is never pushed (${pushes} pushes, ${pops} pops)`, i, entries[i]!.source);
    }
    if (pushes > pops) {
      const i = open[0]!;
      throw new ProgramError(`token imbalance: pushes ${QUEUE_TEXT[q]} but that token is never popped (${pushes} pushes, ${pops} pops)`, i, entries[i]!.source);
    }
  }
}

/** Run the modules' queues on token counts alone; a state where none can move is a deadlock. */
function checkDeadlock(entries: readonly QueuedInsn[], uses: TokenUse[]): void {
  const queue: Record<Module, number[]> = { load: [], compute: [], store: [] };
  entries.forEach(({ insn }, i) => queue[moduleOf(insn)].push(i));
  const head: Record<Module, number> = { load: 0, compute: 0, store: 0 };
  const tokens: Record<DepQueue, number> = { ld2cmp: 0, cmp2ld: 0, cmp2st: 0, st2cmp: 0 };
  for (;;) {
    let moved = false;
    for (const m of MODULES) {
      while (head[m] < queue[m].length) {
        const u = uses[queue[m][head[m]]!]!;
        if (u.pops.some((q) => tokens[q] === 0)) break;
        for (const q of u.pops) tokens[q]--;
        for (const q of u.pushes) tokens[q]++;
        head[m]++;
        moved = true;
      }
    }
    if (MODULES.every((m) => head[m] === queue[m].length)) return;
    if (!moved) {
      const stuck = MODULES.filter((m) => head[m] < queue[m].length).map((m) => queue[m][head[m]]!);
      const first = Math.min(...stuck);
      const waits = stuck.map((i) => `#${i} (${moduleOf(entries[i]!.insn)}) waits on ${uses[i]!.pops.filter((q) => tokens[q] === 0).map((q) => QUEUE_TEXT[q]).join(', ')}`);
      throw new ProgramError(`deadlock: ${waits.join('; ')}`, first, entries[first]!.source);
    }
  }
}

/** FINISH waits for the last instruction of every module (finish-order.ts). */
function checkFinishOrder(entries: readonly QueuedInsn[]): void {
  const problem = finishOrderProblem(entries.map((e) => e.insn));
  if (problem) throw new ProgramError(problem.reason, problem.index, entries[problem.index]!.source);
}

export function checkTokens(entries: readonly QueuedInsn[]): void {
  const uses = tokenUses(entries);
  checkBalance(entries, uses);
  checkDeadlock(entries, uses);
  checkFinishOrder(entries);
}

/**
 * Dropping dependency tokens that order nothing any more. Once ddmin has removed the data
 * instructions between them, a program keeps chains of NOPs that only hand tokens back and forth.
 * A token (the k-th push onto a queue and the k-th pop from it, as targets count them) is dropped
 * when every ordering between real instructions (anything but a NOP, FINISH included) that held
 * with it still holds without it — through module order and the other tokens. Happens-before
 * among the instructions that do something is unchanged, so no step here can let two of them race
 * or change what a run computes; no target run is needed to judge it. The token checks
 * (balance, deadlock, FINISH order) must still pass.
 */
import { queuesOf, type DepFlags, type DepQueue } from '../../runtime/isa/insn.js';
import { FLAGS, isNop, moduleOf, type ShrinkInsn } from './program.js';
import { foldNops, tokensOk } from './remove-insns.js';

interface Token {
  push: number;
  pushFlag: keyof DepFlags;
  pop: number;
  popFlag: keyof DepFlags;
}

function tokensOf(insns: readonly ShrinkInsn[]): Token[] {
  const pushes: Partial<Record<DepQueue, { i: number; f: keyof DepFlags }[]>> = {};
  const pops: Partial<Record<DepQueue, { i: number; f: keyof DepFlags }[]>> = {};
  insns.forEach(({ insn }, i) => {
    const q = queuesOf(moduleOf(insn));
    for (const f of FLAGS) {
      const queue = insn[f] ? q[f] : null;
      if (queue) ((f.startsWith('pop') ? pops : pushes)[queue] ??= []).push({ i, f });
    }
  });
  const out: Token[] = [];
  for (const q of Object.keys(pushes) as DepQueue[]) {
    (pushes[q] ?? []).forEach((p, k) => {
      const pop = pops[q]?.[k];
      if (pop) out.push({ push: p.i, pushFlag: p.f, pop: pop.i, popFlag: pop.f });
    });
  }
  return out;
}

/** Per real instruction, how many real instructions it happens before (a fingerprint of the order). */
function orderOf(insns: readonly ShrinkInsn[]): string {
  const n = insns.length;
  const succ: number[][] = insns.map(() => []);
  const last: Record<string, number> = {};
  insns.forEach(({ insn }, i) => {
    const m = moduleOf(insn);
    if (last[m] !== undefined) succ[last[m]!]!.push(i);
    last[m] = i;
  });
  for (const t of tokensOf(insns)) succ[t.push]!.push(t.pop);
  const real = insns.map((x) => !isNop(x.insn));
  const rows: string[] = [];
  for (let a = 0; a < n; a++) {
    if (!real[a]) continue;
    const seen = new Uint8Array(n);
    const stack = [...succ[a]!];
    const reached: number[] = [];
    while (stack.length) {
      const j = stack.pop()!;
      if (seen[j]) continue;
      seen[j] = 1;
      if (real[j]) reached.push(j);
      stack.push(...succ[j]!);
    }
    rows.push(`${a}:${reached.sort((x, y) => x - y).join(',')}`);
  }
  return rows.join(';');
}

/** Real instructions keep their indices relative to each other; NOPs without flags are dropped. */
export function pruneTokens(start: ShrinkInsn[]): ShrinkInsn[] {
  let insns = start;
  let want = orderOf(insns);
  for (let k = 0; ; ) {
    const tokens = tokensOf(insns);
    if (k >= tokens.length) break;
    const t = tokens[k]!;
    const cut = insns.slice();
    cut[t.push] = { ...cut[t.push]!, insn: { ...cut[t.push]!.insn, [t.pushFlag]: 0 } };
    cut[t.pop] = { ...cut[t.pop]!, insn: { ...cut[t.pop]!.insn, [t.popFlag]: 0 } };
    // Compared on the same instruction list (indices unchanged), then NOPs left without flags go.
    if (tokensOk(cut) && orderOf(cut) === want) {
      insns = cut;
    } else k++;
  }
  const folded = foldNops(insns);
  return folded;
}

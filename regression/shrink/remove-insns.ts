/**
 * Removing instructions without unbalancing the dependency tokens or loosening the order they
 * impose: a removed instruction that carries token flags leaves a NOP of its module with those
 * flags (the builder's own NOP), so no push loses its pop and no instruction runs earlier than it
 * did. Then NOPs are folded into a neighbour of their module — the next one (its pops wait the
 * same, its pushes come later) or the previous one (its pops wait earlier, its pushes after the
 * same instructions) — where that neighbour carries none of the same flags and the program still
 * cannot deadlock. Either fold only ever adds order, never removes it, so a shrunk program has no
 * race the original did not have.
 */
import { checkTokens } from '../../runtime/builder/token-check.js';
import { VtaUserError } from '../../runtime/errors.js';
import { FLAGS, flagsOf, hasFlags, isNop, moduleOf, nopOf, type ShrinkInsn, type ShrinkProgram } from './program.js';

const TOKEN_NOP = 'token NOP left by vta-trace shrink';

export function removeInsns(p: ShrinkProgram, remove: ReadonlySet<number>): ShrinkProgram {
  const insns: ShrinkInsn[] = [];
  p.insns.forEach((x, i) => {
    if (!remove.has(i)) insns.push(x);
    else if (hasFlags(x.insn)) insns.push({ insn: nopOf(moduleOf(x.insn), flagsOf(x.insn)), source: { ...(x.source ?? { op: 'sync' }), note: TOKEN_NOP }, origin: -1 });
  });
  return { ...p, insns: foldNops(insns) };
}

/** Whether the builder's token check accepts these instructions (its refusal is the answer, not an error). */
export function tokensOk(insns: ShrinkInsn[]): boolean {
  try {
    checkTokens(insns);
    return true;
  } catch (e) {
    if (e instanceof VtaUserError) return false;
    throw e;
  }
}

/** The program with NOP i folded into instruction j (same module), or undefined if they share a flag. */
function folded(insns: ShrinkInsn[], i: number, j: number): ShrinkInsn[] | undefined {
  const nop = insns[i]!.insn;
  const into = insns[j]!;
  if (into.insn.opcode === 3) return undefined; // FINISH must not pop; leave its flags as built
  if (FLAGS.some((f) => nop[f] && into.insn[f])) return undefined;
  const merged = { ...into, insn: { ...into.insn } };
  for (const f of FLAGS) if (nop[f]) merged.insn[f] = 1;
  const out = insns.slice();
  out[j] = merged;
  out.splice(i, 1);
  return out;
}

/** Drops NOPs without flags and folds the others into a neighbour where the order allows. */
export function foldNops(start: ShrinkInsn[]): ShrinkInsn[] {
  let insns = start;
  for (let i = 0; i < insns.length; ) {
    const x = insns[i]!;
    if (!isNop(x.insn)) {
      i++;
      continue;
    }
    if (!hasFlags(x.insn)) {
      insns = insns.filter((_, k) => k !== i);
      continue;
    }
    const m = moduleOf(x.insn);
    let next = i + 1;
    while (next < insns.length && moduleOf(insns[next]!.insn) !== m) next++;
    let prev = i - 1;
    while (prev >= 0 && moduleOf(insns[prev]!.insn) !== m) prev--;
    const tries = [next < insns.length ? folded(insns, i, next) : undefined, prev >= 0 ? folded(insns, i, prev) : undefined];
    const ok = tries.find((t) => t !== undefined && tokensOk(t));
    if (ok) insns = ok;
    else i++;
  }
  return insns;
}

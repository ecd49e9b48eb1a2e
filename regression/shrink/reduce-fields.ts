/**
 * Shrinking what one instruction does, one field at a time: loop extents of GEMM/ALU, their
 * micro-op range, the rows, columns and padding of LOAD/STORE. Each field gets the smallest value
 * that still reproduces, found by bisection between its floor and its value (the candidate
 * oracle is the judge; a value it refuses is never kept).
 */
import type { Insn } from '../../runtime/isa/insn.js';
import { isNop, type ShrinkProgram } from './program.js';

type Test = (p: ShrinkProgram) => Promise<boolean>;

function withField(p: ShrinkProgram, i: number, edit: (insn: Insn) => Insn): ShrinkProgram {
  const insns = p.insns.slice();
  insns[i] = { ...insns[i]!, insn: edit({ ...insns[i]!.insn }) };
  return { ...p, insns };
}

/** Smallest value in [floor, current] that reproduces, assuming smaller values reproduce less often. */
async function bisectField(p: ShrinkProgram, i: number, set: (insn: Insn, v: number) => void, current: number, floor: number, test: Test): Promise<ShrinkProgram> {
  if (current <= floor) return p;
  const at = (v: number) => withField(p, i, (insn) => (set(insn, v), insn));
  const first = at(floor);
  if (await test(first)) return first;
  let lo = floor;
  let hi = current;
  let best = p;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    const c = at(mid);
    if (await test(c)) {
      hi = mid;
      best = c;
    } else lo = mid;
  }
  return best;
}

type Rec = Record<string, number>;
const setter = (f: string) => (insn: Insn, v: number) => ((insn as unknown as Rec)[f] = v);

export async function reduceFields(start: ShrinkProgram, test: Test): Promise<ShrinkProgram> {
  let p = start;
  for (let i = 0; i < p.insns.length; i++) {
    const insn = p.insns[i]!.insn;
    const r = insn as unknown as Rec;
    if (insn.opcode === 2 || insn.opcode === 4) {
      for (const f of ['iter_out', 'iter_in']) p = await bisectField(p, i, setter(f), r[f]!, 1, test);
      // The micro-op range: keep fewer from the end, then start later.
      const cur = p.insns[i]!.insn as unknown as Rec;
      p = await bisectField(p, i, setter('uop_end'), cur.uop_end!, cur.uop_bgn! + 1, test);
      const now = p.insns[i]!.insn as unknown as Rec;
      p = await bisectField(p, i, (x, v) => ((x as unknown as Rec).uop_bgn = now.uop_end! - v), now.uop_end! - now.uop_bgn!, 1, test);
    } else if ((insn.opcode === 0 || insn.opcode === 1) && !isNop(insn)) {
      for (const f of ['y_pad_0', 'y_pad_1', 'x_pad_0', 'x_pad_1']) p = await bisectField(p, i, setter(f), r[f]!, 0, test);
      // A LOAD UOP's size is the kernel the GEMMs use; the validity check decides what may go.
      p = await bisectField(p, i, setter('y_size'), r.y_size!, 1, test);
      p = await bisectField(p, i, setter('x_size'), (p.insns[i]!.insn as unknown as Rec).x_size!, 1, test);
    }
  }
  return p;
}

/**
 * Comparing a trace unit's records (tsim on a TRACE_UNIT configuration: what the RTL wrote to its
 * DRAM ring) with the board digests fsim's events give (runtime/contract/board-digest.ts): one
 * record per instruction, same pc, module and digest. The first instruction whose record differs
 * is the first whose effects (or record) the design got wrong.
 */
import type { BoardRecord } from '../runtime/contract/board-digest.js';

export interface BoardMismatch {
  pc: number;
  /** What the reference (fsim) computed for this pc, and what the unit wrote; absent: no record. */
  want?: BoardRecord;
  got?: BoardRecord;
}

const byPc = (records: readonly BoardRecord[]) => [...records].sort((a, b) => a.pc - b.pc || a.module.localeCompare(b.module));

/**
 * The lowest pc whose record differs or is missing on one side, or undefined when they agree.
 * `wrapped`: the unit's ring held fewer slots than records, so `got` is the last ones it wrote and
 * only those are compared (each against the reference's record of its pc).
 */
export function firstBoardMismatch(want: readonly BoardRecord[], got: readonly BoardRecord[], wrapped = false): BoardMismatch | undefined {
  if (wrapped) {
    const ref = new Map(want.map((r) => [r.pc, r]));
    const seen = new Set<number>();
    for (const g of byPc(got)) {
      const r = ref.get(g.pc);
      // A pc twice in the ring is as wrong as a wrong digest.
      if (!r || seen.has(g.pc) || r.module !== g.module || r.digest !== g.digest) return { pc: g.pc, ...(r ? { want: r } : {}), got: g };
      seen.add(g.pc);
    }
    return undefined;
  }
  const w = byPc(want);
  const g = byPc(got);
  for (let i = 0; i < Math.max(w.length, g.length); i++) {
    const a = w[i];
    const b = g[i];
    if (a && b && a.pc === b.pc && a.module === b.module && a.digest === b.digest) continue;
    // Missing or extra records: the lower pc of the two is the first one out of step.
    const pc = Math.min(a?.pc ?? Infinity, b?.pc ?? Infinity);
    return { pc, ...(a?.pc === pc ? { want: a } : {}), ...(b?.pc === pc ? { got: b } : {}) };
  }
  return undefined;
}

const hex = (r: BoardRecord | undefined) => (r ? `${r.module} 0x${r.digest.toString(16).padStart(8, '0')}` : 'none');

/** One line for a mismatch: `target`'s unit against `reference`'s digests, `insn` naming the instruction when known. */
export function boardMismatchText(target: string, reference: string, m: BoardMismatch, insn?: string): string {
  return `${target} trace-unit record of #${m.pc}${insn ? ` ${insn}` : ''} differs from ${reference}'s board digest: unit ${hex(m.got)}, ${reference} ${hex(m.want)}`;
}

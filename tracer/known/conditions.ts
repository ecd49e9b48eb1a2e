/**
 * Named conditions of known-difference signatures (docs/known-differences.md): what the fields
 * of one instruction cannot express. Each answers true, false, or "unchecked" when it needs what
 * is not at hand (the program's micro-ops without the bundle, a depth the design does not declare).
 */
import type { Insn, Uop } from '../../runtime/isa/insn.js';
import { MEM_ID } from '../../runtime/isa/layout.js';

export const CONDITION_NAMES = ['alu-imm-src-ne-dst', 'alu-imm-src-eq-dst', 'shr-amount-out-of-range', 'uop-index-beyond'] as const;
export type ConditionName = (typeof CONDITION_NAMES)[number];

export interface ConditionInput {
  insn: Insn;
  /** The uop buffer as the instruction finds it (index → uop), when the bundle is at hand. */
  uops?: (Uop | undefined)[];
  /** The design's declared uop depth (capabilities.depths.uop). */
  uopDepth?: number;
}

export type ConditionResult = boolean | 'unchecked';

/** Per iteration of an ALU instruction: [dst row, src row] (vta-isa.md §3.4 loop nest). */
function aluRows(insn: Extract<Insn, { opcode: 4 }>, uops: (Uop | undefined)[]): [number, number][] | undefined {
  const out: [number, number][] = [];
  for (let i = 0; i < insn.iter_out; i++) {
    for (let j = 0; j < insn.iter_in; j++) {
      for (let u = insn.uop_bgn; u < insn.uop_end; u++) {
        const uop = uops[u];
        if (!uop) return undefined;
        out.push([uop.dst_idx + i * insn.dst_factor_out + j * insn.dst_factor_in, uop.src_idx + i * insn.src_factor_out + j * insn.src_factor_in]);
      }
    }
  }
  return out;
}

export function holds(name: ConditionName, c: ConditionInput): ConditionResult {
  const insn = c.insn;
  switch (name) {
    case 'alu-imm-src-ne-dst':
    case 'alu-imm-src-eq-dst': {
      if (insn.opcode !== 4 || !insn.use_imm) return false;
      if (!c.uops) return 'unchecked';
      const rows = aluRows(insn, c.uops);
      if (!rows) return 'unchecked';
      const differ = rows.some(([d, s]) => d !== s);
      return name === 'alu-imm-src-ne-dst' ? differ : !differ;
    }
    case 'shr-amount-out-of-range':
      return insn.opcode === 4 && insn.alu_opcode === 3 && insn.use_imm === 1 && (insn.imm < -31 || insn.imm > 31);
    case 'uop-index-beyond': {
      if (c.uopDepth === undefined) return 'unchecked';
      if (insn.opcode === 2 || insn.opcode === 4) return insn.uop_end > c.uopDepth;
      if (insn.opcode === 0 && insn.memory_type === MEM_ID.UOP) {
        const rows = (insn.y_pad_0 + insn.y_size + insn.y_pad_1) * (insn.x_pad_0 + insn.x_size + insn.x_pad_1);
        return insn.sram_base + rows > c.uopDepth;
      }
      return false;
    }
  }
}

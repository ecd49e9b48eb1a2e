/**
 * Named conditions of known-difference signatures (docs/known-differences.md): what the fields
 * of one instruction cannot express. Each answers true, false, or "unchecked" when it needs what
 * is not at hand (the program's micro-ops without the bundle, a depth the design does not declare).
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { insnBytes } from '../../runtime/bundle/bundle.js';
import { decodeProgram } from '../../runtime/isa/codec.js';
import type { Insn, Uop } from '../../runtime/isa/insn.js';
import { MEM_ID } from '../../runtime/isa/layout.js';
import { applyUopLoad } from './uop-buffer.js';

export const CONDITION_NAMES = [
  'alu-imm-src-ne-dst',
  'alu-imm-src-eq-dst',
  'alu-reads-earlier-write',
  'shr-amount-out-of-range',
  'store-reads-row-not-computed',
  'uop-range-empty',
  'uop-index-beyond',
] as const;
export type ConditionName = (typeof CONDITION_NAMES)[number];

export interface ConditionInput {
  insn: Insn;
  /** The uop buffer as the instruction finds it (index → uop), when the bundle is at hand. */
  uops?: (Uop | undefined)[];
  /** The design's declared uop depth (capabilities.depths.uop). */
  uopDepth?: number;
  /** The program and the instruction's index in it, for conditions over what ran before it. */
  bundle?: ProgramBundle;
  pc?: number;
}

export type ConditionResult = boolean | 'unchecked';

/**
 * Per iteration of a GEMM or ALU instruction, in execution order: [dst row, src row] (vta-isa.md
 * §3.4 loop nest; a GEMM's src is an INP row, read with its own factors but not compared here).
 */
function aluRows(insn: Extract<Insn, { opcode: 2 | 4 }>, uops: (Uop | undefined)[]): [number, number][] | undefined {
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

/** How each ACC row was last written before instruction `pc`: by a load, a GEMM reset, or a GEMM/ALU result. */
function lastAccWriters(bundle: ProgramBundle, pc: number): Map<number, 'load' | 'reset' | 'compute'> | undefined {
  const rows = new Map<number, 'load' | 'reset' | 'compute'>();
  const insns = decodeProgram(bundle.params, insnBytes(bundle));
  // One walk, the uop buffer kept up to date as it goes (not rebuilt per instruction).
  const uops: (Uop | undefined)[] = [];
  for (let k = 0; k < pc && k < insns.length; k++) {
    const i = insns[k]!;
    applyUopLoad(bundle, uops, i);
    if (i.opcode === 0 && (i.memory_type === MEM_ID.ACC || i.memory_type === MEM_ID.ACC_8BIT) && i.x_size > 0) {
      const n = (i.y_pad_0 + i.y_size + i.y_pad_1) * (i.x_pad_0 + i.x_size + i.x_pad_1);
      for (let r = 0; r < n; r++) rows.set(i.sram_base + r, 'load');
    } else if (i.opcode === 2 || i.opcode === 4) {
      const it = aluRows(i, uops);
      if (!it) return undefined;
      const how = i.opcode === 2 && i.reset_reg ? 'reset' : 'compute';
      for (const [d] of it) rows.set(d % bundle.params.accDepth, how);
    }
  }
  return rows;
}

export function holds(name: ConditionName, c: ConditionInput): ConditionResult {
  const insn = c.insn;
  switch (name) {
    case 'alu-reads-earlier-write': {
      // An iteration reads a row an earlier iteration of the same instruction wrote.
      if (insn.opcode !== 4) return false;
      if (!c.uops) return 'unchecked';
      const rows = aluRows(insn, c.uops);
      if (!rows) return 'unchecked';
      const written = new Set<number>();
      for (const [d, s] of rows) {
        if (written.has(d) || (!insn.use_imm && written.has(s))) return true;
        written.add(d);
      }
      return false;
    }
    case 'uop-range-empty':
      return (insn.opcode === 2 || insn.opcode === 4) && insn.uop_end <= insn.uop_bgn;
    case 'store-reads-row-not-computed': {
      // A STORE of an ACC row last written by a load or a GEMM reset, not by a GEMM/ALU result.
      if (insn.opcode !== 1) return false;
      if (!c.bundle || c.pc === undefined) return 'unchecked';
      const writers = lastAccWriters(c.bundle, c.pc);
      if (!writers) return 'unchecked';
      for (let r = 0; r < insn.y_size * insn.x_size; r++) if (writers.get(insn.sram_base + r) !== 'compute') return true;
      return false;
    }
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

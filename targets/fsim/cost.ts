/**
 * fsim's cycle estimate. fsim is not cycle accurate; it still gives every event a plausible,
 * deterministic cycle so traces read naturally and per-module busy time can be compared across
 * programs. Each module has its own clock; an instruction starts when its module is free and the
 * tokens it pops have been pushed, and takes:
 *   LOAD/STORE: rows · ceil(row bytes / bus bytes) + 8 (a fixed DMA set-up)
 *   GEMM: iterations · uops (II = 1) + 4;  ALU: iterations · uops · (1 immediate, 2 tensor) + 4
 *   FINISH and NOPs: 1
 */
import type { VtaParams } from '../../runtime/config/config.js';
import { MEM_ID } from '../../runtime/isa/layout.js';
import type { Insn } from '../../runtime/isa/insn.js';

export function estimateCycles(p: VtaParams, insn: Insn): number {
  switch (insn.opcode) {
    case 0:
    case 1: {
      if (insn.x_size === 0) return 1;
      const elem =
        insn.memory_type === MEM_ID.UOP ? 4 : insn.memory_type === MEM_ID.INP ? p.elemBytes.inp : insn.memory_type === MEM_ID.WGT ? p.elemBytes.wgt : insn.memory_type === MEM_ID.OUT ? p.elemBytes.out : p.elemBytes.acc;
      const rows = insn.y_pad_0 + insn.y_size + insn.y_pad_1;
      const rowBytes = (insn.x_pad_0 + insn.x_size + insn.x_pad_1) * elem;
      return rows * Math.ceil(rowBytes / p.busBytes) + 8;
    }
    case 2:
    case 4: {
      const n = Math.max(0, insn.uop_end - insn.uop_bgn) * insn.iter_out * insn.iter_in;
      const ii = insn.opcode === 4 && !insn.use_imm ? 2 : 1;
      return n * ii + 4;
    }
    case 3:
      return 1;
  }
}

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
import { F } from './slots.js';

/** The estimate for a decoded instruction (its slots, slots.ts). */
export function estimateCycles(p: VtaParams, f: Int32Array): number {
  switch (f[F.opcode]) {
    case 0:
    case 1: {
      if (f[F.x_size] === 0) return 1;
      const type = f[F.memory_type];
      const elem =
        type === MEM_ID.UOP ? 4 : type === MEM_ID.INP ? p.elemBytes.inp : type === MEM_ID.WGT ? p.elemBytes.wgt : type === MEM_ID.OUT ? p.elemBytes.out : p.elemBytes.acc;
      const rows = f[F.y_pad_0]! + f[F.y_size]! + f[F.y_pad_1]!;
      const rowBytes = (f[F.x_pad_0]! + f[F.x_size]! + f[F.x_pad_1]!) * elem;
      return rows * Math.ceil(rowBytes / p.busBytes) + 8;
    }
    case 2:
    case 4: {
      const n = Math.max(0, f[F.uop_end]! - f[F.uop_bgn]!) * f[F.iter_out]! * f[F.iter_in]!;
      const ii = f[F.opcode] === 4 && !f[F.use_imm] ? 2 : 1;
      return n * ii + 4;
    }
    default:
      return 1;
  }
}

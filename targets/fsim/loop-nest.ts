/**
 * The loop-nest fields GEMM and ALU share (vta-isa.md §5.4–5.5), read from the decoded program into
 * one object per run that every instruction reuses, so reading them allocates nothing.
 */
import { F } from './slots.js';

export class LoopNest {
  uopBgn = 0;
  uopEnd = 0;
  iterOut = 0;
  iterIn = 0;
  dstOut = 0;
  dstIn = 0;
  srcOut = 0;
  srcIn = 0;
  wgtOut = 0;
  wgtIn = 0;

  /** Fill from the instruction whose slots start at `at`; false when the nest runs no iteration. */
  read(f: Int32Array, at: number): boolean {
    this.uopBgn = f[at + F.uop_bgn]!;
    this.uopEnd = f[at + F.uop_end]!;
    this.iterOut = f[at + F.iter_out]!;
    this.iterIn = f[at + F.iter_in]!;
    this.dstOut = f[at + F.dst_factor_out]!;
    this.dstIn = f[at + F.dst_factor_in]!;
    this.srcOut = f[at + F.src_factor_out]!;
    this.srcIn = f[at + F.src_factor_in]!;
    this.wgtOut = f[at + F.wgt_factor_out]!;
    this.wgtIn = f[at + F.wgt_factor_in]!;
    // Reversed micro-op ranges and zero loop counts do nothing (targets/fsim/README.md).
    return this.iterOut !== 0 && this.iterIn !== 0 && this.uopEnd > this.uopBgn;
  }

  /** Micro-op iterations of the whole nest. */
  get iterations(): number {
    return this.iterOut * this.iterIn * (this.uopEnd - this.uopBgn);
  }
}

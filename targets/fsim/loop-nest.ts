/**
 * The loop-nest fields GEMM and ALU share (vta-isa.md §5.4–5.5), read from the decoded instruction into
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

  /** Fill from a decoded instruction's slots; false when the nest runs no iteration. */
  read(f: Int32Array): boolean {
    this.uopBgn = f[F.uop_bgn]!;
    this.uopEnd = f[F.uop_end]!;
    this.iterOut = f[F.iter_out]!;
    this.iterIn = f[F.iter_in]!;
    this.dstOut = f[F.dst_factor_out]!;
    this.dstIn = f[F.dst_factor_in]!;
    this.srcOut = f[F.src_factor_out]!;
    this.srcIn = f[F.src_factor_in]!;
    this.wgtOut = f[F.wgt_factor_out]!;
    this.wgtIn = f[F.wgt_factor_in]!;
    // Reversed micro-op ranges and zero loop counts do nothing (targets/fsim/README.md).
    return this.iterOut !== 0 && this.iterIn !== 0 && this.uopEnd > this.uopBgn;
  }

  /** Micro-op iterations of the whole nest. */
  get iterations(): number {
    return this.iterOut * this.iterIn * (this.uopEnd - this.uopBgn);
  }
}

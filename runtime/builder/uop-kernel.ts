/**
 * Micro-op kernels as the upstream runtime records them (vta-isa.md §3.2): a list of micro-ops
 * (base indices) and up to two loops whose factors step the indices. The micro-ops become data in
 * the uop scratchpad; the loops become the GEMM/ALU instruction's iteration fields.
 */
import type { VtaParams } from '../config/config.js';
import { encodeUop } from '../isa/codec.js';
import type { DepFlags, GemmInsn, Uop } from '../isa/insn.js';

/** One micro-op: ACC destination, source (INP for GEMM, ACC for ALU) and weight element indices. */
export interface KernelUop {
  dst: number;
  src?: number;
  wgt?: number;
}

/** One loop level: iteration count and how far each index moves per iteration. */
export interface KernelLoop {
  count: number;
  dst?: number;
  src?: number;
  wgt?: number;
}

export interface UopKernel {
  uops: readonly KernelUop[];
  /** Outer loop first; at most two. */
  loops?: readonly KernelLoop[];
}

/** The loop fields of a GEMM/ALU instruction (counts and the three index factors). */
export type LoopNest = Omit<GemmInsn, keyof DepFlags | 'opcode' | 'reset_reg' | 'uop_bgn' | 'uop_end'>;

const ONE: Required<KernelLoop> = { count: 1, dst: 0, src: 0, wgt: 0 };
const full = (l: KernelLoop): Required<KernelLoop> => ({ count: l.count, dst: l.dst ?? 0, src: l.src ?? 0, wgt: l.wgt ?? 0 });

/**
 * Loop levels → instruction fields, as the upstream runtime maps them: two loops are out, in; a
 * single loop is the outer loop of a GEMM but the inner loop of an ALU instruction.
 */
export function loopNest(loops: readonly KernelLoop[], kind: 'gemm' | 'alu'): LoopNest {
  const [outer, inner] =
    loops.length === 2 ? [full(loops[0]!), full(loops[1]!)] : loops.length === 1 ? (kind === 'gemm' ? [full(loops[0]!), ONE] : [ONE, full(loops[0]!)]) : [ONE, ONE];
  return {
    iter_out: outer.count,
    iter_in: inner.count,
    dst_factor_out: outer.dst,
    dst_factor_in: inner.dst,
    src_factor_out: outer.src,
    src_factor_in: inner.src,
    wgt_factor_out: outer.wgt,
    wgt_factor_in: inner.wgt,
  };
}

export function toUop(u: KernelUop): Uop {
  return { dst_idx: u.dst, src_idx: u.src ?? 0, wgt_idx: u.wgt ?? 0 };
}

/** The kernel's micro-ops as the little-endian words the uop scratchpad holds. */
export function kernelWords(p: VtaParams, uops: readonly Uop[]): Uint32Array {
  return Uint32Array.from(uops, (u) => encodeUop(p, u));
}

/** The largest value an index reaches over the loop nest (factors are non-negative). */
export function maxIndex(base: number, nest: LoopNest, which: 'dst' | 'src' | 'wgt'): number {
  return base + (nest.iter_out - 1) * nest[`${which}_factor_out`] + (nest.iter_in - 1) * nest[`${which}_factor_in`];
}

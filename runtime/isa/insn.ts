/**
 * Decoded instructions and micro-ops. Field names are the upstream header's, so that the
 * layout tables, the test vectors and these objects all speak the same words.
 */
import type { MemId } from './layout.js';

export interface DepFlags {
  pop_prev_dep: number;
  pop_next_dep: number;
  push_prev_dep: number;
  push_next_dep: number;
}

export interface MemInsn extends DepFlags {
  opcode: 0 | 1;
  memory_type: number;
  sram_base: number;
  dram_base: number;
  /** Only meaningful when the PAD_MIN_VALUE extension is enabled; 0 otherwise. */
  is_pad_min_value: number;
  y_size: number;
  x_size: number;
  x_stride: number;
  y_pad_0: number;
  y_pad_1: number;
  x_pad_0: number;
  x_pad_1: number;
}

export interface LoopFields extends DepFlags {
  reset_reg: number;
  uop_bgn: number;
  uop_end: number;
  iter_out: number;
  iter_in: number;
  dst_factor_out: number;
  dst_factor_in: number;
  src_factor_out: number;
  src_factor_in: number;
}

export interface GemmInsn extends LoopFields {
  opcode: 2;
  wgt_factor_out: number;
  wgt_factor_in: number;
}

export interface AluInsn extends LoopFields {
  opcode: 4;
  alu_opcode: number;
  use_imm: number;
  /** Sign-extended 16-bit immediate. */
  imm: number;
}

export interface FinishInsn extends DepFlags {
  opcode: 3;
}

export type Insn = MemInsn | GemmInsn | AluInsn | FinishInsn;

export interface Uop {
  dst_idx: number;
  src_idx: number;
  wgt_idx: number;
}

/** The module that executes an instruction (vta-isa.md §4.1). */
export type Module = 'load' | 'compute' | 'store';
export const MODULES: readonly Module[] = ['load', 'compute', 'store'];

export function moduleOf(insn: Insn): Module {
  if (insn.opcode === 1) return 'store';
  if (insn.opcode === 0) return insn.memory_type === 1 || insn.memory_type === 2 ? 'load' : 'compute';
  return 'compute';
}

/** The four token queues, named by producer and consumer. */
export type DepQueue = 'ld2cmp' | 'cmp2ld' | 'cmp2st' | 'st2cmp';

/** Which queue each flag refers to, given the executing module (vta-isa.md §2.9); null = invalid. */
const QUEUES: Readonly<Record<Module, Readonly<Record<keyof DepFlags, DepQueue | null>>>> = Object.freeze({
  load: Object.freeze({ pop_prev_dep: null, pop_next_dep: 'cmp2ld', push_prev_dep: null, push_next_dep: 'ld2cmp' }),
  compute: Object.freeze({ pop_prev_dep: 'ld2cmp', pop_next_dep: 'st2cmp', push_prev_dep: 'cmp2ld', push_next_dep: 'cmp2st' }),
  store: Object.freeze({ pop_prev_dep: 'cmp2st', pop_next_dep: null, push_prev_dep: 'st2cmp', push_next_dep: null }),
} as const);

/** Which queue each flag refers to, given the executing module (vta-isa.md §2.9); null = invalid. */
export function queuesOf(module: Module): Readonly<Record<keyof DepFlags, DepQueue | null>> {
  return QUEUES[module];
}

export const NO_DEPS: DepFlags = { pop_prev_dep: 0, pop_next_dep: 0, push_prev_dep: 0, push_next_dep: 0 };

export type { MemId };

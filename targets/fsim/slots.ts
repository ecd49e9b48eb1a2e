/**
 * Where each field of a decoded instruction lives: every instruction takes STRIDE Int32 slots of
 * one flat array (decoded.ts). Slots are shared between formats — a memory instruction's slot 3 is
 * sram_base, a GEMM's is uop_bgn — so F names them per format. dram_base is the one 32-bit
 * unsigned field: it is stored wrapped to int32 and read back with `>>> 0`.
 */
export const STRIDE = 16;

/** Slot of each field within an instruction's STRIDE slots. */
export const F = {
  opcode: 0,
  // Slot 1 is free: the dependency flags live in DecodedProgram.flags.
  // Memory (LOAD, STORE).
  memory_type: 2,
  sram_base: 3,
  dram_base: 4,
  is_pad_min_value: 5,
  y_size: 6,
  x_size: 7,
  x_stride: 8,
  y_pad_0: 9,
  y_pad_1: 10,
  x_pad_0: 11,
  x_pad_1: 12,
  // Loops (GEMM, ALU).
  reset_reg: 2,
  uop_bgn: 3,
  uop_end: 4,
  iter_out: 5,
  iter_in: 6,
  dst_factor_out: 7,
  dst_factor_in: 8,
  src_factor_out: 9,
  src_factor_in: 10,
  wgt_factor_out: 11,
  wgt_factor_in: 12,
  alu_opcode: 13,
  use_imm: 14,
  imm: 15,
} as const;

/** Module numbers, in the fixed scheduling order (load, compute, store). */
export const LOAD_MODULE = 0;
export const COMPUTE_MODULE = 1;
export const STORE_MODULE = 2;

/** Bits of DecodedProgram.flags, in the instruction header's order (slot 1 is unused). */
export const POP_PREV = 1;
export const POP_NEXT = 2;
export const PUSH_PREV = 4;
export const PUSH_NEXT = 8;

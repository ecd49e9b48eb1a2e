/**
 * The upstream runtime's NOP of a module, which carries dependency tokens and does nothing else:
 * LOAD INP on load, LOAD UOP on compute, STORE on store, every size 0. The builder's instruction
 * queue appends one where a token has no instruction to ride on; the shrinker leaves one where it
 * removed an instruction that carried tokens.
 */
import { MEM_ID } from '../isa/layout.js';
import { NO_DEPS, type DepFlags, type MemInsn, type Module } from '../isa/insn.js';

export function dependencyNop(module: Module, flags: Partial<DepFlags>): MemInsn {
  return {
    ...NO_DEPS,
    ...flags,
    opcode: module === 'store' ? 1 : 0,
    memory_type: module === 'load' ? MEM_ID.INP : MEM_ID.UOP,
    sram_base: 0,
    dram_base: 0,
    is_pad_min_value: 0,
    y_size: 0,
    x_size: 0,
    x_stride: 0,
    y_pad_0: 0,
    y_pad_1: 0,
    x_pad_0: 0,
    x_pad_1: 0,
  };
}

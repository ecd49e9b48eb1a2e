import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/fixtures.js';
import { decodeInsn, encodeInsn } from './codec.js';
import { disassemble } from './disasm.js';
import { NO_DEPS, type Insn } from './insn.js';

const p = resolveConfig('default');
const fork = resolveConfig('small-fork');
const mem = { ...NO_DEPS, is_pad_min_value: 0, y_pad_0: 0, y_pad_1: 0, x_pad_0: 0, x_pad_1: 0 };
const loops = { ...NO_DEPS, reset_reg: 0, iter_out: 2, iter_in: 3, dst_factor_out: 8, dst_factor_in: 1, src_factor_out: 4, src_factor_in: 1 };

describe('disassembler', () => {
  it.each<[string, Insn, string]>([
    [
      'padded INP load on the load module',
      { ...mem, opcode: 0, memory_type: 2, sram_base: 16, dram_base: 256, y_size: 4, x_size: 8, x_stride: 8, y_pad_0: 1, y_pad_1: 1, x_pad_1: 2, pop_next_dep: 1, push_next_dep: 1 },
      'LOAD INP       sram 0x0010 <- dram 0x00000100  4x8 stride 8  pad y(1,1) x(0,2)  | pop cmp→ld, push ld→cmp',
    ],
    [
      'UOP load executes on compute, so pop_prev means ld→cmp',
      { ...mem, opcode: 0, memory_type: 0, sram_base: 0, dram_base: 5, y_size: 1, x_size: 3, x_stride: 3, pop_prev_dep: 1 },
      'LOAD UOP       sram 0x0000 <- dram 0x00000005  1x3 stride 3  | pop ld→cmp',
    ],
    ['store NOP', { ...mem, opcode: 1, memory_type: 0, sram_base: 0, dram_base: 0, y_size: 0, x_size: 0, x_stride: 0, push_prev_dep: 1 }, 'STORE UOP      nop  | push st→cmp'],
    ['GEMM', { ...loops, opcode: 2, uop_bgn: 0, uop_end: 4, wgt_factor_out: 0, wgt_factor_in: 2 }, 'GEMM           uop [0,4)  iter 2x3  acc +8/+1  inp +4/+1  wgt +0/+2'],
    ['GEMM reset', { ...loops, opcode: 2, reset_reg: 1, uop_bgn: 1, uop_end: 2, wgt_factor_out: 0, wgt_factor_in: 0 }, 'GEMM RESET     uop [1,2)  iter 2x3  acc +8/+1'],
    ['ALU with immediate', { ...loops, opcode: 4, uop_bgn: 0, uop_end: 1, alu_opcode: 3, use_imm: 1, imm: -3 }, 'ALU SHR        uop [0,1)  iter 2x3  dst +8/+1  imm -3'],
    ['ALU tensor', { ...loops, opcode: 4, uop_bgn: 2, uop_end: 3, alu_opcode: 4, use_imm: 0, imm: 0, push_next_dep: 1 }, 'ALU MUL        uop [2,3)  iter 2x3  dst +8/+1  src +4/+1  | push cmp→st'],
    ['FINISH', { ...NO_DEPS, opcode: 3 }, 'FINISH'],
  ])('%s', (_, insn, text) => {
    // Go through the bytes, so the disassembly reads exactly what the decoder sees.
    expect(disassemble(p, decodeInsn(p, encodeInsn(p, insn)))).toBe(text);
  });

  it('names fork ALU opcodes under ALU_OPCODES=fork', () => {
    const alu = { ...loops, opcode: 4, uop_bgn: 0, uop_end: 1, src_factor_out: 0, src_factor_in: 0, use_imm: 1, imm: 7, dst_factor_out: 0, dst_factor_in: 0, iter_out: 1, iter_in: 1 } as const;
    expect(disassemble(fork, { ...alu, alu_opcode: 4 })).toMatch(/^ALU CLP/);
    expect(disassemble(fork, { ...alu, alu_opcode: 5 })).toMatch(/^ALU MOV/);
    expect(disassemble(fork, { ...alu, alu_opcode: 6 })).toMatch(/^ALU MUL8/);
    expect(disassemble(p, { ...alu, alu_opcode: 4 })).toMatch(/^ALU MUL /);
  });

  it('flags a dependency flag the executing module does not have', () => {
    const bad: Insn = { ...mem, opcode: 1, memory_type: 4, sram_base: 0, dram_base: 0, y_size: 1, x_size: 1, x_stride: 1, pop_next_dep: 1 };
    expect(disassemble(p, bad)).toContain('pop_next_dep(invalid for store)');
  });
});

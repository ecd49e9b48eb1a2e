/**
 * Human-readable disassembly, read from the same decoded fields the encoder uses. One line per
 * instruction, e.g.
 *   LOAD INP   sram 0x0010 <- dram 0x00000100  4x8 stride 8  pad y(1,1) x(0,2)   | pop cmp→ld, push ld→cmp
 *   GEMM       uop [0,4)  iter 2x3  acc +8/+1  inp +4/+1  wgt +0/+0
 *   ALU ADD    uop [0,1)  iter 1x16  dst +0/+1  src +0/+1  imm -3
 */
import type { VtaParams } from '../config/config.js';
import { MEM_NAMES } from './layout.js';
import { moduleOf, queuesOf, type AluInsn, type DepFlags, type Insn, type LoopFields, type Uop } from './insn.js';

const UPSTREAM_ALU = ['MIN', 'MAX', 'ADD', 'SHR', 'MUL'];
const FORK_ALU = ['MIN', 'MAX', 'ADD', 'SHR', 'CLP', 'MOV', 'MUL8'];

/** Mnemonic of an ALU opcode under the configuration's opcode set. */
export function aluOpName(p: VtaParams, op: number): string {
  const table = p.aluOpcodes === 'fork' ? FORK_ALU : UPSTREAM_ALU;
  return table[op] ?? `OP${op}`;
}

const QUEUE_TEXT = { ld2cmp: 'ld→cmp', cmp2ld: 'cmp→ld', cmp2st: 'cmp→st', st2cmp: 'st→cmp' } as const;

function deps(insn: Insn): string {
  const q = queuesOf(moduleOf(insn));
  const pops: string[] = [];
  const pushes: string[] = [];
  for (const flag of ['pop_prev_dep', 'pop_next_dep', 'push_prev_dep', 'push_next_dep'] as (keyof DepFlags)[]) {
    if (!insn[flag]) continue;
    const queue = q[flag];
    const text = queue ? QUEUE_TEXT[queue] : `${flag}(invalid for ${moduleOf(insn)})`;
    (flag.startsWith('pop') ? pops : pushes).push(text);
  }
  const parts = [];
  if (pops.length) parts.push(`pop ${pops.join(' ')}`);
  if (pushes.length) parts.push(`push ${pushes.join(' ')}`);
  return parts.length ? `  | ${parts.join(', ')}` : '';
}

const hex = (v: number, digits: number) => `0x${v.toString(16).padStart(digits, '0')}`;

function loops(i: LoopFields): string {
  const n = i.uop_end - i.uop_bgn;
  return `uop [${i.uop_bgn},${i.uop_end})${n <= 0 ? ' (empty)' : ''}  iter ${i.iter_out}x${i.iter_in}`;
}

function factors(label: string, out: number, inn: number): string {
  return `${label} +${out}/+${inn}`;
}

/** The instruction's name as disassemble prints it first: LOAD WGT, GEMM RESET, ALU SHR, FINISH… */
export function mnemonic(p: VtaParams, insn: Insn): string {
  switch (insn.opcode) {
    case 0:
    case 1:
      return `${insn.opcode === 0 ? 'LOAD' : 'STORE'} ${MEM_NAMES[insn.memory_type] ?? `MEM${insn.memory_type}`}`;
    case 2:
      return insn.reset_reg ? 'GEMM RESET' : 'GEMM';
    case 4:
      return `ALU ${aluOpName(p, (insn as AluInsn).alu_opcode)}`;
    case 3:
      return 'FINISH';
  }
}

export function disassemble(p: VtaParams, insn: Insn): string {
  let body: string;
  const name = mnemonic(p, insn).padEnd(14);
  switch (insn.opcode) {
    case 0:
    case 1: {
      if (insn.x_size === 0) {
        body = `${name} nop`;
        break;
      }
      const arrow = insn.opcode === 0 ? `sram ${hex(insn.sram_base, 4)} <- dram ${hex(insn.dram_base, 8)}` : `sram ${hex(insn.sram_base, 4)} -> dram ${hex(insn.dram_base, 8)}`;
      const pads = insn.y_pad_0 || insn.y_pad_1 || insn.x_pad_0 || insn.x_pad_1 ? `  pad y(${insn.y_pad_0},${insn.y_pad_1}) x(${insn.x_pad_0},${insn.x_pad_1})` : '';
      const minPad = insn.is_pad_min_value ? ' min' : '';
      body = `${name} ${arrow}  ${insn.y_size}x${insn.x_size} stride ${insn.x_stride}${pads}${minPad}`;
      break;
    }
    case 2:
      body = insn.reset_reg
        ? `${name} ${loops(insn)}  ${factors('acc', insn.dst_factor_out, insn.dst_factor_in)}`
        : `${name} ${loops(insn)}  ${factors('acc', insn.dst_factor_out, insn.dst_factor_in)}  ${factors('inp', insn.src_factor_out, insn.src_factor_in)}  ${factors('wgt', insn.wgt_factor_out, insn.wgt_factor_in)}`;
      break;
    case 4: {
      const a = insn as AluInsn;
      const operand = a.use_imm ? `imm ${a.imm}` : factors('src', a.src_factor_out, a.src_factor_in);
      body = `${name} ${loops(a)}  ${factors('dst', a.dst_factor_out, a.dst_factor_in)}  ${operand}`;
      break;
    }
    case 3:
      body = name;
      break;
  }
  return `${body.trimEnd()}${deps(insn)}`;
}

export function disassembleUop(uop: Uop): string {
  return `dst ${uop.dst_idx} src ${uop.src_idx} wgt ${uop.wgt_idx}`;
}

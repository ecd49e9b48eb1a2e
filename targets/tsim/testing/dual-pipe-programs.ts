/**
 * Hand-made programs for the compute module's two pipes (targets/tsim/rtl/vta_compute.sv): INP,
 * WGT and ACC loaded with seeded data, a body of GEMM / ALU instructions with their own micro-ops,
 * then one or more STOREs of ACC rows, each released by a body instruction's CMP->ST push and
 * handing a token back (ST->CMP) that a later body instruction or FINISH pops.
 */
import type { ProgramBundle } from '../../../runtime/bundle/bundle.js';
import type { VtaParams } from '../../../runtime/config/config.js';
import { encodeProgram, encodeUops } from '../../../runtime/isa/codec.js';
import type { Insn, Uop } from '../../../runtime/isa/insn.js';
import { MEM_ID } from '../../../runtime/isa/layout.js';
import { prng, randomBytes } from '../../../runtime/workloads/random-program.js';
import { finishInsn, gemmInsn, memInsn } from './bundles.js';

const ADDR = { insn: 0x1000, uop: 0x4000, inp: 0x10000, wgt: 0x40000, acc: 0x100000, out: 0x200000 };
/** Rows of INP and WGT loaded (GEMM micro-ops index below this). */
export const TENSOR_ROWS = 16;
/** ACC rows loaded with data before the body (and the rows the stores may read). */
export const ACC_ROWS = 64;

/**
 * A STORE of `rows` ACC rows from `sramBase`, placed in the stream right after body[after]
 * (which pushes CMP->ST for it). Its ST->CMP token is popped by body[popBy], or at the end.
 */
export interface StoreSpec {
  after: number;
  sramBase: number;
  rows: number;
  popBy?: number;
}

export interface DualPipeProgram {
  body: Insn[];
  uops: Uop[];
  stores: StoreSpec[];
  /** More ACC rows loaded with data (e.g. at the top of the buffer). */
  extraAcc?: { sramBase: number; rows: number };
}

export interface BuiltDualPipeProgram {
  bundle: ProgramBundle;
  /** Program index of each body instruction and each store. */
  bodyPc: number[];
  storePc: number[];
}

export const gemm = (f: Partial<Insn>): Insn => gemmInsn(f);
export const reset = (f: Partial<Insn>): Insn => gemmInsn({ ...f, reset_reg: 1 });
export const alu = (aluOpcode: number, f: Partial<Insn>): Insn =>
  ({ ...gemmInsn(f), opcode: 4, alu_opcode: aluOpcode, use_imm: 1, imm: 0, ...f, reset_reg: 0 }) as Insn;
export const ALU = { MIN: 0, MAX: 1, ADD: 2, SHR: 3 } as const;

/** Micro-ops dst = dstBase + i, src = srcBase + i, wgt = i for i < n. */
export function rowUops(n: number, dstBase: number, srcBase: number): Uop[] {
  return Array.from({ length: n }, (_, i) => ({ dst_idx: dstBase + i, src_idx: srcBase + i, wgt_idx: i % TENSOR_ROWS }));
}

/**
 * The whole program: body[0] pops the LD->CMP token of the WGT load; each store pops the CMP->ST
 * token of body[after] (which gets push_next) and pushes ST->CMP, popped by body[popBy] or by a
 * compute NOP before FINISH. Outputs: the stores' rows, in store order.
 */
export function dualPipeProgram(p: VtaParams, prog: DualPipeProgram, seed = 1): BuiltDualPipeProgram {
  const rand = prng(seed);
  const e = p.elemBytes;
  const body = prog.body.map((i) => ({ ...i }));
  body[0]!.pop_prev_dep = 1;
  const extra = prog.extraAcc;
  const accRows = ACC_ROWS + (extra?.rows ?? 0);
  const insns: Insn[] = [
    memInsn(0, MEM_ID.INP, { dram_base: ADDR.inp / e.inp, x_size: TENSOR_ROWS, x_stride: TENSOR_ROWS }),
    memInsn(0, MEM_ID.WGT, { dram_base: ADDR.wgt / e.wgt, x_size: TENSOR_ROWS, x_stride: TENSOR_ROWS, push_next_dep: 1 }),
    memInsn(0, MEM_ID.UOP, { dram_base: ADDR.uop / 4, x_size: prog.uops.length, x_stride: prog.uops.length }),
    memInsn(0, MEM_ID.ACC, { dram_base: ADDR.acc / e.acc, x_size: ACC_ROWS, x_stride: ACC_ROWS }),
  ];
  if (extra) insns.push(memInsn(0, MEM_ID.ACC, { sram_base: extra.sramBase, dram_base: ADDR.acc / e.acc + ACC_ROWS, x_size: extra.rows, x_stride: extra.rows }));
  let outRows = 0;
  const outputs: ProgramBundle['outputs'] = [];
  const bodyPc: number[] = [];
  const storePc: number[] = [];
  let unpopped = 0;
  body.forEach((insn, k) => {
    for (const s of prog.stores) if (s.popBy === k || (s.popBy === undefined && s.after === k - 1)) insn.pop_next_dep = 1;
    bodyPc.push(insns.length);
    insns.push(insn);
    for (const s of prog.stores.filter((x) => x.after === k)) {
      insn.push_next_dep = 1;
      const addr = ADDR.out + outRows * e.out;
      storePc.push(insns.length);
      insns.push(memInsn(1, MEM_ID.OUT, { sram_base: s.sramBase, dram_base: addr / e.out, x_size: s.rows, x_stride: s.rows, pop_prev_dep: 1, push_prev_dep: 1 }));
      outputs.push({ name: `out${outputs.length}`, addr, size: s.rows * e.out });
      outRows += s.rows;
      if ((s.popBy ?? k + 1) >= body.length) unpopped++;
    }
  });
  // Compute NOPs taking the tokens of the stores nobody popped, so FINISH comes after them.
  for (let t = 0; t < unpopped; t++) insns.push(memInsn(0, MEM_ID.UOP, { x_size: 0, pop_next_dep: 1 }));
  insns.push(finishInsn());

  const uopBytes = encodeUops(p, prog.uops);
  const bundle: ProgramBundle = {
    params: p,
    insnAddr: ADDR.insn,
    insnCount: insns.length,
    buffers: [
      { name: 'insn', role: 'insn', addr: ADDR.insn, bytes: encodeProgram(p, insns) },
      { name: 'uop', role: 'uop', addr: ADDR.uop, bytes: uopBytes },
      { name: 'inp', role: 'inp', addr: ADDR.inp, bytes: randomBytes(rand, TENSOR_ROWS * e.inp) },
      { name: 'wgt', role: 'wgt', addr: ADDR.wgt, bytes: randomBytes(rand, TENSOR_ROWS * e.wgt) },
      { name: 'acc', role: 'acc', addr: ADDR.acc, bytes: randomBytes(rand, accRows * e.acc) },
      { name: 'out', role: 'out', addr: ADDR.out, bytes: new Uint8Array(Math.max(outRows, 1) * e.out).fill(0xa5) },
    ],
    outputs,
    sourceMap: insns.map(() => null),
  };
  return { bundle, bodyPc, storePc };
}

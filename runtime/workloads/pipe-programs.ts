/**
 * Hand-placed programs for a compute module with two pipes (GEMM beside ALU, an in-order retire
 * queue, token pushes made early when nothing older is in the way): INP, WGT, UOP and ACC loaded
 * with seeded data, then a list of steps in program order — GEMM / ALU instructions with their own
 * loop fields, STOREs of ACC rows and reloads of INP — with the dependency tokens wired by the kit:
 *
 *   - the first compute step pops the WGT load's LD->CMP token;
 *   - a store pops CMP->ST, pushed by the compute step right before it, and pushes ST->CMP back;
 *   - an INP reload pops CMP->LD, pushed by the compute step right before it, and pushes LD->CMP;
 *   - each token pushed back is popped by the next compute step (one per step, oldest first), the
 *     rest by compute NOPs before FINISH.
 *
 * The expected outputs come from `pipeGolden`: the steps run one after another in program order
 * (what the tokens allow a sequential machine to do), on plain arrays — no target code.
 */
import type { ProgramBundle } from '../bundle/bundle.js';
import type { VtaParams } from '../config/config.js';
import { aluScalar, type AluOpName } from '../golden/alu.js';
import { wrapInt32 } from '../golden/int.js';
import { DramAllocator } from '../builder/dram-allocator.js';
import { encodeProgram, encodeUops } from '../isa/codec.js';
import { NO_DEPS, type AluInsn, type GemmInsn, type Insn, type MemInsn, type Uop } from '../isa/insn.js';
import { MEM_ID } from '../isa/layout.js';
import { randomInt8, randomInt32, seededRand, bytesOf } from './workload-kit.js';

/** Rows of INP and WGT loaded (and reloaded). */
export const TENSOR_ROWS = 16;
/** ACC rows loaded with data before the steps (and the rows stores may read). */
export const ACC_ROWS = 64;

/** The loop fields of a GEMM / ALU step (dependency flags are the kit's). */
export type Loops = Pick<GemmInsn, 'uop_bgn' | 'uop_end' | 'iter_out' | 'iter_in'> & Partial<Pick<GemmInsn, 'dst_factor_out' | 'dst_factor_in' | 'src_factor_out' | 'src_factor_in' | 'wgt_factor_out' | 'wgt_factor_in'>>;

/** ALU opcodes common to upstream and the fork. */
export const ALU_OPCODE: Record<'min' | 'max' | 'add' | 'shr', number> = { min: 0, max: 1, add: 2, shr: 3 };

export type PipeStep =
  | { kind: 'gemm'; loops: Loops; reset?: boolean }
  | { kind: 'alu'; op: keyof typeof ALU_OPCODE; loops: Loops; imm?: number }
  | { kind: 'store'; sramBase: number; rows: number }
  | { kind: 'reload-inp' };

export interface PipeProgram {
  uops: Uop[];
  steps: PipeStep[];
}

const mem = (opcode: 0 | 1, memory_type: number, f: Partial<MemInsn>): MemInsn => ({
  ...NO_DEPS, opcode, memory_type, sram_base: 0, dram_base: 0, is_pad_min_value: 0, y_size: 1, x_size: 1, x_stride: 1, y_pad_0: 0, y_pad_1: 0, x_pad_0: 0, x_pad_1: 0, ...f,
});

function loopFields(l: Loops) {
  return {
    reset_reg: 0, dst_factor_out: 0, dst_factor_in: 0, src_factor_out: 0, src_factor_in: 0, ...l,
  };
}

function computeInsn(s: Extract<PipeStep, { kind: 'gemm' | 'alu' }>): GemmInsn | AluInsn {
  const { wgt_factor_out = 0, wgt_factor_in = 0, ...l } = s.loops;
  if (s.kind === 'gemm') return { ...NO_DEPS, opcode: 2, ...loopFields(l), reset_reg: s.reset ? 1 : 0, wgt_factor_out, wgt_factor_in };
  const useImm = s.imm !== undefined;
  return { ...NO_DEPS, opcode: 4, ...loopFields(l), alu_opcode: ALU_OPCODE[s.op], use_imm: useImm ? 1 : 0, imm: s.imm ?? 0 };
}

/** The seeded data a program starts from (and reloads). */
interface PipeData {
  inp: Int8Array;
  inp2: Int8Array;
  wgt: Int8Array;
  acc: Int32Array;
}

function seededData(p: VtaParams, seed: number): PipeData {
  const rand = seededRand(seed);
  return {
    inp: randomInt8(rand, TENSOR_ROWS * p.batch * p.blockIn),
    wgt: randomInt8(rand, TENSOR_ROWS * p.blockOut * p.blockIn),
    // Moderate accumulators: the stored low bytes still change with every term added.
    acc: randomInt32(rand, ACC_ROWS * p.batch * p.blockOut, -(2 ** 20), 2 ** 20),
    inp2: randomInt8(rand, TENSOR_ROWS * p.batch * p.blockIn),
  };
}

/** The program's bundle (outputs `out0`, `out1`, … in store order) with `expected` from pipeGolden. */
export function pipeProgram(p: VtaParams, prog: PipeProgram, workload: { name: string; seed: number; params: Record<string, unknown> }): ProgramBundle {
  const data = seededData(p, workload.seed);
  const e = p.elemBytes;
  // Data buffers page after page from the first page, as upstream's allocator places buffers
  // allocated in address order (docs/bundle-format.md); the program last, its size known only
  // once built.
  const dram = new DramAllocator();
  const storedRows = prog.steps.reduce((n, s) => n + (s.kind === 'store' ? s.rows : 0), 0);
  const dataBuffers = [
    dram.alloc('uop', 'uop', encodeUops(p, prog.uops)),
    dram.alloc('inp', 'inp', bytesOf(data.inp)),
    dram.alloc('inp2', 'inp', bytesOf(data.inp2)),
    dram.alloc('wgt', 'wgt', bytesOf(data.wgt)),
    dram.alloc('acc', 'acc', bytesOf(data.acc)),
    dram.alloc('out', 'out', new Uint8Array(Math.max(storedRows, 1) * e.out).fill(0xa5)),
  ];
  const ADDR = Object.fromEntries(dataBuffers.map((b) => [b.name, b.addr])) as Record<'uop' | 'inp' | 'inp2' | 'wgt' | 'acc' | 'out', number>;
  const insns: Insn[] = [
    mem(0, MEM_ID.INP, { dram_base: ADDR.inp / e.inp, x_size: TENSOR_ROWS, x_stride: TENSOR_ROWS }),
    mem(0, MEM_ID.WGT, { dram_base: ADDR.wgt / e.wgt, x_size: TENSOR_ROWS, x_stride: TENSOR_ROWS, push_next_dep: 1 }),
    mem(0, MEM_ID.UOP, { dram_base: ADDR.uop / 4, x_size: prog.uops.length, x_stride: prog.uops.length }),
    mem(0, MEM_ID.ACC, { dram_base: ADDR.acc / e.acc, x_size: ACC_ROWS, x_stride: ACC_ROWS }),
  ];
  // Tokens pushed back to compute, waiting for a compute step to pop them (oldest first).
  const owed: ('ld' | 'st')[] = ['ld'];
  let lastCompute: Insn | undefined;
  const outputs: ProgramBundle['outputs'] = [];
  let outRows = 0;
  for (const s of prog.steps) {
    if (s.kind === 'gemm' || s.kind === 'alu') {
      const insn = computeInsn(s);
      const t = owed.shift();
      if (t === 'ld') insn.pop_prev_dep = 1;
      if (t === 'st') insn.pop_next_dep = 1;
      insns.push(insn);
      lastCompute = insn;
      continue;
    }
    if (!lastCompute || (lastCompute.opcode !== 2 && lastCompute.opcode !== 4)) throw new Error(`pipe program ${workload.name}: a ${s.kind} needs a compute step right before it`);
    if (s.kind === 'store') {
      lastCompute.push_next_dep = 1;
      const addr = ADDR.out + outRows * e.out;
      insns.push(mem(1, MEM_ID.OUT, { sram_base: s.sramBase, dram_base: addr / e.out, x_size: s.rows, x_stride: s.rows, pop_prev_dep: 1, push_prev_dep: 1 }));
      outputs.push({ name: `out${outputs.length}`, addr, size: s.rows * e.out });
      outRows += s.rows;
      owed.push('st');
    } else {
      lastCompute.push_prev_dep = 1;
      insns.push(mem(0, MEM_ID.INP, { dram_base: ADDR.inp2 / e.inp, x_size: TENSOR_ROWS, x_stride: TENSOR_ROWS, pop_next_dep: 1, push_next_dep: 1 }));
      owed.push('ld');
    }
    lastCompute = undefined;
  }
  // Compute NOPs (empty UOP loads) take the tokens nobody popped, so FINISH comes after their senders.
  for (const t of owed) insns.push(mem(0, MEM_ID.UOP, { x_size: 0, ...(t === 'ld' ? { pop_prev_dep: 1 } : { pop_next_dep: 1 }) }));
  insns.push({ ...NO_DEPS, opcode: 3 });

  const golden = pipeGolden(p, prog, data);
  const expected: Record<string, Uint8Array> = {};
  outputs.forEach((o, k) => (expected[o.name] = golden[k]!));
  const program = dram.alloc('insn', 'insn', encodeProgram(p, insns));
  return {
    params: p,
    insnAddr: program.addr,
    insnCount: insns.length,
    buffers: dram.buffers,
    outputs,
    sourceMap: insns.map(() => null),
    workload: { name: workload.name, params: workload.params, seed: workload.seed },
    expected,
  };
}

/**
 * The stores' bytes when the steps run one at a time in program order: GEMM adds INP row ·
 * WGT rowᵀ to the ACC row (or zeroes it, reset), ALU combines each lane with the immediate or the
 * source row's lane, a store keeps each lane's low byte, a reload replaces INP.
 */
export function pipeGolden(p: VtaParams, prog: PipeProgram, data: PipeData): Uint8Array[] {
  const accLanes = p.batch * p.blockOut;
  const inpLanes = p.batch * p.blockIn;
  const wgtLanes = p.blockOut * p.blockIn;
  const acc = new Int32Array(p.accDepth * accLanes);
  acc.set(data.acc);
  let inp = data.inp;
  const outs: Uint8Array[] = [];
  for (const s of prog.steps) {
    if (s.kind === 'store') {
      const out = new Uint8Array(s.rows * accLanes);
      for (let k = 0; k < out.length; k++) out[k] = acc[s.sramBase * accLanes + k]! & 0xff;
      outs.push(out);
      continue;
    }
    if (s.kind === 'reload-inp') {
      inp = data.inp2;
      continue;
    }
    const l = { dst_factor_out: 0, dst_factor_in: 0, src_factor_out: 0, src_factor_in: 0, wgt_factor_out: 0, wgt_factor_in: 0, ...s.loops };
    for (let y = 0; y < l.iter_out; y++) {
      for (let x = 0; x < l.iter_in; x++) {
        for (let u = l.uop_bgn; u < l.uop_end; u++) {
          const uop = prog.uops[u]!;
          const d = uop.dst_idx + y * l.dst_factor_out + x * l.dst_factor_in;
          const src = uop.src_idx + y * l.src_factor_out + x * l.src_factor_in;
          if (d >= p.accDepth) throw new Error(`pipe program: ACC row ${d} past the buffer`);
          if (s.kind === 'gemm') {
            const w = uop.wgt_idx + y * l.wgt_factor_out + x * l.wgt_factor_in;
            for (let b = 0; b < p.batch; b++) {
              for (let o = 0; o < p.blockOut; o++) {
                let sum = s.reset ? 0 : acc[d * accLanes + b * p.blockOut + o]!;
                if (!s.reset) for (let i = 0; i < p.blockIn; i++) sum += inp[src * inpLanes + b * p.blockIn + i]! * data.wgt[w * wgtLanes + o * p.blockIn + i]!;
                acc[d * accLanes + b * p.blockOut + o] = wrapInt32(sum);
              }
            }
          } else {
            for (let k = 0; k < accLanes; k++) {
              const a = acc[d * accLanes + k]!;
              const bv = s.imm !== undefined ? s.imm : acc[src * accLanes + k]!;
              acc[d * accLanes + k] = aluScalar(s.op as AluOpName, a, bv);
            }
          }
        }
      }
    }
  }
  return outs;
}

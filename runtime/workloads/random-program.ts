/**
 * Seeded random programs that exercise every data path of the RTL for any configuration: padded
 * 2-D loads of INP, WGT, ACC and ACC_8BIT (most-negative padding when the configuration has the
 * flag), micro-op loads, GEMM and ALU loop nests with factors, every ALU opcode of the
 * configuration (immediate and tensor forms), a strided STORE, and the token hand-offs
 * load → compute → store → compute. All indices stay inside what was loaded, so every target reads
 * defined data. Shift amounts stay inside -31..31 (a tensor SHR's amount rows are clamped first)
 * unless undefined behaviour is asked for, and a design's capabilities (runtime/capabilities.ts)
 * narrow the opcodes and drop the ACC_8BIT load. The expected results come from running the same
 * bundle on another target (fsim).
 */
import type { BufferRole, ProgramBundle } from '../bundle/bundle.js';
import { mulberry32 } from '../mulberry32.js';
import { DramAllocator } from '../builder/dram-allocator.js';
import type { VtaParams } from '../config/config.js';
import { encodeProgram, encodeUops } from '../isa/codec.js';
import { MEM_ID } from '../isa/layout.js';
import { NO_DEPS, type AluInsn, type GemmInsn, type Insn, type MemInsn, type Uop } from '../isa/insn.js';
import { aluOpcodesFor, type Capabilities } from '../capabilities.js';

export interface RandomProgramOptions {
  /** Keep inside what a design implements: no ACC_8BIT load without acc8Load, only its ALU opcodes. */
  capabilities?: Capabilities;
  /**
   * Allow what upstream leaves undefined: shift amounts outside -31..31 (immediate, or the data a
   * tensor-form SHR reads). Default false: immediates stay inside, and a tensor-form SHR first
   * clamps its amount rows to -31..31 with ALU MAX / MIN (immediate, src = dst).
   */
  undefinedBehaviour?: boolean;
}

/** Shift amounts every VTA model agrees on (upstream's fsim leaves the others undefined). */
const SHR_LIMIT = 31;

/** Seeded integers in [0, n): mulberry32's draws modulo n. */
export function prng(seed: number): (n: number) => number {
  const draw = mulberry32(seed);
  return (n: number) => (draw() % n) >>> 0;
}

const ACC_ROWS = 24;

interface Load2d {
  insn: MemInsn;
  /** Destination elements written (data and padding). */
  written: number;
  /** Source bytes the load reads. */
  srcBytes: number;
}

/** A load reading from DRAM element rand(2) onward: dram_base is relative until the buffers are placed. */
function load2d(rand: (n: number) => number, p: VtaParams, memoryType: number, sramBase: number, elemBytes: number): Load2d {
  const x = 1 + rand(4);
  const y = 1 + rand(3);
  const pads = [rand(3), rand(3), rand(3), rand(3)] as const;
  const stride = x + rand(3);
  const insn: MemInsn = {
    ...NO_DEPS,
    opcode: 0,
    memory_type: memoryType,
    sram_base: sramBase,
    dram_base: rand(2),
    is_pad_min_value: p.padMinValue ? rand(2) : 0,
    y_size: y,
    x_size: x,
    x_stride: stride,
    y_pad_0: pads[0],
    y_pad_1: pads[1],
    x_pad_0: pads[2],
    x_pad_1: pads[3],
  };
  const written = (pads[0] + y + pads[1]) * (pads[2] + x + pads[3]);
  const srcBytes = (insn.dram_base + (y - 1) * stride + x) * elemBytes;
  return { insn, written, srcBytes };
}

export function randomBytes(rand: (n: number) => number, n: number): Uint8Array {
  return Uint8Array.from({ length: n }, () => rand(256));
}

/** A loop nest whose indices stay below the bounds: [count, factor] pairs for out and in. */
function loops(rand: (n: number) => number): { iterOut: number; iterIn: number } {
  return { iterOut: 1 + rand(3), iterIn: 1 + rand(3) };
}

function factorFor(rand: (n: number) => number, room: number, iters: number): number {
  // The largest factor that keeps base + (iters-1)·factor below the bound for some base ≥ 0.
  const max = iters > 1 ? Math.floor(room / (iters - 1)) : 0;
  return max > 0 ? rand(Math.min(max, 3) + 1) : 0;
}

export function randomProgram(p: VtaParams, seed: number, opts: RandomProgramOptions = {}): ProgramBundle {
  const rand = prng(seed);
  const withAcc8 = opts.capabilities?.acc8Load !== false;
  const opcodes = aluOpcodesFor(p, opts.capabilities);
  const undefinedOk = opts.undefinedBehaviour === true;
  const e = p.elemBytes;
  const inp = load2d(rand, p, MEM_ID.INP, rand(3), e.inp);
  const wgt = load2d(rand, p, MEM_ID.WGT, rand(3), e.wgt);
  // GEMM reads only rows the loads wrote: [sram_base, sram_base + written).
  const inpRows = inp.written;
  const wgtRows = wgt.written;
  wgt.insn.push_next_dep = 1; // LD -> CMP: compute may read INP/WGT

  // ACC rows 0..ACC_ROWS-1 from 32-bit data, then a padded ACC_8BIT block right after them.
  const accLoad: MemInsn = {
    ...NO_DEPS,
    opcode: 0,
    memory_type: MEM_ID.ACC,
    sram_base: 0,
    dram_base: 0,
    is_pad_min_value: 0,
    y_size: 2,
    x_size: ACC_ROWS / 2,
    x_stride: ACC_ROWS / 2 + 1,
    y_pad_0: 0,
    y_pad_1: 0,
    x_pad_0: 0,
    x_pad_1: 0,
    pop_prev_dep: 1,
  };
  const acc8 = load2d(rand, p, MEM_ID.ACC_8BIT, ACC_ROWS, e.acc / 4);

  // GEMM micro-ops at uop index 0.., ALU micro-ops at 32..
  const gemmUops: Uop[] = [];
  const g = loops(rand);
  const gDstFo = factorFor(rand, ACC_ROWS - 1, g.iterOut);
  const gDstFi = factorFor(rand, ACC_ROWS - 1 - (g.iterOut - 1) * gDstFo, g.iterIn);
  const gSrcFo = factorFor(rand, inpRows - 1, g.iterOut);
  const gSrcFi = factorFor(rand, inpRows - 1 - (g.iterOut - 1) * gSrcFo, g.iterIn);
  const gWgtFo = factorFor(rand, wgtRows - 1, g.iterOut);
  const gWgtFi = factorFor(rand, wgtRows - 1 - (g.iterOut - 1) * gWgtFo, g.iterIn);
  const span = (fo: number, fi: number) => (g.iterOut - 1) * fo + (g.iterIn - 1) * fi;
  const nGemmUops = 1 + rand(4);
  for (let u = 0; u < nGemmUops; u++) {
    gemmUops.push({
      dst_idx: rand(ACC_ROWS - span(gDstFo, gDstFi)),
      src_idx: inp.insn.sram_base + rand(inpRows - span(gSrcFo, gSrcFi)),
      wgt_idx: wgt.insn.sram_base + rand(wgtRows - span(gWgtFo, gWgtFi)),
    });
  }
  const gemm: GemmInsn = {
    ...NO_DEPS,
    opcode: 2,
    reset_reg: rand(8) === 0 ? 1 : 0,
    uop_bgn: 0,
    uop_end: nGemmUops,
    iter_out: g.iterOut,
    iter_in: g.iterIn,
    dst_factor_out: gDstFo,
    dst_factor_in: gDstFi,
    src_factor_out: gSrcFo,
    src_factor_in: gSrcFi,
    wgt_factor_out: gWgtFo,
    wgt_factor_in: gWgtFi,
  };

  const aluRows = ACC_ROWS + (withAcc8 ? acc8.written : 0);
  const aluInsns: AluInsn[] = [];
  const aluUops: Uop[] = [];
  for (let k = 0; k < 3; k++) {
    const l = loops(rand);
    const dFo = factorFor(rand, ACC_ROWS - 1, l.iterOut);
    const dFi = factorFor(rand, ACC_ROWS - 1 - (l.iterOut - 1) * dFo, l.iterIn);
    const sFo = factorFor(rand, aluRows - 1, l.iterOut);
    const sFi = factorFor(rand, aluRows - 1 - (l.iterOut - 1) * sFo, l.iterIn);
    const op = opcodes[rand(opcodes.length)]!;
    const useImm = rand(2);
    // Shift amounts mostly small; beyond ±31 (fsim's clamping rules) only when asked for.
    const wide = undefinedOk ? rand(80) - 40 : rand(2 * SHR_LIMIT + 1) - SHR_LIMIT;
    const imm = op === 3 ? rand(2) ? wide : rand(11) - 5 : rand(0x10000) - 0x8000;
    const bgn = 32 + aluUops.length;
    const n = 1 + rand(3);
    for (let u = 0; u < n; u++) {
      aluUops.push({
        dst_idx: rand(ACC_ROWS - ((l.iterOut - 1) * dFo + (l.iterIn - 1) * dFi)),
        src_idx: rand(aluRows - ((l.iterOut - 1) * sFo + (l.iterIn - 1) * sFi)),
        wgt_idx: 0,
      });
    }
    if (op === 3 && !useImm && !undefinedOk) {
      // The amount rows (the SHR's src rows) are clamped to -31..31 in place first: uops that
      // name each src row as dst and src, walked with the SHR's src factors.
      const cBgn = 32 + aluUops.length;
      for (let u = bgn; u < bgn + n; u++) aluUops.push({ dst_idx: aluUops[u - 32]!.src_idx, src_idx: aluUops[u - 32]!.src_idx, wgt_idx: 0 });
      for (const [clampOp, bound] of [[1, -SHR_LIMIT], [0, SHR_LIMIT]] as const) {
        aluInsns.push({
          ...NO_DEPS, opcode: 4, reset_reg: 0, uop_bgn: cBgn, uop_end: cBgn + n, iter_out: l.iterOut, iter_in: l.iterIn,
          dst_factor_out: sFo, dst_factor_in: sFi, src_factor_out: sFo, src_factor_in: sFi, alu_opcode: clampOp, use_imm: 1, imm: bound,
        });
      }
    }
    aluInsns.push({
      ...NO_DEPS,
      opcode: 4,
      reset_reg: 0,
      uop_bgn: bgn,
      uop_end: bgn + n,
      iter_out: l.iterOut,
      iter_in: l.iterIn,
      dst_factor_out: dFo,
      dst_factor_in: dFi,
      src_factor_out: sFo,
      src_factor_in: sFi,
      alu_opcode: op,
      use_imm: useImm,
      imm,
    });
  }
  aluInsns[aluInsns.length - 1]!.push_next_dep = 1; // CMP -> ST

  const uopWords = [...gemmUops, ...Array.from({ length: 32 - gemmUops.length }, () => ({ dst_idx: 0, src_idx: 0, wgt_idx: 0 })), ...aluUops];
  const uopBytes = encodeUops(p, uopWords);
  const uopLoad = (sram: number, count: number, pads: boolean): MemInsn => ({
    ...NO_DEPS,
    opcode: 0,
    memory_type: MEM_ID.UOP,
    sram_base: sram,
    dram_base: sram,
    is_pad_min_value: 0,
    y_size: 1,
    x_size: count,
    x_stride: count,
    y_pad_0: 0,
    y_pad_1: 0,
    x_pad_0: 0,
    x_pad_1: pads ? 1 : 0,
  });

  const storeRows = 3;
  const storeX = ACC_ROWS / storeRows;
  const storeStride = storeX + 1 + rand(2);
  const outBytes = (1 + (storeRows - 1) * storeStride + storeX) * e.out;
  const store: MemInsn = {
    ...NO_DEPS,
    opcode: 1,
    memory_type: MEM_ID.OUT,
    sram_base: 0,
    dram_base: 1,
    is_pad_min_value: 0,
    y_size: storeRows,
    x_size: storeX,
    x_stride: storeStride,
    y_pad_0: 0,
    y_pad_1: 0,
    x_pad_0: 0,
    x_pad_1: 0,
    pop_prev_dep: 1,
    push_prev_dep: 1,
  };

  const uopLoads = [uopLoad(0, nGemmUops, true), uopLoad(32, aluUops.length, false)];
  const insns: Insn[] = [
    inp.insn,
    wgt.insn,
    accLoad,
    ...(withAcc8 ? [acc8.insn] : []),
    ...uopLoads,
    gemm,
    ...aluInsns,
    store,
    { ...NO_DEPS, opcode: 3, pop_next_dep: 1 },
  ];
  // Buffers in allocation order, each on the pages after the last (upstream's VTAMemAlloc in the
  // same order places them identically); the instructions' DRAM bases become absolute here.
  const dram = new DramAllocator();
  const insnBuf = dram.alloc('insn', 'insn', insns.length * 16);
  const uopBuf = dram.alloc('uop', 'uop', uopBytes);
  const place = (name: string, role: BufferRole, bytes: Uint8Array | number, elemBytes: number, users: MemInsn[]) => {
    const buf = dram.alloc(name, role, bytes);
    for (const u of users) u.dram_base += buf.addr / elemBytes;
    return buf;
  };
  place('inp', 'inp', randomBytes(rand, inp.srcBytes), e.inp, [inp.insn]);
  place('wgt', 'wgt', randomBytes(rand, wgt.srcBytes), e.wgt, [wgt.insn]);
  place('acc', 'acc', randomBytes(rand, (2 * (ACC_ROWS / 2 + 1)) * e.acc), e.acc, [accLoad]);
  if (withAcc8) place('acc8', 'acc', randomBytes(rand, acc8.srcBytes), e.acc / 4, [acc8.insn]);
  const out = place('out', 'out', new Uint8Array(outBytes + e.out).fill(0xa5), e.out, [store]);
  for (const u of uopLoads) u.dram_base += uopBuf.addr / 4;
  insnBuf.bytes.set(encodeProgram(p, insns));
  return {
    params: p,
    insnAddr: insnBuf.addr,
    insnCount: insns.length,
    buffers: dram.buffers,
    outputs: [{ name: 'out', addr: out.addr, size: outBytes + e.out }],
    sourceMap: insns.map(() => null),
    workload: { name: 'rtl-random', seed },
  };
}

/**
 * GEMM and ALU (vta-isa.md §5.4–5.5) over the loop nest y < iter_out, x < iter_in, u in
 * [uop_bgn, uop_end). Rows an instruction touched are reported once, with their final values,
 * after it completes (the recorder canonicalises anyway; this keeps the event count down).
 *
 * The loops here are plain JavaScript over the scratchpads' typed arrays, with bounds checked in
 * the same order as upstream (dst, then src, then wgt), so a failing instruction leaves exactly
 * the writes of the iterations before the failing one.
 */
import { wantsWrites } from '../../runtime/contract/events.js';
import type { ExecContext } from './exec-context.js';
import { FsimFault } from './fault-error.js';
import { AluOp, aluRowImm, aluRowTensor } from './alu-ops.js';
import { gemmBlock } from './gemm-block.js';
import { reportRows } from './report-rows.js';
import { accRowFaultAt, corruptAccRows, type AccRowFault } from './row-faults.js';
import { F } from './slots.js';
import { SHL } from './wasm/alu-kernel.js';
import type { Kernels, NestKernel } from './wasm/kernels.js';

/**
 * Report the rows `c.touched` holds (runs of consecutive rows, ascending) with their final values,
 * and empty it. Under a seeded ACC row fault the rows are corrupted first (`before`: the ACC
 * buffer before the instruction, for acc-stale).
 */
function reportTouched(c: ExecContext, pc: number, cycle: number, fault?: AccRowFault, before?: Int32Array): void {
  const emit = wantsWrites(c.sink, 'sram.acc');
  c.touched.drain((first, count) => {
    if (fault) corruptAccRows(fault, c.sram, first, count, before);
    if (emit) reportRows(c, 'acc', pc, cycle, first, count);
  });
}

/** The seeded ACC row fault of instruction `pc`, and the ACC buffer before it when the fault needs it. */
function rowFaultOf(c: ExecContext, pc: number): { rowFault?: AccRowFault; before?: Int32Array } {
  const rowFault = accRowFaultAt(c, pc);
  // No object per instruction on the clean path.
  if (!rowFault) return NO_ROW_FAULT;
  return { rowFault, before: rowFault.kind === 'acc-stale' ? c.sram.acc.slice() : undefined };
}
const NO_ROW_FAULT: { rowFault?: AccRowFault; before?: Int32Array } = Object.freeze({});

/** What a kernel's non-zero status names. */
const KERNEL_BUFFERS = ['acc', 'inp', 'wgt'] as const;

/**
 * Mark the ACC rows the nest in c.nest writes (dst indices of every iteration) in c.touched.
 * After a kernel ran the nest, this is all tracing needs, so it must cost well below the kernel:
 * a factor of 0 repeats the same rows for every y (or x), so that loop runs once.
 */
function markDstRows(c: ExecContext): void {
  const { uopBgn, uopEnd, dstOut, dstIn } = c.nest;
  const iterOut = dstOut === 0 ? 1 : c.nest.iterOut;
  const iterIn = dstIn === 0 ? 1 : c.nest.iterIn;
  const { dstShift, dstMask } = c.uop;
  const uop = c.sram.uop;
  const touched = c.touched;
  // Every index is below the ACC depth: the kernel checked every index before returning 0.
  let last = -1;
  for (let u = uopBgn; u < uopEnd; u++) {
    const dst = (uop[u]! >>> dstShift) & dstMask;
    // Micro-ops accumulating into the same rows (a convolution's input channels) mark nothing new.
    if (dst === last) continue;
    last = dst;
    // A factor of 1 makes rows consecutive (the usual layouts): one range per y, or one in all
    // (also when each y's rows start where the last y's ended, as in a convolution's tile).
    if (iterIn === 1 && dstOut === 1) touched.addRange(dst, iterOut);
    else if (dstIn === 1 && dstOut === iterIn) touched.addRange(dst, iterOut * iterIn);
    else if (dstIn === 1) for (let y = 0; y < iterOut; y++) touched.addRange(dst + y * dstOut, iterIn);
    else for (let y = 0; y < iterOut; y++) for (let x = 0; x < iterIn; x++) touched.add(dst + y * dstOut + x * dstIn);
  }
}

/**
 * The kernel for an ALU operation, and its B argument. An immediate shift becomes SHR by 0..31,
 * SHL by 1..31 or MOV 0, which is exactly the shift rule of alu-ops.ts; tensor shifts have none.
 */
function aluKernelFor(k: Kernels, op: AluOp, useImm: boolean, imm: number): NestKernel | undefined {
  if (!useImm) return k.aluTensor[op];
  if (op !== AluOp.Shr) return k.aluImm[op];
  return k.aluImm[imm >= 0 ? AluOp.Shr : imm <= -32 ? AluOp.Mov : SHL];
}

function aluKernelArg(op: AluOp, useImm: boolean, imm: number): number {
  if (!useImm || op !== AluOp.Shr) return imm;
  return imm >= 0 ? Math.min(imm, 31) : imm <= -32 ? 0 : -imm;
}

function iterRecord(c: ExecContext, dst: number, src: number, wgt: number): Uint8Array {
  const row = c.sram.rows('acc', dst, 1);
  const out = new Uint8Array(12 + row.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, dst, true);
  dv.setUint32(4, src, true);
  dv.setUint32(8, wgt, true);
  out.set(row, 12);
  return out;
}

export function executeGemm(c: ExecContext, pc: number, cycle: number): void {
  const f = c.insn;
  const { p, sram } = c;
  const n = c.nest;
  if (!n.read(f)) return;
  const { uopBgn, uopEnd, iterOut, iterIn } = n;
  sram.check('uop', uopBgn, uopEnd - uopBgn, pc);
  const reset = f[F.reset_reg] !== 0;
  const { dstOut: dfo, dstIn: dfi, srcOut: sfo, srcIn: sfi, wgtOut: wfo, wgtIn: wfi } = n;
  const u32 = c.uop;
  // Rows touched are only tracked when someone listens for ACC writes (or a seeded fault corrupts them).
  const { rowFault, before } = rowFaultOf(c, pc);
  const track = wantsWrites(c.sink, 'sram.acc') || rowFault !== undefined;
  const iters = c.sink.wantsIters;
  const lanes = sram.accLanes;
  const bIn = p.blockIn;
  const bOut = p.blockOut;
  const batch = p.batch;
  const { acc, inp, wgt, uop } = sram;
  const { acc: accDepth, inp: inpDepth, wgt: wgtDepth } = sram.depth;
  const flipLane = c.fault?.kind === 'gemm-lane' && c.fault.pc === pc ? c.fault.lane : -1;
  // The WebAssembly kernel, unless per-iteration records or the seeded lane flip are wanted.
  if (sram.kernels && !iters && flipLane < 0) {
    const status = sram.kernels.gemm(uopBgn, uopEnd, iterOut, iterIn, dfo, dfi, sfo, sfi, wfo, wfi, reset ? 1 : 0);
    if (status !== 0) sram.outOfRange(KERNEL_BUFFERS[status - 1]!, sram.failedIndex[0]!, pc);
    if (!reset) c.counters.gemmOps += n.iterations;
    c.counters.accRowWrites! += n.iterations;
    if (track) {
      markDstRows(c);
      reportTouched(c, pc, cycle, rowFault, before);
    }
    return;
  }
  const touched = c.touched;
  let ordinal = 0;
  for (let y = 0; y < iterOut; y++) {
    for (let x = 0; x < iterIn; x++) {
      for (let u = uopBgn; u < uopEnd; u++, ordinal++) {
        const word = uop[u]!;
        const a = ((word >>> u32.dstShift) & u32.dstMask) + y * dfo + x * dfi;
        const i = ((word >>> u32.srcShift) & u32.srcMask) + y * sfo + x * sfi;
        const w = ((word >>> u32.wgtShift) & u32.wgtMask) + y * wfo + x * wfi;
        if (a >= accDepth) sram.outOfRange('acc', a, pc);
        const accBase = a * lanes;
        if (reset) {
          acc.fill(0, accBase, accBase + lanes);
        } else {
          if (i >= inpDepth) sram.outOfRange('inp', i, pc);
          if (w >= wgtDepth) sram.outOfRange('wgt', w, pc);
          gemmBlock(inp, wgt, acc, i * batch * bIn, w * bOut * bIn, accBase, batch, bIn, bOut);
          if (flipLane >= 0) acc[accBase + flipLane] = acc[accBase + flipLane]! ^ 1;
        }
        if (track) touched.add(a);
        if (iters) c.sink.iter('gemm.iter', pc, cycle, ordinal, iterRecord(c, a, i, w));
      }
    }
  }
  if (!reset) c.counters.gemmOps += n.iterations;
  c.counters.accRowWrites! += n.iterations;
  if (track) reportTouched(c, pc, cycle, rowFault, before);
}

export function executeAlu(c: ExecContext, pc: number, cycle: number): void {
  const f = c.insn;
  const { sram } = c;
  const opcode = c.fault?.kind === 'alu-op' && c.fault.pc === pc ? c.fault.op : f[F.alu_opcode]!;
  const op = c.aluOps[opcode];
  if (op === undefined) throw new FsimFault(pc, `ALU opcode ${opcode} is not defined for ALU_OPCODES=${c.p.aluOpcodes}`);
  // The loop fields straight from the slots: this runs for every ALU instruction, most of them short.
  const uopBgn = f[F.uop_bgn]!;
  const uopEnd = f[F.uop_end]!;
  const iterOut = f[F.iter_out]!;
  const iterIn = f[F.iter_in]!;
  // Reversed micro-op ranges and zero loop counts do nothing (targets/fsim/README.md).
  if (iterOut === 0 || iterIn === 0 || uopEnd <= uopBgn) return;
  if (uopEnd > sram.depth.uop) sram.outOfRange('uop', uopEnd - 1, pc);
  const dfo = f[F.dst_factor_out]!;
  const dfi = f[F.dst_factor_in]!;
  const sfo = f[F.src_factor_out]!;
  const sfi = f[F.src_factor_in]!;
  const useImm = f[F.use_imm] !== 0;
  const imm = f[F.imm]!;
  const iterations = iterOut * iterIn * (uopEnd - uopBgn);
  const { rowFault, before } = rowFaultOf(c, pc);
  const track = c.trackAcc || rowFault !== undefined;
  const iters = c.wantsIters;
  const kernels = sram.kernels;
  if (kernels !== undefined && !iters) {
    const kernel = aluKernelFor(kernels, op, useImm, imm);
    if (kernel) {
      if (kernel(uopBgn, uopEnd, iterOut, iterIn, dfo, dfi, sfo, sfi, 0, 0, aluKernelArg(op, useImm, imm)) !== 0) sram.outOfRange('acc', sram.failedIndex[0]!, pc);
      c.counters.aluOps += iterations;
      if (track) {
        c.nest.read(f);
        markDstRows(c);
        reportTouched(c, pc, cycle, rowFault, before);
      }
      return;
    }
  }
  const u32 = c.uop;
  const lanes = sram.accLanes;
  const { acc, uop } = sram;
  const accDepth = sram.depth.acc;
  const touched = track ? c.touched : undefined;
  let ordinal = 0;
  for (let y = 0; y < iterOut; y++) {
    for (let x = 0; x < iterIn; x++) {
      for (let u = uopBgn; u < uopEnd; u++, ordinal++) {
        const word = uop[u]!;
        const d = ((word >>> u32.dstShift) & u32.dstMask) + y * dfo + x * dfi;
        if (d >= accDepth) sram.outOfRange('acc', d, pc);
        let s = -1;
        if (useImm) {
          // Upstream fsim ignores src_idx entirely for immediates: dst = op(dst, imm).
          aluRowImm(op, acc, d * lanes, lanes, imm);
        } else {
          s = ((word >>> u32.srcShift) & u32.srcMask) + y * sfo + x * sfi;
          if (s >= accDepth) sram.outOfRange('acc', s, pc);
          aluRowTensor(op, acc, d * lanes, s * lanes, lanes);
        }
        touched?.add(d);
        if (iters) c.sink.iter('alu.iter', pc, cycle, ordinal, iterRecord(c, d, s, 0));
      }
    }
  }
  c.counters.aluOps += iterations;
  if (track) reportTouched(c, pc, cycle, rowFault, before);
}

/**
 * GEMM and ALU (vta-isa.md §5.4–5.5) over the loop nest y < iter_out, x < iter_in, u in
 * [uop_bgn, uop_end). Rows an instruction touched are reported once, with their final values,
 * after it completes (the recorder canonicalises anyway; this keeps the event count down).
 */
import type { VtaParams } from '../../runtime/config/config.js';
import type { AluInsn, GemmInsn } from '../../runtime/isa/insn.js';
import { layoutOf } from '../../runtime/isa/layout.js';
import type { ExecContext } from './exec-context.js';
import { FsimFault } from './fault-error.js';

interface UopFields {
  dstShift: number;
  dstMask: number;
  srcShift: number;
  srcMask: number;
  wgtShift: number;
  wgtMask: number;
}

const uopCache = new WeakMap<VtaParams, UopFields>();
function uopFields(p: VtaParams): UopFields {
  let f = uopCache.get(p);
  if (!f) {
    const l = layoutOf(p).UOP;
    const d = l.get('dst_idx')!;
    const s = l.get('src_idx')!;
    const w = l.get('wgt_idx')!;
    f = {
      dstShift: d.lsb,
      dstMask: 2 ** d.width - 1,
      srcShift: s.lsb,
      srcMask: 2 ** s.width - 1,
      wgtShift: w.lsb,
      wgtMask: 2 ** w.width - 1,
    };
    uopCache.set(p, f);
  }
  return f;
}

function emitTouched(c: ExecContext, pc: number, cycle: number, touched: Set<number>): void {
  if (!c.sink.wantsEvents) return;
  for (const a of [...touched].sort((x, y) => x - y)) c.sink.write('sram.acc', pc, cycle, a, c.sram.rowBytes('acc', a));
}

function iterRecord(c: ExecContext, dst: number, src: number, wgt: number): Uint8Array {
  const row = c.sram.rowBytes('acc', dst);
  const out = new Uint8Array(12 + row.length);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, dst, true);
  dv.setUint32(4, src, true);
  dv.setUint32(8, wgt, true);
  out.set(row, 12);
  return out;
}

export function executeGemm(c: ExecContext, insn: GemmInsn, pc: number, cycle: number): void {
  const { p, sram } = c;
  const f = uopFields(p);
  // Rows touched are only tracked when someone listens for events.
  const track = c.sink.wantsEvents;
  const touched = new Set<number>();
  const nUops = insn.uop_end - insn.uop_bgn;
  if (insn.iter_out === 0 || insn.iter_in === 0 || nUops <= 0) return;
  sram.check('uop', insn.uop_bgn, nUops, pc);
  const lanes = sram.accLanes;
  const bIn = p.blockIn;
  const bOut = p.blockOut;
  const batch = p.batch;
  const acc = sram.acc;
  const inp = sram.inp;
  const wgt = sram.wgt;
  const flipLane = c.fault?.kind === 'gemm-lane' && c.fault.pc === pc ? c.fault.lane : -1;
  let ordinal = 0;
  for (let y = 0; y < insn.iter_out; y++) {
    for (let x = 0; x < insn.iter_in; x++) {
      for (let u = insn.uop_bgn; u < insn.uop_end; u++, ordinal++) {
        const word = sram.uop[u]!;
        const a = ((word >>> f.dstShift) & f.dstMask) + y * insn.dst_factor_out + x * insn.dst_factor_in;
        const i = ((word >>> f.srcShift) & f.srcMask) + y * insn.src_factor_out + x * insn.src_factor_in;
        const w = ((word >>> f.wgtShift) & f.wgtMask) + y * insn.wgt_factor_out + x * insn.wgt_factor_in;
        sram.check('acc', a, 1, pc);
        const accBase = a * lanes;
        if (insn.reset_reg) {
          acc.fill(0, accBase, accBase + lanes);
        } else {
          sram.check('inp', i, 1, pc);
          sram.check('wgt', w, 1, pc);
          const inpBase = i * batch * bIn;
          const wgtBase = w * bOut * bIn;
          for (let b = 0; b < batch; b++) {
            const inRow = inpBase + b * bIn;
            for (let o = 0; o < bOut; o++) {
              const wRow = wgtBase + o * bIn;
              let sum = 0;
              // int8 · int8 summed over at most 64 lanes stays far inside 2^53: exact.
              for (let k = 0; k < bIn; k++) sum += inp[inRow + k]! * wgt[wRow + k]!;
              const lane = accBase + b * bOut + o;
              acc[lane] = (acc[lane]! + sum) | 0;
            }
          }
          if (flipLane >= 0) acc[accBase + flipLane] = acc[accBase + flipLane]! ^ 1;
        }
        if (track) touched.add(a);
        if (c.sink.wantsIters) c.sink.iter('gemm.iter', pc, cycle, ordinal, iterRecord(c, a, i, w));
      }
    }
  }
  if (!insn.reset_reg) c.counters.gemmOps += insn.iter_out * insn.iter_in * nUops;
  emitTouched(c, pc, cycle, touched);
}

/** One ALU operation on signed 32-bit lanes, for the configuration's opcode set. */
export type AluFn = (a: number, b: number) => number;

const shr: AluFn = (a, b) => (b >= 0 ? a >> Math.min(b, 31) : b <= -32 ? 0 : (a << -b) | 0);
const UPSTREAM_OPS: AluFn[] = [
  (a, b) => Math.min(a, b),
  (a, b) => Math.max(a, b),
  (a, b) => (a + b) | 0,
  shr,
  (a, b) => Math.imul(a, b),
];
const FORK_OPS: AluFn[] = [
  ...UPSTREAM_OPS.slice(0, 4),
  (a, b) => Math.max(Math.min(a, b), -b | 0), // CLP as the fork's fsim computes it
  (_a, b) => b, // MOV
  (a, b) => Math.imul((a << 24) >> 24, (b << 24) >> 24), // MUL8
];

export function aluFunction(p: VtaParams, opcode: number): AluFn | undefined {
  return (p.aluOpcodes === 'fork' ? FORK_OPS : UPSTREAM_OPS)[opcode];
}

export function executeAlu(c: ExecContext, insn: AluInsn, pc: number, cycle: number): void {
  const { p, sram } = c;
  const f = uopFields(p);
  const opcode = c.fault?.kind === 'alu-op' && c.fault.pc === pc ? c.fault.op : insn.alu_opcode;
  const fn = aluFunction(p, opcode);
  if (!fn) throw new FsimFault(pc, `ALU opcode ${opcode} is not defined for ALU_OPCODES=${p.aluOpcodes}`);
  const nUops = insn.uop_end - insn.uop_bgn;
  if (insn.iter_out === 0 || insn.iter_in === 0 || nUops <= 0) return;
  sram.check('uop', insn.uop_bgn, nUops, pc);
  const lanes = sram.accLanes;
  const acc = sram.acc;
  const track = c.sink.wantsEvents;
  const touched = new Set<number>();
  let ordinal = 0;
  for (let y = 0; y < insn.iter_out; y++) {
    for (let x = 0; x < insn.iter_in; x++) {
      for (let u = insn.uop_bgn; u < insn.uop_end; u++, ordinal++) {
        const word = sram.uop[u]!;
        const d = ((word >>> f.dstShift) & f.dstMask) + y * insn.dst_factor_out + x * insn.dst_factor_in;
        sram.check('acc', d, 1, pc);
        const dBase = d * lanes;
        let s = -1;
        if (insn.use_imm) {
          // Upstream fsim ignores src_idx entirely for immediates: dst = op(dst, imm).
          for (let k = 0; k < lanes; k++) acc[dBase + k] = fn(acc[dBase + k]!, insn.imm);
        } else {
          s = ((word >>> f.srcShift) & f.srcMask) + y * insn.src_factor_out + x * insn.src_factor_in;
          sram.check('acc', s, 1, pc);
          const sBase = s * lanes;
          for (let k = 0; k < lanes; k++) acc[dBase + k] = fn(acc[dBase + k]!, acc[sBase + k]!);
        }
        if (track) touched.add(d);
        if (c.sink.wantsIters) c.sink.iter('alu.iter', pc, cycle, ordinal, iterRecord(c, d, s, 0));
      }
    }
  }
  c.counters.aluOps += insn.iter_out * insn.iter_in * nUops;
  emitTouched(c, pc, cycle, touched);
}

/**
 * Whether a candidate program is one the program builder would have let through
 * (runtime/builder/README.md "Refusals"): every field fits, tokens are balanced, nothing
 * deadlocks and FINISH waits for every module (token-check.ts, finish-order.ts), no transfer
 * overflows a scratchpad or leaves its DRAM buffer, loop counts and sizes are at least 1, and
 * every micro-op a GEMM/ALU runs was loaded and reaches only indices inside the scratchpads.
 * One rule more than the builder's: nothing reads a scratchpad element the program has not
 * written (loaded, or computed) before it — a simulator process kept between candidates still
 * holds the last candidate's values there, and RTL starts with whatever it starts with, so such a
 * read diverges for reasons that are not the bug. (The builder's workloads never do it.)
 * A shrink step that breaks one of these is not taken: a divergence on a program no workload
 * can produce is not a reproducer of the bug.
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import type { VtaParams } from '../../runtime/config/config.js';
import { decodeUop } from '../../runtime/isa/codec.js';
import { MEM_ID } from '../../runtime/isa/layout.js';
import type { AluInsn, GemmInsn, Insn, MemInsn } from '../../runtime/isa/insn.js';
import { depthOf, fieldProblem, rangeProblem, type Scratchpad } from '../../runtime/builder/insn-checks.js';
import { checkTokens } from '../../runtime/builder/token-check.js';
import { maxIndex, type LoopNest } from '../../runtime/builder/uop-kernel.js';
import { VtaUserError } from '../../runtime/errors.js';
import { checkBundle } from '../../runtime/bundle/check-bundle.js';
import { isNop, type ShrinkInsn } from './program.js';

const PAD_OF: Record<number, Scratchpad> = { [MEM_ID.UOP]: 'uop', [MEM_ID.WGT]: 'wgt', [MEM_ID.INP]: 'inp', [MEM_ID.ACC]: 'acc', [MEM_ID.ACC_8BIT]: 'acc' };
const ALU_OPS = { upstream: 5, fork: 7 } as const;

function elemBytesOf(p: VtaParams, insn: MemInsn): number {
  if (insn.opcode === 1) return p.elemBytes.out;
  switch (insn.memory_type) {
    case MEM_ID.UOP: return p.elemBytes.uop;
    case MEM_ID.WGT: return p.elemBytes.wgt;
    case MEM_ID.INP: return p.elemBytes.inp;
    case MEM_ID.ACC: return p.elemBytes.acc;
    default: return p.elemBytes.acc / 4;
  }
}

function memProblem(p: VtaParams, insn: MemInsn, bundle: ProgramBundle): string | null {
  if (insn.y_size < 1) return `a transfer of ${insn.y_size}x${insn.x_size} elements moves nothing`;
  const elem = elemBytesOf(p, insn);
  const start = insn.dram_base * elem;
  const end = (insn.dram_base + (insn.y_size - 1) * insn.x_stride + insn.x_size) * elem;
  if (!bundle.buffers.some((b) => start >= b.addr && end <= b.addr + b.bytes.length)) return `DRAM range [0x${start.toString(16)}, 0x${end.toString(16)}) is not inside one buffer`;
  if (insn.opcode === 1) {
    if (insn.memory_type !== MEM_ID.OUT) return `STORE of memory type ${insn.memory_type}`;
    return rangeProblem(p, 'acc', insn.sram_base, insn.y_size * insn.x_size, 'STORE');
  }
  const pad = PAD_OF[insn.memory_type];
  if (!pad) return `LOAD of memory type ${insn.memory_type}`;
  if (pad === 'uop' && (insn.y_pad_0 || insn.y_pad_1 || insn.x_pad_0 || insn.x_pad_1 || insn.y_size !== 1)) return 'LOAD UOP with padding or several rows';
  const written = (insn.y_pad_0 + insn.y_size + insn.y_pad_1) * (insn.x_pad_0 + insn.x_size + insn.x_pad_1);
  return rangeProblem(p, pad, insn.sram_base, written, `LOAD of ${written} elements`);
}

/** Reads the micro-op words a LOAD UOP brings, so later GEMM/ALU micro-ops can be checked. */
function uopWords(bundle: ProgramBundle, insn: MemInsn): number[] {
  const words: number[] = [];
  for (let i = 0; i < insn.x_size; i++) {
    const addr = (insn.dram_base + i) * 4;
    const b = bundle.buffers.find((x) => addr >= x.addr && addr + 4 <= x.addr + x.bytes.length)!;
    const o = addr - b.addr;
    words.push((b.bytes[o]! | (b.bytes[o + 1]! << 8) | (b.bytes[o + 2]! << 16) | (b.bytes[o + 3]! << 24)) >>> 0);
  }
  return words;
}

function loopProblem(p: VtaParams, insn: GemmInsn | AluInsn, uops: (number | undefined)[]): string | null {
  if (insn.iter_out < 1 || insn.iter_in < 1) return `loop count ${insn.iter_out}x${insn.iter_in}: counts must be at least 1`;
  if (insn.uop_end <= insn.uop_bgn) return `empty micro-op range [${insn.uop_bgn},${insn.uop_end})`;
  if (insn.uop_end > p.uopDepth) return `micro-op range reaches ${insn.uop_end - 1}, depth is ${p.uopDepth}`;
  const alu = insn.opcode === 4;
  if (alu && insn.alu_opcode >= ALU_OPS[p.aluOpcodes]) return `ALU opcode ${insn.alu_opcode} is not in the ${p.aluOpcodes} set`;
  if (alu && insn.use_imm && (insn.src_factor_out !== insn.dst_factor_out || insn.src_factor_in !== insn.dst_factor_in)) return 'immediate ALU loop with source factors other than the destination factors';
  const nest = { ...insn, wgt_factor_out: alu ? 0 : insn.wgt_factor_out, wgt_factor_in: alu ? 0 : insn.wgt_factor_in } as LoopNest;
  for (let i = insn.uop_bgn; i < insn.uop_end; i++) {
    const w = uops[i];
    if (w === undefined) return `micro-op ${i} is used before any LOAD UOP wrote it`;
    const u = decodeUop(p, w);
    const checks: [Scratchpad, number][] = [['acc', maxIndex(u.dst_idx, nest, 'dst')]];
    if (alu) {
      if (insn.use_imm && u.src_idx !== u.dst_idx) return `immediate ALU micro-op ${i} with source ${u.src_idx} ≠ destination ${u.dst_idx}`;
      checks.push(['acc', maxIndex(u.src_idx, nest, 'src')]);
    } else if (!insn.reset_reg) {
      checks.push(['inp', maxIndex(u.src_idx, nest, 'src')], ['wgt', maxIndex(u.wgt_idx, nest, 'wgt')]);
    }
    for (const [pad, max] of checks) if (max >= depthOf(p, pad)) return `${pad.toUpperCase()} scratchpad overflow: micro-op ${i} reaches index ${max}, depth is ${depthOf(p, pad)}`;
  }
  return null;
}

/** Elements of each scratchpad written so far, in program order. */
class Written {
  private readonly sets: Record<'inp' | 'wgt' | 'acc', Uint8Array>;
  constructor(p: VtaParams) {
    this.sets = { inp: new Uint8Array(p.inpDepth), wgt: new Uint8Array(p.wgtDepth), acc: new Uint8Array(p.accDepth) };
  }
  write(pad: 'inp' | 'wgt' | 'acc', from: number, count: number): void {
    this.sets[pad].fill(1, from, from + count);
  }
  has(pad: 'inp' | 'wgt' | 'acc', i: number): boolean {
    return this.sets[pad][i] === 1;
  }
  set(pad: 'inp' | 'wgt' | 'acc', i: number): void {
    this.sets[pad][i] = 1;
  }
}

/** The element a GEMM/ALU reads before anything wrote it, or null; marks what it writes. */
function undefinedRead(p: VtaParams, insn: GemmInsn | AluInsn, uops: (number | undefined)[], w: Written): string | null {
  const alu = insn.opcode === 4;
  for (let o = 0; o < insn.iter_out; o++) {
    for (let n = 0; n < insn.iter_in; n++) {
      for (let k = insn.uop_bgn; k < insn.uop_end; k++) {
        const u = decodeUop(p, uops[k]!);
        const dst = u.dst_idx + o * insn.dst_factor_out + n * insn.dst_factor_in;
        const src = u.src_idx + o * insn.src_factor_out + n * insn.src_factor_in;
        if (alu) {
          if (!w.has('acc', dst)) return `ALU reads ACC ${dst} before anything wrote it`;
          if (!insn.use_imm && !w.has('acc', src)) return `ALU reads ACC ${src} before anything wrote it`;
        } else if (!insn.reset_reg) {
          const wgt = u.wgt_idx + o * insn.wgt_factor_out + n * insn.wgt_factor_in;
          if (!w.has('acc', dst)) return `GEMM accumulates onto ACC ${dst} before anything wrote it`;
          if (!w.has('inp', src)) return `GEMM reads INP ${src} before any LOAD wrote it`;
          if (!w.has('wgt', wgt)) return `GEMM reads WGT ${wgt} before any LOAD wrote it`;
        }
        w.set('acc', dst);
      }
    }
  }
  return null;
}

/** The first reason the builder would refuse this program, naming the instruction, or null. */
export function validityProblem(insns: readonly ShrinkInsn[], bundle: ProgramBundle): string | null {
  const p = bundle.params;
  try {
    checkBundle(bundle, 'candidate');
    checkTokens(insns.map((x) => ({ insn: x.insn, source: x.source })));
  } catch (e) {
    if (e instanceof VtaUserError) return e.message;
    throw e;
  }
  const uops: (number | undefined)[] = new Array(p.uopDepth);
  const written = new Written(p);
  for (let i = 0; i < insns.length; i++) {
    const insn: Insn = insns[i]!.insn;
    let problem = fieldProblem(p, insn);
    if (!problem && (insn.opcode === 0 || insn.opcode === 1) && !isNop(insn)) {
      problem = memProblem(p, insn, bundle);
      if (!problem && insn.opcode === 0 && insn.memory_type === MEM_ID.UOP) uopWords(bundle, insn).forEach((w, k) => (uops[insn.sram_base + k] = w));
      else if (!problem && insn.opcode === 0) written.write(PAD_OF[insn.memory_type] as 'inp' | 'wgt' | 'acc', insn.sram_base, (insn.y_pad_0 + insn.y_size + insn.y_pad_1) * (insn.x_pad_0 + insn.x_size + insn.x_pad_1));
      else if (!problem && insn.opcode === 1) {
        for (let e = insn.sram_base; e < insn.sram_base + insn.y_size * insn.x_size && !problem; e++) if (!written.has('acc', e)) problem = `STORE reads ACC ${e} before anything wrote it`;
      }
    }
    if (!problem && (insn.opcode === 2 || insn.opcode === 4)) problem = loopProblem(p, insn, uops) ?? undefinedRead(p, insn, uops, written);
    if (problem) return `instruction #${i}: ${problem}`;
  }
  return null;
}

/**
 * The program builder: what a workload or an operator lowering calls to produce a ProgramBundle.
 * It mirrors the upstream runtime's API (2-D loads and stores, GEMM/ALU micro-kernels, DepPush /
 * DepPop, synchronize) and refuses, with a ProgramError naming the instruction, any program a
 * target could not run. See README.md in this folder.
 */
import type { DramBuffer, ProgramBundle, SourceMapEntry } from '../bundle/bundle.js';
import type { VtaParams } from '../config/config.js';
import { encodeProgram } from '../isa/codec.js';
import { MEM_ID } from '../isa/layout.js';
import { NO_DEPS, type AluInsn, type GemmInsn, type Insn, type MemInsn, type Module } from '../isa/insn.js';
import { DramAllocator } from './dram-allocator.js';
import { depthOf, fieldProblem, rangeProblem, uopFieldProblem, type Scratchpad } from './insn-checks.js';
import { InsnQueue } from './insn-queue.js';
import { ProgramError } from './program-error.js';
import { checkTokens } from './token-check.js';
import { UopCache } from './uop-cache.js';
import { kernelWords, loopNest, maxIndex, toUop, type LoopNest, type UopKernel } from './uop-kernel.js';

/** Buffers a LOAD can fill: `acc8` is ACC filled from int8 data (fsim only, vta-isa.md §5.2). */
export type LoadTarget = 'inp' | 'wgt' | 'acc' | 'acc8';

export interface Padding {
  top?: number;
  bottom?: number;
  left?: number;
  right?: number;
}

/** A 2-D block of DRAM elements: `rows` rows of `cols` elements, `stride` elements apart. */
export interface DramBlock {
  buffer: DramBuffer;
  /** First element, in elements of the transfer's size from the start of the buffer. */
  offset?: number;
  rows: number;
  cols: number;
  /** Elements from one row start to the next; default `cols`. */
  stride?: number;
}

export type AluOp = 'min' | 'max' | 'add' | 'shr' | 'mul' | 'clp' | 'mov' | 'mul8';

const UPSTREAM_ALU: Partial<Record<AluOp, number>> = { min: 0, max: 1, add: 2, shr: 3, mul: 4 };
const FORK_ALU: Partial<Record<AluOp, number>> = { min: 0, max: 1, add: 2, shr: 3, clp: 4, mov: 5, mul8: 6 };

/** The opcode of an ALU operation in the configuration's opcode set, or undefined if it has none. */
export function aluOpcodeOf(p: VtaParams, op: AluOp): number | undefined {
  return (p.aluOpcodes === 'fork' ? FORK_ALU : UPSTREAM_ALU)[op];
}

const MEM_OF: Record<LoadTarget, { id: number; pad: Scratchpad; module: Module }> = {
  inp: { id: MEM_ID.INP, pad: 'inp', module: 'load' },
  wgt: { id: MEM_ID.WGT, pad: 'wgt', module: 'load' },
  acc: { id: MEM_ID.ACC, pad: 'acc', module: 'compute' },
  acc8: { id: MEM_ID.ACC_8BIT, pad: 'acc', module: 'compute' },
};

export class ProgramBuilder {
  readonly dram = new DramAllocator();
  private readonly queue = new InsnQueue();
  private readonly uops: UopCache;
  private readonly outputs: DramBuffer[] = [];
  private finished = false;

  constructor(readonly params: VtaParams) {
    this.uops = new UopCache(params.uopDepth);
  }

  /** Number of instructions so far (the index the next one gets). */
  get length(): number {
    return this.queue.length;
  }

  /** Tag the following instructions with a workload operation and loop position. */
  at(op: string, loop?: Record<string, number>, note?: string): this {
    const entry: SourceMapEntry = { op };
    if (loop) entry.loop = { ...loop };
    if (note) entry.note = note;
    this.queue.source = entry;
    return this;
  }

  /** A DRAM buffer with the given contents (or that many zero bytes). */
  alloc(name: string, role: DramBuffer['role'], contents: Uint8Array | number): DramBuffer {
    return this.dram.alloc(name, role, contents);
  }

  /** Mark a buffer as a result of the program (read back after the run). */
  output(buffer: DramBuffer): void {
    this.outputs.push(buffer);
  }

  /** Bytes of one element moved by a LOAD into `target` or a STORE (`out`). */
  elemBytes(target: LoadTarget | 'out'): number {
    const e = this.params.elemBytes;
    return target === 'acc8' ? e.acc / 4 : e[target];
  }

  /** 2-D LOAD of a DRAM block into a scratchpad from element `sram`, with padding written around it. */
  load(target: LoadTarget, sram: number, block: DramBlock, pad: Padding = {}): number {
    const mem = MEM_OF[target];
    const [top, bottom, left, right] = [pad.top ?? 0, pad.bottom ?? 0, pad.left ?? 0, pad.right ?? 0];
    const written = (top + block.rows + bottom) * (left + block.cols + right);
    const insn: MemInsn = { ...NO_DEPS, opcode: 0, memory_type: mem.id, sram_base: sram, is_pad_min_value: 0, ...this.dramFields(block, this.elemBytes(target)), y_pad_0: top, y_pad_1: bottom, x_pad_0: left, x_pad_1: right };
    this.check(rangeProblem(this.params, mem.pad, sram, written, `LOAD ${target.toUpperCase()} of ${written} elements from ${sram}`));
    return this.emit(insn);
  }

  /** 2-D STORE of ACC/OUT elements from `sram` (row-major, contiguous) to a DRAM block. */
  store(sram: number, block: DramBlock): number {
    const insn: MemInsn = { ...NO_DEPS, opcode: 1, memory_type: MEM_ID.OUT, sram_base: sram, is_pad_min_value: 0, ...this.dramFields(block, this.elemBytes('out')), y_pad_0: 0, y_pad_1: 0, x_pad_0: 0, x_pad_1: 0 };
    this.check(rangeProblem(this.params, 'acc', sram, block.rows * block.cols, `STORE of ${block.rows * block.cols} elements from ${sram}`));
    return this.emit(insn);
  }

  /** GEMM over a micro-kernel; `reset` zeroes the ACC elements instead of accumulating. */
  gemm(kernel: UopKernel, opts: { reset?: boolean } = {}): number {
    const nest = this.nestOf(kernel, 'gemm');
    for (const u of kernel.uops) {
      this.checkIndex('acc', maxIndex(u.dst, nest, 'dst'), 'GEMM destination');
      if (!opts.reset) {
        this.checkIndex('inp', maxIndex(u.src ?? 0, nest, 'src'), 'GEMM input');
        this.checkIndex('wgt', maxIndex(u.wgt ?? 0, nest, 'wgt'), 'GEMM weight');
      }
    }
    const bgn = this.residentKernel(kernel);
    const insn: GemmInsn = { ...NO_DEPS, opcode: 2, reset_reg: opts.reset ? 1 : 0, uop_bgn: bgn, uop_end: bgn + kernel.uops.length, ...nest };
    return this.emit(insn);
  }

  /**
   * ALU over a micro-kernel: ACC[dst] = op(ACC[dst], imm) with `imm`, else op(ACC[dst], ACC[src]).
   * For immediates the source index is the destination: targets disagree on which operand an
   * immediate op reads when they differ (vta-isa.md §5.7), so a different source is refused.
   */
  alu(op: AluOp, kernel: UopKernel, opts: { imm?: number } = {}): number {
    const opcode = aluOpcodeOf(this.params, op);
    if (opcode === undefined) this.fail(`ALU operation ${op} does not exist in the ${this.params.aluOpcodes} opcode set`);
    const useImm = opts.imm !== undefined;
    const resolved: UopKernel = useImm ? immKernel(kernel, (r) => this.fail(r)) : kernel;
    const nest = this.nestOf(resolved, 'alu');
    for (const u of resolved.uops) {
      this.checkIndex('acc', maxIndex(u.dst, nest, 'dst'), 'ALU destination');
      this.checkIndex('acc', maxIndex(u.src ?? 0, nest, 'src'), 'ALU source');
    }
    const bgn = this.residentKernel(resolved);
    const { wgt_factor_out: _o, wgt_factor_in: _i, ...fields } = nest;
    const insn: AluInsn = { ...NO_DEPS, opcode: 4, reset_reg: 0, uop_bgn: bgn, uop_end: bgn + resolved.uops.length, ...fields, alu_opcode: opcode!, use_imm: useImm ? 1 : 0, imm: opts.imm ?? 0 };
    return this.emit(insn);
  }

  /** Signal `to` that `from` is done with the data they share (upstream VTADepPush). */
  depPush(from: Module, to: Module): void {
    this.queue.depPush(from, to);
  }

  /** Make the next instruction of `to` wait for a signal from `from` (upstream VTADepPop). */
  depPop(from: Module, to: Module): void {
    this.queue.depPop(from, to);
  }

  /** `to`'s next instruction waits until everything `from` has emitted so far is done (push, then pop). */
  handOff(from: Module, to: Module): void {
    this.queue.depPush(from, to);
    this.queue.depPop(from, to);
  }

  /**
   * Append an instruction exactly as given (flags included): for hand-written programs and for
   * testing targets on what the builder would never emit. It is still checked at finish.
   */
  raw(insn: Insn): number {
    const problem = fieldProblem(this.params, insn);
    if (problem) this.fail(problem);
    return this.queue.push({ ...insn }, {}, true);
  }

  /**
   * Synchronise and finish, as the upstream runtime does: store and load signal compute, compute
   * waits for both, then FINISH. Checks the tokens of the whole program and returns the bundle.
   */
  finish(): ProgramBundle {
    if (this.finished) throw new ProgramError('finish() called twice on one builder');
    this.finished = true;
    const q = this.queue;
    q.source = { op: 'finish' };
    q.depPush('store', 'compute');
    q.depPush('load', 'compute');
    q.depPop('store', 'compute');
    q.depPop('load', 'compute');
    q.commitPendingPops('compute');
    q.push({ ...NO_DEPS, opcode: 3 });
    checkTokens(q.entries);

    const uopBuffer = this.dram.alloc('uop', 'uop', this.uops.image());
    for (const e of q.entries) {
      if (e.uopDramWord !== undefined) (e.insn as MemInsn).dram_base = uopBuffer.addr / 4 + e.uopDramWord;
    }
    const insns = q.entries.map((e) => e.insn);
    q.entries.forEach((e, i) => {
      const problem = fieldProblem(this.params, e.insn);
      if (problem) throw new ProgramError(problem, i, e.source);
    });
    const insnBuffer = this.dram.alloc('insn', 'insn', encodeProgram(this.params, insns));
    return {
      params: this.params,
      insnAddr: insnBuffer.addr,
      insnCount: insns.length,
      buffers: this.dram.buffers,
      outputs: this.outputs.map((b) => ({ name: b.name, addr: b.addr, size: b.bytes.length })),
      sourceMap: q.entries.map((e) => e.source),
    };
  }

  // ---- internals ----

  private emit(insn: Insn, extra: { uopDramWord?: number } = {}): number {
    if (this.finished) throw new ProgramError('the program is already finished');
    const problem = fieldProblem(this.params, insn);
    if (problem) this.fail(problem);
    return this.queue.push(insn, extra);
  }

  private fail(reason: string): never {
    throw new ProgramError(reason, this.queue.length, this.queue.source);
  }

  private check(problem: string | null): void {
    if (problem) this.fail(problem);
  }

  private checkIndex(pad: Scratchpad, max: number, what: string): void {
    if (max >= depthOf(this.params, pad)) {
      this.fail(`${pad.toUpperCase()} scratchpad overflow: ${what} index reaches ${max}, depth is ${depthOf(this.params, pad)}`);
    }
  }

  private dramFields(block: DramBlock, elemBytes: number) {
    const { buffer, rows, cols } = block;
    const offset = block.offset ?? 0;
    const stride = block.stride ?? cols;
    if (rows < 1 || cols < 1) this.fail(`a transfer of ${rows}×${cols} elements moves nothing (use depPush/depPop for synchronisation)`);
    if (buffer.addr % elemBytes !== 0) this.fail(`DRAM buffer "${buffer.name}" at 0x${buffer.addr.toString(16)} is not aligned to the ${elemBytes}-byte element`);
    const end = (offset + (rows - 1) * stride + cols) * elemBytes;
    if (offset < 0 || end > buffer.bytes.length) {
      this.fail(`transfer reaches byte ${end} of DRAM buffer "${buffer.name}" (${buffer.bytes.length} bytes)`);
    }
    return { dram_base: buffer.addr / elemBytes + offset, y_size: rows, x_size: cols, x_stride: stride };
  }

  private nestOf(kernel: UopKernel, kind: 'gemm' | 'alu'): LoopNest {
    const loops = kernel.loops ?? [];
    if (kernel.uops.length === 0) this.fail('a micro-kernel needs at least one micro-op');
    if (loops.length > 2) this.fail(`a micro-kernel has at most two loops, got ${loops.length}`);
    for (const l of loops) {
      if (l.count < 1) this.fail(`loop count ${l.count}: counts must be at least 1 (a zero count is a long wrapped loop on the RTL)`);
      for (const f of [l.dst, l.src, l.wgt]) if (f !== undefined && f < 0) this.fail(`loop factor ${f} is negative`);
    }
    return loopNest(loops, kind);
  }

  /** Make the kernel resident in the uop scratchpad (LOAD UOP when it is not) and return its first index. */
  private residentKernel(kernel: UopKernel): number {
    const uops = kernel.uops.map(toUop);
    for (const u of uops) this.check(uopFieldProblem(this.params, u));
    const n = uops.length;
    if (n > this.params.uopDepth) this.fail(`UOP scratchpad overflow: a kernel of ${n} micro-ops exceeds the depth ${this.params.uopDepth}`);
    const r = this.uops.place(kernelWords(this.params, uops));
    if (r.load) {
      // dram_base is filled at finish, when the uop buffer has its address.
      const load: MemInsn = { ...NO_DEPS, opcode: 0, memory_type: MEM_ID.UOP, sram_base: r.bgn, dram_base: 0, is_pad_min_value: 0, y_size: 1, x_size: n, x_stride: n, y_pad_0: 0, y_pad_1: 0, x_pad_0: 0, x_pad_1: 0 };
      this.emit(load, { uopDramWord: r.dramWord });
    }
    return r.bgn;
  }
}

/** An immediate-form kernel: sources follow destinations; refuses an explicit different source. */
function immKernel(kernel: UopKernel, fail: (reason: string) => never): UopKernel {
  for (const u of kernel.uops) if (u.src !== undefined && u.src !== u.dst) fail(`immediate ALU micro-op with source ${u.src} ≠ destination ${u.dst}`);
  for (const l of kernel.loops ?? []) if (l.src !== undefined && l.src !== (l.dst ?? 0)) fail(`immediate ALU loop with source factor ${l.src} ≠ destination factor ${l.dst ?? 0}`);
  return {
    uops: kernel.uops.map((u) => ({ dst: u.dst, src: u.dst })),
    loops: (kernel.loops ?? []).map((l) => ({ count: l.count, dst: l.dst ?? 0, src: l.dst ?? 0 })),
  };
}

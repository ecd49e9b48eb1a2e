/**
 * Test and benchmark support: a synthetic bundle of real, decodable instructions and a "toy"
 * target that plays them as a deterministic script of buffer writes. It is no VTA model: what
 * matters is that tests know exactly which event they corrupted, delayed or dropped, so the
 * engine's answer can be checked against the injected fault rather than against itself.
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import type { VtaParams } from '../../runtime/config/config.js';
import { decodeInsn, encodeInsn } from '../../runtime/isa/codec.js';
import type { Insn } from '../../runtime/isa/insn.js';
import { moduleOf } from '../../runtime/isa/insn.js';
import type { Counters, RunRequest, RunResult, Target } from '../../runtime/contract/target.js';

const DEP = { pop_prev_dep: 0, pop_next_dep: 0, push_prev_dep: 0, push_next_dep: 0 };

/** Instruction pc of the toy program: LOAD INP, GEMM, ALU ADD, STORE, repeated; FINISH last. */
export function toyInsn(pc: number, count: number): Insn {
  if (pc === count - 1) return { opcode: 3, ...DEP };
  const mem = { sram_base: pc % 64, dram_base: 0x100 + pc, is_pad_min_value: 0, y_size: 1, x_size: 4, x_stride: 4, y_pad_0: 0, y_pad_1: 0, x_pad_0: 0, x_pad_1: 0, ...DEP };
  const loop = { reset_reg: 0, uop_bgn: 0, uop_end: 1, iter_out: 1, iter_in: 4, dst_factor_out: 0, dst_factor_in: 1, src_factor_out: 0, src_factor_in: 1, ...DEP };
  switch (pc % 4) {
    case 0:
      return { opcode: 0, memory_type: 2, ...mem };
    case 1:
      return { opcode: 2, ...loop, wgt_factor_out: 0, wgt_factor_in: 0 };
    case 2:
      return { opcode: 4, ...loop, alu_opcode: 2, use_imm: 1, imm: 1 };
    default:
      return { opcode: 1, memory_type: 4, ...mem };
  }
}

export function toyBundle(params: VtaParams, insnCount: number, opts: { expectedOut?: Uint8Array } = {}): ProgramBundle {
  const program = new Uint8Array(insnCount * 16);
  for (let pc = 0; pc < insnCount; pc++) program.set(encodeInsn(params, toyInsn(pc, insnCount), pc), pc * 16);
  const outSize = 16 * Math.floor(insnCount / 4);
  return {
    params,
    insnAddr: 0x1000,
    insnCount,
    buffers: [
      { name: 'insn', role: 'insn', addr: 0x1000, bytes: program },
      { name: 'out', role: 'out', addr: 0x100000, bytes: new Uint8Array(outSize) },
    ],
    outputs: [{ name: 'out', addr: 0x100000, size: outSize }],
    sourceMap: Array.from({ length: insnCount }, (_, pc) => ({ op: 'toy', loop: { step: Math.floor(pc / 4) } })),
    workload: { name: 'toy', seed: 1 },
    expected: opts.expectedOut ? { out: opts.expectedOut } : undefined,
  };
}

export interface ToyOptions {
  name?: string;
  /** Rows each instruction writes. */
  rows?: number;
  /** Flip bit 0 of lane `lane` of row `row` (default 0) written by instruction `pc`. */
  fault?: { pc: number; lane: number; row?: number; propagate?: boolean };
  /** Stop before instruction `pc` retires, as a deadlock on that instruction. */
  deadlockAt?: number;
  /** Throw (a crash inside the target) when instruction `pc` starts. */
  throwAt?: number;
  /** Report writes out of order, repeated, with a first intermediate value. */
  scramble?: boolean;
  cyclesPerInsn?: number;
  /** Yield to the event loop every N instructions (lets signals in). */
  yieldEvery?: number;
}

/** The value of lane `lane` of the row at `addr` written by instruction `pc` (u32). */
export function toyLane(pc: number, addr: number, lane: number): number {
  return (Math.imul(pc + 1, 2654435761) ^ Math.imul(addr + 7, 40503) ^ (lane * 0x01010101)) >>> 0;
}

function rowBytes(pc: number, addr: number, bytes: number, laneBytes: number): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let lane = 0; lane * laneBytes < bytes; lane++) {
    const v = toyLane(pc, addr, lane);
    for (let b = 0; b < laneBytes; b++) out[lane * laneBytes + b] = (v >>> (8 * b)) & 0xff;
  }
  return out;
}

export function createToyTarget(opts: ToyOptions = {}): Target {
  const rows = opts.rows ?? 4;
  const cpi = opts.cyclesPerInsn ?? 10;
  return {
    name: opts.name ?? 'toy',
    async close() {},
    async run({ bundle, sink }: RunRequest): Promise<RunResult> {
      const p = bundle.params;
      const counters: Counters = { cycles: 0, insns: { load: 0, compute: 0, store: 0 }, bytes: { uop: 0, inp: 0, wgt: 0, acc: 0, out: 0 }, gemmOps: 0, aluOps: 0 };
      const out = new Uint8Array(bundle.outputs[0]?.size ?? 0);
      let faulted = false;
      for (let pc = 0; pc < bundle.insnCount; pc++) {
        if (opts.yieldEvery && pc % opts.yieldEvery === 0) await new Promise((r) => setImmediate(r));
        if (pc === opts.throwAt) throw new Error(`toy target exploded at instruction ${pc}`);
        const insnBytes = bundle.buffers[0]!.bytes.subarray(pc * 16, pc * 16 + 16);
        const insn = decodeInsn(p, insnBytes, 0, pc);
        const module = moduleOf(insn);
        const cycle = pc * cpi;
        if (pc === opts.deadlockAt) {
          return { status: 'deadlock', message: `instruction ${pc} waits for a token`, blocked: [{ pc, module, queue: 'ld2cmp' }], outputs: [], counters };
        }
        if (sink.wantsEvents) {
          const kind = insn.opcode === 0 ? 'sram.inp' : insn.opcode === 1 ? 'dram.store' : insn.opcode === 3 ? undefined : 'sram.acc';
          if (kind) {
            const [bytes, laneBytes] = kind === 'sram.inp' ? [p.elemBytes.inp, p.inpWidth / 8] : kind === 'sram.acc' ? [p.elemBytes.acc, p.accWidth / 8] : [p.elemBytes.out, p.outWidth / 8];
            const writes: [number, Uint8Array][] = [];
            for (let r = 0; r < rows; r++) {
              const addr = kind === 'dram.store' ? 0x100000 + (pc * rows + r) * bytes : (pc * rows + r) % 1024;
              const data = rowBytes(pc, addr, bytes, laneBytes);
              const f = opts.fault;
              if (f && ((pc === f.pc && r === (f.row ?? 0)) || (faulted && f.propagate && kind === 'sram.acc'))) {
                data[f.lane * laneBytes] ^= 1;
                faulted = true;
              }
              writes.push([addr, data]);
            }
            if (opts.scramble) {
              for (const [addr] of writes) sink.write(kind, pc, cycle, addr, new Uint8Array(bytes).fill(0xee));
              writes.reverse();
            }
            for (const [addr, data] of writes) sink.write(kind, pc, cycle + 1, addr, data);
            if (sink.wantsIters && kind === 'sram.acc') {
              for (let r = 0; r < rows; r++) sink.iter(insn.opcode === 2 ? 'gemm.iter' : 'alu.iter', pc, cycle, r, writes[r]![1]);
            }
          }
          sink.retire(pc, module, cycle + 2, insnBytes);
        }
        if (insn.opcode === 1 && out.length) {
          const base = (Math.floor(pc / 4) * 16) % out.length;
          out.set(rowBytes(pc, 0, 16, 1), base);
        }
        counters.insns[module]++;
        counters.cycles = cycle + 3;
      }
      return { status: 'ok', outputs: [{ name: 'out', addr: bundle.outputs[0]?.addr ?? 0, bytes: out }], counters };
    },
  };
}

/** Small hand-made bundles and a recording sink for the tsim tests. */
import type { VtaParams } from '../../../runtime/config/config.js';
import type { ProgramBundle } from '../../../runtime/bundle/bundle.js';
import { encodeProgram } from '../../../runtime/isa/codec.js';
import { NO_DEPS, type Insn, type Module } from '../../../runtime/isa/insn.js';
import type { EventSink, IterStream, WriteStream } from '../../../runtime/contract/events.js';

export const INSN_ADDR = 0x1000;
export const OUT_ADDR = 0x3000;

export function memInsn(opcode: 0 | 1, memory_type: number, fields: Partial<Insn> = {}): Insn {
  return {
    ...NO_DEPS,
    opcode,
    memory_type,
    sram_base: 0,
    dram_base: 0,
    is_pad_min_value: 0,
    y_size: 1,
    x_size: 1,
    x_stride: 1,
    y_pad_0: 0,
    y_pad_1: 0,
    x_pad_0: 0,
    x_pad_1: 0,
    ...fields,
  } as Insn;
}

export function gemmInsn(fields: Partial<Insn> = {}): Insn {
  return {
    ...NO_DEPS,
    opcode: 2,
    reset_reg: 0,
    uop_bgn: 0,
    uop_end: 1,
    iter_out: 1,
    iter_in: 1,
    dst_factor_out: 0,
    dst_factor_in: 0,
    src_factor_out: 0,
    src_factor_in: 0,
    wgt_factor_out: 0,
    wgt_factor_in: 0,
    ...fields,
  } as Insn;
}

export function finishInsn(fields: Partial<Insn> = {}): Insn {
  return { ...NO_DEPS, opcode: 3, ...fields } as Insn;
}

/** A bundle with the instruction stream at INSN_ADDR and a 32-byte output (0xa5-filled) at OUT_ADDR. */
export function bundleOf(params: VtaParams, insns: Insn[]): ProgramBundle {
  return {
    params,
    insnAddr: INSN_ADDR,
    insnCount: insns.length,
    buffers: [
      { name: 'insn', role: 'insn', addr: INSN_ADDR, bytes: encodeProgram(params, insns) },
      { name: 'out', role: 'out', addr: OUT_ADDR, bytes: new Uint8Array(32).fill(0xa5) },
    ],
    outputs: [{ name: 'out', addr: OUT_ADDR, size: 32 }],
    sourceMap: insns.map(() => null),
  };
}

export interface Recorded {
  kind: 'write' | 'iter' | 'retire';
  stream?: string;
  module?: Module;
  pc: number;
  cycle: number;
  addr: number;
  data: Uint8Array;
}

/** An EventSink that keeps everything it is told, in order. */
export class RecordingSink implements EventSink {
  readonly events: Recorded[] = [];
  constructor(
    readonly wantsEvents = true,
    readonly wantsIters = false,
    private readonly onEvent?: (e: Recorded) => void,
  ) {}
  private add(e: Recorded) {
    this.events.push(e);
    this.onEvent?.(e);
  }
  write(stream: WriteStream, pc: number, cycle: number, addr: number, data: Uint8Array): void {
    this.add({ kind: 'write', stream, pc, cycle, addr, data: data.slice() });
  }
  iter(stream: IterStream, pc: number, cycle: number, ordinal: number, data: Uint8Array): void {
    this.add({ kind: 'iter', stream, pc, cycle, addr: ordinal, data: data.slice() });
  }
  retire(pc: number, module: Module, cycle: number, insn: Uint8Array): void {
    this.add({ kind: 'retire', module, pc, cycle, addr: -1, data: insn.slice() });
  }
}

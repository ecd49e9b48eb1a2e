/** Test helpers for fsim: sinks that ignore or collect everything, and hand-assembled bundles. */
import type { DramBuffer, ProgramBundle } from '../../runtime/bundle/bundle.js';
import type { VtaParams } from '../../runtime/config/config.js';
import { encodeProgram } from '../../runtime/isa/codec.js';
import type { Insn, Module } from '../../runtime/isa/insn.js';
import type { EventSink, IterStream, WriteStream } from '../../runtime/contract/events.js';

export const nullSink: EventSink = {
  wantsEvents: false,
  wantsIters: false,
  write: () => {},
  iter: () => {},
  retire: () => {},
};

export interface Collected {
  writes: { stream: WriteStream; pc: number; addr: number; data: Uint8Array }[];
  iters: { stream: IterStream; pc: number; ordinal: number }[];
  retires: { pc: number; module: Module; cycle: number }[];
}

export function collectingSink(iters = false): EventSink & { got: Collected } {
  const got: Collected = { writes: [], iters: [], retires: [] };
  return {
    got,
    wantsEvents: true,
    wantsIters: iters,
    // A copy: payloads are views of fsim's memory, valid only during the call.
    write: (stream, pc, _cycle, addr, data) => got.writes.push({ stream, pc, addr, data: data.slice() }),
    iter: (stream, pc, _cycle, ordinal) => got.iters.push({ stream, pc, ordinal }),
    retire: (pc, module, cycle) => got.retires.push({ pc, module, cycle }),
  };
}

/** DRAM contents for testBundle, as values of each buffer's element type, flat. */
export interface TestData {
  uops?: number[];
  inp?: number[];
  wgt?: number[];
  acc?: number[];
  /** Bytes of the output region (default 4096). */
  outBytes?: number;
}

/**
 * Byte addresses of testBundle's buffers: far enough apart for any fixture configuration's test
 * data, and multiples of every element size so that dram_base = address / element bytes.
 */
export const TEST_ADDR = { insn: 0x1000, uop: 0x10000, inp: 0x20000, wgt: 0x40000, acc: 0x80000, out: 0xc0000 } as const;

/** A bundle of hand-assembled instructions and test data (output: the out region). */
export function testBundle(p: VtaParams, insns: Insn[], data: TestData = {}): ProgramBundle {
  const buf = (name: keyof typeof TEST_ADDR, bytes: Uint8Array): DramBuffer => ({ name, role: name, addr: TEST_ADDR[name], bytes });
  const bytesOf = (a: ArrayBufferView) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const outBytes = data.outBytes ?? 4096;
  return {
    params: p,
    insnAddr: TEST_ADDR.insn,
    insnCount: insns.length,
    buffers: [
      buf('insn', encodeProgram(p, insns)),
      buf('uop', bytesOf(Uint32Array.from(data.uops ?? [0]))),
      buf('inp', bytesOf(Int8Array.from(data.inp ?? [0]))),
      buf('wgt', bytesOf(Int8Array.from(data.wgt ?? [0]))),
      buf('acc', bytesOf(Int32Array.from(data.acc ?? [0]))),
      buf('out', new Uint8Array(outBytes)),
    ],
    outputs: [{ name: 'out', addr: TEST_ADDR.out, size: outBytes }],
    sourceMap: insns.map(() => null),
  };
}

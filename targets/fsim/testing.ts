/** Test helpers for fsim: sinks that ignore or collect everything. */
import type { EventSink, IterStream, WriteStream } from '../../tracer/events.js';
import type { Module } from '../../runtime/isa/insn.js';

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
    write: (stream, pc, _cycle, addr, data) => got.writes.push({ stream, pc, addr, data }),
    iter: (stream, pc, _cycle, ordinal) => got.iters.push({ stream, pc, ordinal }),
    retire: (pc, module, cycle) => got.retires.push({ pc, module, cycle }),
  };
}

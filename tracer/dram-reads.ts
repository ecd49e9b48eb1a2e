/**
 * The canonical form of what one LOAD read from DRAM (docs/trace-schema.md §DRAM reads): the
 * union of the byte ranges the target reported, as maximal extents in ascending address order.
 * Event k of the instruction's `dram.load` stream is its k-th extent: address k, payload u32 LE
 * first byte, u32 LE byte count. So neither the order nor the split into bursts a target read in
 * (a reordering memory, bursts cut at 32 beats) changes the stream — only which bytes were read.
 */
import type { EventGroup } from './recorder.js';

/** Payload bytes of one dram.load event. */
export const READ_EVENT_BYTES = 8;

/** One instruction's reported reads: [addr, end, cycle] triples, flat. */
export type PendingReads = number[];

/**
 * The extents of an instruction's reads, each with the cycle of its earliest read; those whose
 * cycle lies outside [cycleFrom, cycleTo) are left out (the cycle window of the spec). Undefined
 * when none is left.
 */
export function readExtentsGroup(pc: number, reads: PendingReads, cycleFrom = 0, cycleTo = Infinity): EventGroup | undefined {
  const n = reads.length / 3;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => reads[3 * a]! - reads[3 * b]! || reads[3 * a + 1]! - reads[3 * b + 1]!);
  const starts: number[] = [];
  const ends: number[] = [];
  const cycles: number[] = [];
  for (const i of order) {
    const [a, e, c] = [reads[3 * i]!, reads[3 * i + 1]!, reads[3 * i + 2]!];
    const last = starts.length - 1;
    // Touching or overlapping ranges are one extent.
    if (last >= 0 && a <= ends[last]!) {
      if (e > ends[last]!) ends[last] = e;
      if (c < cycles[last]!) cycles[last] = c;
    } else {
      starts.push(a);
      ends.push(e);
      cycles.push(c);
    }
  }
  const kept = starts.map((_, k) => k).filter((k) => cycles[k]! >= cycleFrom && cycles[k]! < cycleTo);
  if (!kept.length) return undefined;
  const data = new Uint8Array(kept.length * READ_EVENT_BYTES);
  const view = new DataView(data.buffer);
  kept.forEach((k, j) => {
    view.setUint32(j * READ_EVENT_BYTES, starts[k]!, true);
    view.setUint32(j * READ_EVENT_BYTES + 4, ends[k]! - starts[k]!, true);
  });
  return {
    stream: 'dram.load',
    pc,
    part: 0,
    addrs: Uint32Array.from(kept),
    cycles: Float64Array.from(kept.map((k) => cycles[k]!)),
    elemLen: READ_EVENT_BYTES,
    data,
  };
}

/** A dram.load payload: the extent's first byte and byte count. */
export function readExtent(data: Uint8Array): { addr: number; bytes: number } {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  return { addr: v.getUint32(0, true), bytes: v.getUint32(4, true) };
}

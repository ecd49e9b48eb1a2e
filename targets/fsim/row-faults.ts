/**
 * Seeded bugs that corrupt the rows one instruction writes in one recognisable way each, so the
 * report's hints (tracer/diverge/hints.ts) can be checked against a real run: an ACC row written
 * by a GEMM or ALU offset, negated, truncated, shifted, its lanes rotated, left stale or
 * scrambled; a LOAD whose elements each receive the DRAM element meant `by` places further on.
 * The state is corrupted, not only the events, so later instructions and the outputs see it too.
 */
import type { ExecContext } from './exec-context.js';
import type { Fault } from './faults.js';
import type { Scratchpads, SramBuffer } from './sram.js';

export type AccRowFault = Extract<Fault, { kind: 'acc-offset' | 'acc-negate' | 'acc-truncate' | 'acc-shift' | 'acc-rotate' | 'acc-stale' | 'acc-scramble' }>;

const ACC_ROW_KINDS: ReadonlySet<Fault['kind']> = new Set(['acc-offset', 'acc-negate', 'acc-truncate', 'acc-shift', 'acc-rotate', 'acc-stale', 'acc-scramble']);

export const isAccRowFault = (f: Fault): f is AccRowFault => ACC_ROW_KINDS.has(f.kind);

/** The ACC row fault aimed at instruction `pc`, if any. */
export function accRowFaultAt(c: ExecContext, pc: number): AccRowFault | undefined {
  const f = c.fault;
  return f && f.pc === pc && isAccRowFault(f) ? f : undefined;
}

/** Elements by which LOAD `pc` reads late under the load-offset fault, 0 without it. */
export function loadOffsetAt(c: ExecContext, pc: number): number {
  const f = c.fault;
  return f?.kind === 'load-offset' && f.pc === pc ? f.by : 0;
}

/** DRAM rows by which LOAD `pc`'s data rows read late under the load-row fault, 0 without it. */
export function loadRowShiftAt(c: ExecContext, pc: number): number {
  const f = c.fault;
  return f?.kind === 'load-row' && f.pc === pc ? f.by : 0;
}

/**
 * Corrupts ACC elements [first, first + count) as `fault` says; `before` is the ACC buffer as
 * it was before the instruction (acc-stale puts it back).
 */
export function corruptAccRows(fault: AccRowFault, s: Scratchpads, first: number, count: number, before: Int32Array | undefined): void {
  const lanes = s.accLanes;
  const acc = s.acc;
  for (let e = first; e < first + count; e++) {
    const base = e * lanes;
    const row = acc.slice(base, base + lanes);
    for (let l = 0; l < lanes; l++) acc[base + l] = corruptLane(fault, row, l, e, before?.[base + l] ?? 0);
  }
}

function corruptLane(f: AccRowFault, row: Int32Array, lane: number, elem: number, old: number): number {
  const v = row[lane]!;
  switch (f.kind) {
    case 'acc-offset':
      return (v + f.by) | 0;
    case 'acc-negate':
      return -v | 0;
    case 'acc-truncate':
      return (v << (32 - f.bits)) >> (32 - f.bits);
    case 'acc-shift':
      return v >> f.by;
    case 'acc-rotate':
      return row[(((lane - f.by) % row.length) + row.length) % row.length]!;
    case 'acc-stale':
      return old;
    case 'acc-scramble':
      return scrambled(f.seed, elem, lane);
  }
}

/** A fixed pseudo-random 32-bit value per (seed, element, lane): an integer hash (murmur3's finaliser). */
function scrambled(seed: number, elem: number, lane: number): number {
  let h = (Math.imul(seed + 1, 0x9e3779b1) ^ Math.imul(elem + 1, 0x85ebca6b) ^ Math.imul(lane + 1, 0xc2b2ae35)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Elements [first, first + count) of a buffer rotated so element e holds what element e + by held (wrapping within the range). */
export function rotateElements(s: Scratchpads, buffer: SramBuffer, first: number, count: number, by: number): void {
  const bytes = s.rows(buffer, first, count);
  const copy = bytes.slice();
  const eb = bytes.length / count;
  const shift = (by % count) * eb;
  bytes.set(copy.subarray(shift), 0);
  bytes.set(copy.subarray(0, shift), copy.length - shift);
}

/**
 * The board digest (docs/trace-schema.md §Board digest): what the on-board trace unit
 * (targets/tsim/rtl/vta_trace_unit.sv) writes per retired instruction, computed here from a
 * target's raw events so that fsim and tsim runs can be compared with FPGA runs.
 *
 * Per instruction: the sum mod 2^32 of term(stream, word address, word) over every 32-bit word of
 * every buffer or DRAM write the instruction makes — each GEMM/ALU iteration's ACC row write
 * counted, not only the final values — plus the four words of the instruction itself. A sum does
 * not care about write order, and a write's terms can be formed in the cycle it happens, so the
 * hardware needs a mixer per written word and one adder per module, no buffering.
 */
import type { Module } from '../isa/insn.js';
import { STREAM_ID, retireStream, type IterStream, type Stream, type WriteStream } from './events.js';

/** MurmurHash3's 32-bit finaliser: two constant multiplies, a good avalanche. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Separates the streams' word addresses (golden-ratio multiples: distinct, spread out). */
export const BOARD_SALT = 0x9e3779b9;

/** One word's term: fmix32(word XOR fmix32(word address + stream id · BOARD_SALT)). */
export function boardTerm(streamId: number, wordAddr: number, word: number): number {
  const key = (wordAddr + Math.imul(streamId, BOARD_SALT)) >>> 0;
  return fmix32((word ^ fmix32(key)) >>> 0);
}

/** Sum of the terms of `data` (a multiple of 4 bytes, little-endian words) from word address `firstWord`. */
export function boardTerms(streamId: number, firstWord: number, data: Uint8Array, off = 0, len = data.length): number {
  let sum = 0;
  for (let i = 0; i + 4 <= len; i += 4) {
    const o = off + i;
    const word = (data[o]! | (data[o + 1]! << 8) | (data[o + 2]! << 16) | (data[o + 3]! << 24)) >>> 0;
    sum = (sum + boardTerm(streamId, firstWord + i / 4, word)) >>> 0;
  }
  return sum;
}

/** Word address of a write: element index × words per element for buffers, byte address / 4 for DRAM. */
function firstWordOf(stream: Stream, addr: number, bytes: number): number {
  return stream === 'dram.store' ? Math.floor(addr / 4) >>> 0 : (addr * (bytes / 4)) >>> 0;
}

export interface BoardRecord {
  pc: number;
  module: Module;
  digest: number;
}

interface Pending {
  /** Terms of every write except sram.acc. */
  other: number;
  /** Terms of sram.acc write events (LOAD ACC; for GEMM/ALU they repeat the final rows). */
  accWrites: number;
  /** Terms of the ACC rows written by each iteration. */
  iters: number;
  hasIters: boolean;
}

const ACC = STREAM_ID['sram.acc'];

/**
 * Fed with a target's raw events (before canonicalisation: repeats count), gives one record per
 * retire. Needs the iteration events of GEMM/ALU instructions: they are the intermediate ACC
 * writes. For an instruction that reports iterations, its sram.acc write events are left out.
 */
export class BoardDigester {
  readonly records: BoardRecord[] = [];
  private readonly pending = new Map<number, Pending>();

  private at(pc: number): Pending {
    let p = this.pending.get(pc);
    if (!p) this.pending.set(pc, (p = { other: 0, accWrites: 0, iters: 0, hasIters: false }));
    return p;
  }

  write(stream: WriteStream, pc: number, addr: number, data: Uint8Array): void {
    const sid = STREAM_ID[stream];
    const t = boardTerms(sid, firstWordOf(stream, addr, data.length), data);
    const p = this.at(pc);
    if (sid === ACC) p.accWrites = (p.accWrites + t) >>> 0;
    else p.other = (p.other + t) >>> 0;
  }

  /** An iteration record: u32 dst, src, wgt, then the ACC row dst holds after it. */
  iter(_stream: IterStream, pc: number, data: Uint8Array): void {
    const dst = (data[0]! | (data[1]! << 8) | (data[2]! << 16) | (data[3]! << 24)) >>> 0;
    const rowBytes = data.length - 12;
    const p = this.at(pc);
    p.iters = (p.iters + boardTerms(ACC, (dst * (rowBytes / 4)) >>> 0, data, 12, rowBytes)) >>> 0;
    p.hasIters = true;
  }

  retire(pc: number, module: Module, insn: Uint8Array): BoardRecord {
    const p = this.pending.get(pc);
    this.pending.delete(pc);
    let digest = boardTerms(STREAM_ID[retireStream(module)], 0, insn);
    if (p) digest = (digest + p.other + (p.hasIters ? p.iters : p.accWrites)) >>> 0;
    const r = { pc, module, digest };
    this.records.push(r);
    return r;
  }
}

/** A ring-buffer record as the trace unit writes it: u32 LE pc, module (0 load, 1 compute, 2 store), digest, record index. */
export const BOARD_RECORD_BYTES = 16;
const MODULES: readonly Module[] = ['load', 'compute', 'store'];

/** A ring slot that does not hold the record it should: the unit wrote wrongly or not at all. */
export class BoardRingError extends Error {}

/**
 * The records of a ring of ring.length / 16 slots after `written` records (record k goes to slot
 * k mod slots): the last min(written, slots) of them, oldest first, each checked against its index.
 */
export function parseBoardRing(ring: Uint8Array, written: number): BoardRecord[] {
  const slots = Math.floor(ring.length / BOARD_RECORD_BYTES);
  const dv = new DataView(ring.buffer, ring.byteOffset, ring.byteLength);
  const out: BoardRecord[] = [];
  for (let k = Math.max(0, written - slots); k < written; k++) {
    const o = (k % slots) * BOARD_RECORD_BYTES;
    const index = dv.getUint32(o + 12, true);
    const module = MODULES[dv.getUint32(o + 4, true)];
    if (index !== k >>> 0 || !module) throw new BoardRingError(`board ring slot ${k % slots}: expected record ${k}, found index ${index}, module ${dv.getUint32(o + 4, true)}`);
    out.push({ pc: dv.getUint32(o, true), module, digest: dv.getUint32(o + 8, true) });
  }
  return out;
}

/**
 * The records a target brought back from its board's own trace unit (the fpga target, tsim with
 * TRACE_UNIT set `boardRecords` after a run), or undefined. Read by shape: the Target interface
 * does not declare the field, since most targets have no trace unit.
 */
export function boardRecordsOf(target: object): BoardRecord[] | undefined {
  const r = (target as { boardRecords?: unknown }).boardRecords;
  return Array.isArray(r) ? (r as BoardRecord[]) : undefined;
}

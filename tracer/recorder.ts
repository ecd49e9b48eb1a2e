/**
 * The Recorder: the one EventSink every target writes into. Targets report writes in any order
 * and with repeats; the recorder canonicalises identically for every target — at an
 * instruction's retire it keeps the last write per (stream, address), sorts by (stream, address),
 * sums the kept writes' digest terms into the instruction's digest and hands the events the spec
 * wants to a RecordSink (the SQLite run writer, or memory for re-runs and tests).
 *
 * A write's digest terms are computed when it is reported (digest.ts: they depend on the write
 * alone), so payloads are copied only for streams that are stored: digest mode keeps none.
 */
import type { Module } from '../runtime/isa/insn.js';
import type { WasmMemory } from '../runtime/wasm/api.js';
import { grown } from '../runtime/typed-arrays.js';
import type { BoardDigester } from '../runtime/contract/board-digest.js';
import { DIGEST_CHUNK, chunkDigest, eventTerms } from './digest.js';
import { DigestLanes } from './digest-lanes.js';
import { STREAMS, STREAM_ID, retireStream, type EventSink, type IterStream, type Stream, type WriteStream } from '../runtime/contract/events.js';
import { digestsStream, inWindow, keepsDigests, storesStream, type TraceSpec } from './spec.js';
import { readExtentsGroup, type PendingReads } from './dram-reads.js';

/**
 * Canonical events of one instruction and one stream, in ascending address order, all with the
 * same payload length (an instruction whose events of one stream differ in length gives several
 * parts). Addresses are u32; the retire record's −1 is 0xFFFFFFFF.
 */
export interface EventGroup {
  stream: Stream;
  pc: number;
  part: number;
  addrs: Uint32Array;
  cycles: Float64Array;
  elemLen: number;
  /** addrs.length × elemLen bytes. */
  data: Uint8Array;
}

/** Per-instruction digests of DIGEST_CHUNK consecutive program indices. */
export interface DigestChunk {
  chunk: number;
  firstPc: number;
  count: number;
  /** Chunk digest (chunkDigest). */
  lo: number;
  hi: number;
  /** lo, hi per instruction. */
  insnDigests: Uint32Array;
  /** 1 where the instruction retired and was digested. */
  present: Uint8Array;
}

/**
 * Where the recorder hands what it records. A group's arrays are lent: they may be views of the
 * recorder's own memory, valid only during the call (the recorder reuses that memory for later
 * instructions), so a sink copies what it keeps — into its own batch, once, rather than the
 * recorder copying every group for sinks that copy again. Digest chunks are the sink's to keep.
 */
export interface RecordSink {
  groups(groups: EventGroup[]): void;
  digestChunk(chunk: DigestChunk): void;
}

export interface RecorderSummary {
  retired: Record<Module, number>;
  /** Cycle of each module's last retire (the per-module figure of the timing verdict). */
  lastRetireCycle: Record<Module, number>;
  storedEvents: number;
  /** Program indices that wrote something but never retired (a run that stopped early). */
  unretired: number[];
  /** Retires with a program index outside the bundle (a target bug); ignored. */
  outOfRange: number;
}

/**
 * The writes one instruction reported so far, in flat growable arrays (one arena for all
 * payloads): no allocation per write, which is most of the recorder's cost at millions of
 * events per second. Reused through a pool once the instruction retires.
 *
 * Writes arrive as runs (Recorder.writeRun; a single write is a run of one), kept as runs: first
 * key, key step, count, payload offset and length. Per write only what a stored group is made of
 * is written at once (address and cycle, when the recorder stores any stream); the rest of the
 * per-write record (key, stream id, payload offset and length) is written out by rowsOut() only
 * when the writes came out of order and must be sorted — the usual in-order instruction is stored
 * and digested from its runs.
 */
class PendingWrites {
  n = 0;
  /** streamId · 2^32 + u32 address: one number orders by (stream, address). */
  keys = new Float64Array(64);
  cycles = new Float64Array(64);
  /** The keys' stream ids and addresses (u32 as int32). */
  sids = new Int32Array(64);
  addrs = new Int32Array(64);
  /** Payload offset in the arena and length (the offset is meaningless for payloads not kept). */
  offs = new Int32Array(64);
  lens = new Int32Array(64);
  /** Digest terms lo, hi of write i at 2i, 2i + 1 (set by the recorder for digested streams only). */
  terms = new Int32Array(128);
  /** The sum of every write's terms (the digest's part from the writes when all are canonical and digested). */
  sumLo = 0;
  sumHi = 0;
  /** Bit s set when stream id s has a write here. */
  streams = 0;
  /** The lowest and highest cycle of the writes here (a cycle window holding both keeps them all). */
  minCycle = Infinity;
  maxCycle = -Infinity;
  arena = new Uint8Array(4096);
  used = 0;
  /** Keys strictly ascending in report order so far (what targets usually do): nothing to sort or merge. */
  ordered = true;
  /** The last key reported (the order check compares the next one with it). */
  private lastKey = -1;
  /** The runs: first key, key step, count, arena offset of the first payload (−1: not kept), payload length. */
  runFirst = new Float64Array(16);
  runStep = new Float64Array(16);
  runCount = new Int32Array(16);
  runOff = new Int32Array(16);
  runLen = new Int32Array(16);
  runs = 0;
  /** keys, sids, offs, lens [0, n) are written out (rowsOut). */
  private rowsWritten = true;

  /** Room for `events` more writes and `bytes` more payload bytes. */
  private reserve(events: number, bytes: number): void {
    if (this.n + events > this.keys.length) {
      const size = Math.max(this.keys.length * 2, this.n + events);
      this.keys = grown(this.keys, size, this.n);
      this.cycles = grown(this.cycles, size, this.n);
      this.sids = grown(this.sids, size, this.n);
      this.addrs = grown(this.addrs, size, this.n);
      this.offs = grown(this.offs, size, this.n);
      this.lens = grown(this.lens, size, this.n);
      this.terms = grown(this.terms, 2 * size, 2 * this.n);
    }
    if (this.used + bytes > this.arena.length) this.arena = grown(this.arena, Math.max(this.arena.length * 2, this.used + bytes), this.used);
    if (this.runs === this.runCount.length) {
      const size = 2 * this.runs;
      this.runFirst = grown(this.runFirst, size, this.runs);
      this.runStep = grown(this.runStep, size, this.runs);
      this.runCount = grown(this.runCount, size, this.runs);
      this.runOff = grown(this.runOff, size, this.runs);
      this.runLen = grown(this.runLen, size, this.runs);
    }
  }

  /** One write (see pushRun); returns its index. */
  push(key: number, cycle: number, data: Uint8Array, keep: boolean, meta: boolean): number {
    return this.pushRun(key, 1, 1, cycle, data.length, data, keep, meta);
  }

  /**
   * `count` writes at keys key, key + keyStep, …, payloads of elemLen bytes each, back to back
   * in `bytes`, copied when `keep` (targets hand views of memory they go on writing; payloads
   * nobody stores are not kept). Each write's address and cycle are written when `meta`, i.e.
   * when the recorder stores any stream; the run alone serves canonical order and digests.
   * `cycles`, when given, holds each write's cycle (else all are at `cycle`). Returns the first
   * write's index.
   */
  pushRun(key: number, keyStep: number, count: number, cycle: number, elemLen: number, bytes: Uint8Array, keep: boolean, meta: boolean, cycles?: Float64Array): number {
    const first = this.n;
    const total = keep ? count * elemLen : 0;
    this.reserve(count, total);
    const off = this.used;
    if (keep) {
      this.arena.set(total === bytes.length ? bytes : bytes.subarray(0, total), off);
      this.used = off + total;
    }
    if (key <= this.lastKey) this.ordered = false;
    if (keyStep <= 0 && count > 1) this.ordered = false;
    this.lastKey = key + (count - 1) * keyStep;
    // A run stays within its stream (Recorder.writeRun sees to that).
    const sid = Math.floor(key / TWO32);
    this.streams |= 1 << sid;
    if (cycles) {
      for (let k = 0; k < count; k++) this.spanCycle(cycles[k]!);
    } else this.spanCycle(cycle);
    const r = this.runs++;
    this.runFirst[r] = key;
    this.runStep[r] = keyStep;
    this.runCount[r] = count;
    this.runOff[r] = keep ? off : -1;
    this.runLen[r] = elemLen;
    this.rowsWritten = false;
    if (meta) {
      const addrs = this.addrs;
      const addr = key - sid * TWO32;
      for (let k = 0, i = first; k < count; k++, i++) {
        addrs[i] = addr + k * keyStep;
        this.cycles[i] = cycles ? cycles[k]! : cycle;
      }
    }
    this.n = first + count;
    return first;
  }

  private spanCycle(cycle: number): void {
    if (cycle < this.minCycle) this.minCycle = cycle;
    if (cycle > this.maxCycle) this.maxCycle = cycle;
  }

  /** Writes every write's key, stream id, payload offset and length (keys, sids, offs, lens [0, n)) from the runs, once. */
  rowsOut(): void {
    if (this.rowsWritten) return;
    const { keys, sids, offs, lens, runFirst, runStep, runCount, runOff, runLen } = this;
    let i = 0;
    for (let r = 0; r < this.runs; r++) {
      const first = runFirst[r]!;
      const step = runStep[r]!;
      const sid = Math.floor(first / TWO32);
      const len = runLen[r]!;
      const off = runOff[r]!;
      for (let k = 0; k < runCount[r]!; k++, i++) {
        keys[i] = first + k * step;
        sids[i] = sid;
        offs[i] = off < 0 ? 0 : off + k * len;
        lens[i] = len;
      }
    }
    this.rowsWritten = true;
  }

  reset(): void {
    this.n = 0;
    this.lastKey = -1;
    this.runs = 0;
    this.rowsWritten = true;
    this.used = 0;
    this.ordered = true;
    this.streams = 0;
    this.sumLo = 0;
    this.sumHi = 0;
    this.minCycle = Infinity;
    this.maxCycle = -Infinity;
  }

  /**
   * Indices of the canonical writes: the last write per key, ascending key order; undefined
   * when that is every write in report order (keys strictly ascending, the usual case).
   */
  canonical(): number[] | undefined {
    if (this.ordered) return undefined;
    this.rowsOut();
    const { n, keys } = this;
    const idx = n <= PACKED_INDICES ? sortedByPackedKey(keys, n) : sortedByComparator(keys, n);
    const out: number[] = [];
    for (let k = 0; k < n; k++) if (k + 1 === n || keys[idx[k + 1]!] !== keys[idx[k]!]) out.push(idx[k]!);
    return out;
  }
}

/**
 * Writes of one instruction up to which canonical() sorts key·2^17 + index in a Float64Array:
 * keys (stream id · 2^32 + address, stream ids below 11) times 2^17 stay below 2^53, so the
 * packed values are exact, and a native numeric sort orders by key, then report order. The
 * RTL reports the ACC rows of a GEMM at a stride, so every such instruction is sorted: a sort
 * with a comparator took about an eighth of a tsim run of a ResNet layer in digest mode.
 */
const PACKED_INDICES = 1 << 17;

function sortedByPackedKey(keys: Float64Array, n: number): Int32Array {
  const packed = new Float64Array(n);
  for (let i = 0; i < n; i++) packed[i] = keys[i]! * PACKED_INDICES + i;
  packed.sort();
  const idx = new Int32Array(n);
  for (let k = 0; k < n; k++) idx[k] = packed[k]! % PACKED_INDICES;
  return idx;
}

/** The same order for larger instructions. Ties broken by report order: the last write of a key ends up last. */
function sortedByComparator(keys: Float64Array, n: number): number[] {
  const idx: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => keys[a]! - keys[b]! || a - b);
  return idx;
}

const TWO32 = 4294967296;

/**
 * Idle PendingWrites, shared by every recorder of the thread (JavaScript runs one at a time, and a
 * list belongs to one recorder from pop to push): a few instructions are pending at once, so a
 * small pool serves; very large arenas are left to the collector.
 */
const POOL: PendingWrites[] = [];
const POOL_SIZE = 16;
const POOL_ARENA = 1 << 24;
const RETIRE_ADDR = 0xffffffff;
/** Runs shorter than this are hashed in JavaScript: below it the call into WebAssembly costs more than it saves. */
const LANES_MIN_BYTES = 64;

export class Recorder implements EventSink {
  readonly wantsEvents: boolean;
  readonly wantsIters: boolean;
  /** True when the spec stores dram.load: targets then report what each LOAD read (EventSink.read). */
  readonly wantsReads: boolean;
  private readonly pending = new Map<number, PendingWrites>();
  /** Per instruction, the DRAM reads reported so far (dram-reads.ts), until its retire. */
  private readonly pendingReads = new Map<number, PendingReads>();
  private lastPc = -1;
  private lastList: PendingWrites | undefined;
  private static readonly NONE = new PendingWrites();
  /** Computes runs' digest terms in WebAssembly SIMD; undefined: eventTerms in JavaScript. */
  private lanes: DigestLanes | undefined;
  /** The same over the target's memory (payloadMemory), for runs whose payloads lie there: no copy. */
  private inPlace: DigestLanes | undefined;
  /** Scratch for one event's terms. */
  private readonly one = new Int32Array(2);
  /** Bit s set when stream id s is digested. */
  private readonly digestMask: number;
  private readonly insnDigests: Uint32Array;
  private readonly present: Uint8Array;
  /** Digested instructions still expected per chunk; a chunk is emitted when it reaches 0. */
  private readonly chunkLeft: Int32Array;
  private readonly chunkEmitted: Uint8Array;
  private readonly storeIds: boolean[];
  private readonly digestIds: boolean[];
  /** Whether any write stream is stored (digest and insn modes store none: store() has nothing to do). */
  private readonly storesWrites: boolean;
  private readonly summary: RecorderSummary = {
    retired: { load: 0, compute: 0, store: 0 },
    lastRetireCycle: { load: 0, compute: 0, store: 0 },
    storedEvents: 0,
    unretired: [],
    outOfRange: 0,
  };
  private finished = false;

  /** Whether the spec itself needs events (`wantsEvents` may also be set for `board`). */
  private readonly keeps: boolean;

  constructor(
    readonly spec: TraceSpec,
    readonly insnCount: number,
    private readonly out: RecordSink,
    /** Also fed every raw event, before canonicalisation (board digests, runtime/contract/board-digest.ts). */
    private readonly board?: BoardDigester,
    /** false: digest terms in JavaScript (same values; tests compare the two). */
    lanes = true,
  ) {
    this.keeps = keepsDigests(spec);
    this.lanes = this.keeps && lanes ? DigestLanes.acquire() : undefined;
    this.wantsEvents = this.keeps || board !== undefined;
    this.wantsIters = spec.streams.has('gemm.iter') || spec.streams.has('alu.iter') || board !== undefined;
    this.storeIds = STREAMS.map((s) => storesStream(spec, s));
    this.wantsReads = this.keeps && this.storeIds[STREAM_ID['dram.load']]!;
    this.digestIds = STREAMS.map((s) => digestsStream(spec, s));
    this.digestMask = this.digestIds.reduce((m, d, sid) => (d ? m | (1 << sid) : m), 0);
    this.storesWrites = STREAMS.some((s) => !s.startsWith('insn.') && storesStream(spec, s));
    this.insnDigests = new Uint32Array(2 * insnCount);
    this.present = new Uint8Array(insnCount);
    const chunks = Math.ceil(insnCount / DIGEST_CHUNK);
    this.chunkLeft = new Int32Array(chunks);
    this.chunkEmitted = new Uint8Array(chunks);
    for (let c = 0; c < chunks; c++) {
      let n = 0;
      for (let pc = c * DIGEST_CHUNK; pc < Math.min(insnCount, (c + 1) * DIGEST_CHUNK); pc++) if (inWindow(spec.insn, pc)) n++;
      this.chunkLeft[c] = n;
    }
  }

  /** Writes of `stream` are kept when stored or digested, and all of them when board digests are computed. */
  wants(stream: WriteStream): boolean {
    const sid = STREAM_ID[stream];
    return this.board !== undefined || (this.keeps && (this.storeIds[sid]! || this.digestIds[sid]!));
  }

  payloadMemory(memory: WasmMemory, scratchAt: number, scratchLen: number): void {
    if (this.lanes) this.inPlace = DigestLanes.over(memory, scratchAt, scratchLen);
  }

  write(stream: WriteStream, pc: number, cycle: number, addr: number, data: Uint8Array): void {
    this.board?.write(stream, pc, addr, data);
    this.push(STREAM_ID[stream], pc, cycle, addr, data);
  }

  writeRun(stream: WriteStream, pc: number, cycle: number, first: number, addrStep: number, count: number, elemLen: number, bytes: Uint8Array, cycles?: Float64Array): void {
    if (this.board) for (let k = 0; k < count; k++) this.board.write(stream, pc, first + k * addrStep, bytes.subarray(k * elemLen, (k + 1) * elemLen));
    if (count <= 0 || !this.keeps || pc < this.spec.insn.from || pc >= this.spec.insn.to) return;
    // Keys are u32 addresses within one stream: a run that would wrap past 2^32 goes write by write
    // (push, not write: the board digester has already seen these writes).
    const last = first + (count - 1) * addrStep;
    if (first < 0 || last < 0 || last > 0xffffffff) {
      for (let k = 0; k < count; k++) this.push(STREAM_ID[stream], pc, cycles ? cycles[k]! : cycle, first + k * addrStep, bytes.subarray(k * elemLen, (k + 1) * elemLen));
      return;
    }
    const sid = STREAM_ID[stream];
    const list = this.listFor(pc);
    const at = list.pushRun(sid * TWO32 + first, addrStep, count, cycle, elemLen, bytes, this.storeIds[sid]!, this.storesWrites, cycles);
    if (!this.digestIds[sid]) return;
    if (this.lanes && elemLen % 4 === 0 && count * elemLen >= LANES_MIN_BYTES) {
      const sum =
        this.inPlace?.termsInPlace(sid, first, addrStep, count, elemLen, bytes, list.terms, 2 * at) ??
        this.lanes.terms(sid, first, addrStep, count, elemLen, bytes, list.terms, 2 * at);
      list.sumLo = (list.sumLo + sum.lo) | 0;
      list.sumHi = (list.sumHi + sum.hi) | 0;
    } else for (let k = 0; k < count; k++) this.termsOf(list, at + k, sid, first + k * addrStep, bytes, k * elemLen, elemLen);
  }

  /** Write i's digest terms, added to the list's sums. */
  private termsOf(list: PendingWrites, i: number, sid: number, addr: number, bytes: Uint8Array, off: number, len: number): void {
    const t = list.terms;
    eventTerms(sid, addr, bytes, off, len, t, 2 * i);
    list.sumLo = (list.sumLo + t[2 * i]!) | 0;
    list.sumHi = (list.sumHi + t[2 * i + 1]!) | 0;
  }

  read(pc: number, cycle: number, addr: number, bytes: number): void {
    if (!this.wantsReads || bytes <= 0 || pc < this.spec.insn.from || pc >= this.spec.insn.to) return;
    let list = this.pendingReads.get(pc);
    if (!list) this.pendingReads.set(pc, (list = []));
    list.push(addr, addr + bytes, cycle);
  }

  /** The instruction's reads as its dram.load group (after its writes: the stream's id is the largest). */
  private storeReads(pc: number): void {
    const reads = this.pendingReads.get(pc);
    if (!reads) return;
    this.pendingReads.delete(pc);
    const g = readExtentsGroup(pc, reads, this.spec.cycles.from, this.spec.cycles.to);
    if (!g) return;
    this.out.groups([g]);
    this.summary.storedEvents += g.addrs.length;
  }

  iter(stream: IterStream, pc: number, cycle: number, ordinal: number, data: Uint8Array): void {
    this.board?.iter(stream, pc, data);
    if (this.storeIds[STREAM_ID[stream]]) this.push(STREAM_ID[stream], pc, cycle, ordinal, data);
  }

  private push(sid: number, pc: number, cycle: number, addr: number, data: Uint8Array): void {
    if (!this.keeps || pc < this.spec.insn.from || pc >= this.spec.insn.to) return;
    const list = this.listFor(pc);
    const i = list.push(sid * TWO32 + (addr >>> 0), cycle, data, this.storeIds[sid]!, this.storesWrites);
    if (this.digestIds[sid]) this.termsOf(list, i, sid, addr >>> 0, data, 0, data.length);
  }

  /** The pending writes of instruction `pc` (the last one asked for is kept at hand). */
  private listFor(pc: number): PendingWrites {
    let list = pc === this.lastPc ? this.lastList : this.pending.get(pc);
    if (!list) {
      list = POOL.pop() ?? new PendingWrites();
      this.pending.set(pc, list);
    }
    this.lastPc = pc;
    this.lastList = list;
    return list;
  }

  retire(pc: number, module: Module, cycle: number, insn: Uint8Array): void {
    this.summary.retired[module]++;
    if (cycle > this.summary.lastRetireCycle[module]) this.summary.lastRetireCycle[module] = cycle;
    this.board?.retire(pc, module, insn);
    if (!this.keeps) return;
    const writes = this.takePending(pc);
    if (pc < 0 || pc >= this.insnCount) {
      this.summary.outOfRange++;
      return;
    }
    if (!inWindow(this.spec.insn, pc)) return;
    const order = writes.canonical();
    const rsid = STREAM_ID[retireStream(module)];
    this.digest(pc, writes, order, rsid, insn);
    if (!this.present[pc]) {
      this.present[pc] = 1;
      const c = Math.floor(pc / DIGEST_CHUNK);
      if (--this.chunkLeft[c]! === 0) this.emitChunk(c);
    }
    // Retire streams have the smallest ids: the record goes first, in stream order.
    if (this.storeIds[rsid] && cycle >= this.spec.cycles.from && cycle < this.spec.cycles.to) {
      this.out.groups([{ stream: STREAMS[rsid]!, pc, part: 0, addrs: Uint32Array.of(RETIRE_ADDR), cycles: Float64Array.of(cycle), elemLen: insn.length, data: insn.slice() }]);
      this.summary.storedEvents++;
    }
    this.store(pc, writes, order);
    this.storeReads(pc);
    this.release(writes);
  }

  /**
   * The instruction's digest: the sum of the terms of its canonical digested writes (`order`, or
   * every write when undefined) and of its retire record (a later retire of the same pc wins).
   */
  private digest(pc: number, w: PendingWrites, order: number[] | undefined, rsid: number, insn: Uint8Array): void {
    eventTerms(rsid, RETIRE_ADDR, insn, 0, insn.length, this.one);
    let lo = this.one[0]!;
    let hi = this.one[1]!;
    if (!order && (w.streams & ~this.digestMask) === 0) {
      // Every write is canonical and digested (the usual case): their sum is at hand.
      lo = (lo + w.sumLo) | 0;
      hi = (hi + w.sumHi) | 0;
    } else {
      w.rowsOut();
      const { terms, keys } = w;
      const count = order ? order.length : w.n;
      for (let k = 0; k < count; k++) {
        const i = order ? order[k]! : k;
        if (!this.digestIds[Math.floor(keys[i]! / TWO32)]) continue;
        lo = (lo + terms[2 * i]!) | 0;
        hi = (hi + terms[2 * i + 1]!) | 0;
      }
    }
    this.insnDigests[2 * pc] = lo >>> 0;
    this.insnDigests[2 * pc + 1] = hi >>> 0;
  }

  /** End of run: store the writes of instructions that never retired, emit the remaining digest chunks. */
  finish(): RecorderSummary {
    if (this.finished) return this.summary;
    this.finished = true;
    const pcs = [...new Set([...this.pending.keys(), ...this.pendingReads.keys()])].sort((a, b) => a - b);
    for (const pc of pcs) {
      this.summary.unretired.push(pc);
      const writes = this.takePending(pc);
      this.store(pc, writes, writes.canonical());
      this.storeReads(pc);
    }
    this.lanes?.release();
    this.lanes = undefined;
    // The target's memory is no longer its own (EventSink.payloadMemory).
    this.inPlace = undefined;
    if (keepsDigests(this.spec)) {
      for (let c = 0; c < this.chunkEmitted.length; c++) if (!this.chunkEmitted[c]) this.emitChunk(c);
    }
    return this.summary;
  }

  private release(w: PendingWrites): void {
    if (w === Recorder.NONE) return;
    w.reset();
    // Kept for later instructions and later runs (grown arrays are most of a short run's cost).
    if (POOL.length < POOL_SIZE && w.arena.length <= POOL_ARENA) POOL.push(w);
  }

  private takePending(pc: number): PendingWrites {
    const list = this.pending.get(pc);
    if (!list) return Recorder.NONE;
    this.pending.delete(pc);
    if (this.lastPc === pc) {
      this.lastPc = -1;
      this.lastList = undefined;
    }
    return list;
  }

  /** Hand the stored streams' canonical writes (`order`, or all of them in report order) to the sink. */
  private store(pc: number, w: PendingWrites, order: number[] | undefined): void {
    if (!this.storesWrites) return;
    const groups: EventGroup[] = [];
    const { from, to } = this.spec.cycles;
    const everyCycle = from <= w.minCycle && w.maxCycle < to;
    if (!order && everyCycle) {
      this.storeInOrder(pc, w, groups);
      if (groups.length) this.out.groups(groups);
      return;
    }
    const count = order ? order.length : w.n;
    const at = (k: number) => (order ? order[k]! : k);
    w.rowsOut();
    const keys = w.keys;
    let i = 0;
    while (i < count) {
      const sid = Math.floor(keys[at(i)]! / TWO32);
      let j = i;
      while (j < count && Math.floor(keys[at(j)]! / TWO32) === sid) j++;
      if (this.storeIds[sid]) {
        const kept: number[] = [];
        for (let k = i; k < j; k++) {
          const e = at(k);
          if (everyCycle || (w.cycles[e]! >= from && w.cycles[e]! < to)) kept.push(e);
        }
        groups.push(...toGroups(STREAMS[sid]!, pc, w, kept));
        this.summary.storedEvents += kept.length;
      }
      i = j;
    }
    if (groups.length) this.out.groups(groups);
  }

  /**
   * store() when every write is canonical in report order and inside the cycle window (the usual
   * case): consecutive runs of one stream and payload length make one group, a view of the
   * pending arrays (lent, RecordSink) — the same groups toGroups makes.
   */
  private storeInOrder(pc: number, w: PendingWrites, groups: EventGroup[]): void {
    const { runs, runFirst, runCount, runOff, runLen } = w;
    const addrs = new Uint32Array(w.addrs.buffer, w.addrs.byteOffset, w.n);
    let i = 0;
    let r = 0;
    let part = 0;
    let lastSid = -1;
    while (r < runs) {
      const sid = Math.floor(runFirst[r]! / TWO32);
      const len = runLen[r]!;
      const off = runOff[r]!;
      let rows = runCount[r]!;
      let next = r + 1;
      while (next < runs && Math.floor(runFirst[next]! / TWO32) === sid && runLen[next] === len) rows += runCount[next++]!;
      if (sid !== lastSid) part = 0;
      lastSid = sid;
      // A stored stream's payloads are all kept, back to back in report order.
      if (this.storeIds[sid] && rows > 0) {
        const data = w.arena.subarray(off, off + rows * len);
        groups.push({ stream: STREAMS[sid]!, pc, part: part++, addrs: addrs.subarray(i, i + rows), cycles: w.cycles.subarray(i, i + rows), elemLen: len, data });
        this.summary.storedEvents += rows;
      }
      i += rows;
      r = next;
    }
  }

  private emitChunk(c: number): void {
    this.chunkEmitted[c] = 1;
    const firstPc = c * DIGEST_CHUNK;
    const count = Math.min(DIGEST_CHUNK, this.insnCount - firstPc);
    const insnDigests = this.insnDigests.slice(2 * firstPc, 2 * (firstPc + count));
    const present = this.present.slice(firstPc, firstPc + count);
    const { lo, hi } = chunkDigest(firstPc, insnDigests, present);
    this.out.digestChunk({ chunk: c, firstPc, count, lo, hi, insnDigests, present });
  }
}

/** Pack canonical events of one stream into groups of equal payload length. */
function toGroups(stream: Stream, pc: number, w: PendingWrites, idx: number[]): EventGroup[] {
  const groups: EventGroup[] = [];
  let i = 0;
  while (i < idx.length) {
    const len = w.lens[idx[i]!]!;
    let j = i;
    while (j < idx.length && w.lens[idx[j]!] === len) j++;
    const n = j - i;
    const addrs = new Uint32Array(n);
    const cycles = new Float64Array(n);
    const data = new Uint8Array(n * len);
    for (let k = 0; k < n; k++) {
      const e = idx[i + k]!;
      addrs[k] = w.keys[e]! % TWO32;
      cycles[k] = w.cycles[e]!;
    }
    // Payloads of consecutive writes lie back to back in the arena (the usual case): one copy.
    const first = w.offs[idx[i]!]!;
    if (w.offs[idx[j - 1]!]! === first + (n - 1) * len && isConsecutive(idx, i, j)) data.set(w.arena.subarray(first, first + n * len));
    else {
      for (let k = 0; k < n; k++) {
        const src = w.offs[idx[i + k]!]!;
        const dst = k * len;
        for (let b = 0; b < len; b++) data[dst + b] = w.arena[src + b]!;
      }
    }
    groups.push({ stream, pc, part: groups.length, addrs, cycles, elemLen: len, data });
    i = j;
  }
  return groups;
}

/** Whether idx[i..j) counts up by one. */
function isConsecutive(idx: number[], i: number, j: number): boolean {
  for (let k = i + 1; k < j; k++) if (idx[k] !== idx[k - 1]! + 1) return false;
  return true;
}

/** A RecordSink that keeps everything in memory (re-runs of a window, tests): copies of the lent groups. */
export class MemoryRecordSink implements RecordSink {
  readonly eventGroups: EventGroup[] = [];
  readonly chunks: DigestChunk[] = [];
  groups(groups: EventGroup[]): void {
    for (const g of groups) this.eventGroups.push({ ...g, addrs: g.addrs.slice(), cycles: g.cycles.slice(), data: g.data.slice() });
  }
  digestChunk(chunk: DigestChunk): void {
    this.chunks.push(chunk);
  }
}

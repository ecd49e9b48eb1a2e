/**
 * The Recorder: the one EventSink every target writes into. Targets report writes in any order
 * and with repeats; the recorder canonicalises identically for every target — at an
 * instruction's retire it keeps the last write per (stream, address), sorts by (stream, address),
 * folds the result into the instruction's digest and hands the events the spec wants to a
 * RecordSink (the SQLite run writer, or memory for re-runs and tests).
 */
import type { Module } from '../runtime/isa/insn.js';
import type { BoardDigester } from './board-digest.js';
import { DIGEST_CHUNK, Digest, chunkDigest } from './digest.js';
import { STREAMS, STREAM_ID, retireStream, type EventSink, type IterStream, type Stream, type WriteStream } from './events.js';
import { digestsStream, inWindow, keepsDigests, storesStream, type TraceSpec } from './spec.js';

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
 */
class PendingWrites {
  n = 0;
  /** streamId · 2^32 + u32 address: one number orders by (stream, address). */
  keys = new Float64Array(64);
  cycles = new Float64Array(64);
  offs = new Int32Array(64);
  lens = new Int32Array(64);
  arena = new Uint8Array(4096);
  used = 0;

  push(key: number, cycle: number, data: Uint8Array): void {
    if (this.n === this.keys.length) {
      const grow = <T extends Float64Array | Int32Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.keys = grow(this.keys);
      this.cycles = grow(this.cycles);
      this.offs = grow(this.offs);
      this.lens = grow(this.lens);
    }
    if (this.used + data.length > this.arena.length) {
      const b = new Uint8Array(Math.max(this.arena.length * 2, this.used + data.length));
      b.set(this.arena.subarray(0, this.used));
      this.arena = b;
    }
    // Copy: targets may reuse their row buffers.
    this.arena.set(data, this.used);
    const i = this.n++;
    this.keys[i] = key;
    this.cycles[i] = cycle;
    this.offs[i] = this.used;
    this.lens[i] = data.length;
    this.used += data.length;
  }

  reset(): void {
    this.n = 0;
    this.used = 0;
  }

  /**
   * Indices of the canonical writes: the last write per key, ascending key order. Targets
   * usually report in order already; only then is the sort skipped.
   */
  canonical(): number[] {
    const { n, keys } = this;
    let sorted = true;
    for (let i = 1; i < n && sorted; i++) if (keys[i]! <= keys[i - 1]!) sorted = false;
    const idx: number[] = new Array<number>(n);
    for (let i = 0; i < n; i++) idx[i] = i;
    if (sorted) return idx;
    // Ties broken by report order so that the last write of a key ends up last.
    idx.sort((a, b) => keys[a]! - keys[b]! || a - b);
    const out: number[] = [];
    for (let k = 0; k < n; k++) if (k + 1 === n || keys[idx[k + 1]!] !== keys[idx[k]!]) out.push(idx[k]!);
    return out;
  }
}

const TWO32 = 4294967296;
const RETIRE_ADDR = 0xffffffff;

export class Recorder implements EventSink {
  readonly wantsEvents: boolean;
  readonly wantsIters: boolean;
  private readonly pending = new Map<number, PendingWrites>();
  private readonly pool: PendingWrites[] = [];
  private lastPc = -1;
  private lastList: PendingWrites | undefined;
  private static readonly NONE = new PendingWrites();
  private readonly digest = new Digest();
  private readonly insnDigests: Uint32Array;
  private readonly present: Uint8Array;
  /** Digested instructions still expected per chunk; a chunk is emitted when it reaches 0. */
  private readonly chunkLeft: Int32Array;
  private readonly chunkEmitted: Uint8Array;
  private readonly storeIds: boolean[];
  private readonly digestIds: boolean[];
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
    /** Also fed every raw event, before canonicalisation (board digests, tracer/board-digest.ts). */
    private readonly board?: BoardDigester,
  ) {
    this.keeps = keepsDigests(spec);
    this.wantsEvents = this.keeps || board !== undefined;
    this.wantsIters = spec.streams.has('gemm.iter') || spec.streams.has('alu.iter') || board !== undefined;
    this.storeIds = STREAMS.map((s) => storesStream(spec, s));
    this.digestIds = STREAMS.map((s) => digestsStream(spec, s));
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

  write(stream: WriteStream, pc: number, cycle: number, addr: number, data: Uint8Array): void {
    this.board?.write(stream, pc, addr, data);
    this.push(STREAM_ID[stream], pc, cycle, addr, data);
  }

  iter(stream: IterStream, pc: number, cycle: number, ordinal: number, data: Uint8Array): void {
    this.board?.iter(stream, pc, data);
    if (this.storeIds[STREAM_ID[stream]]) this.push(STREAM_ID[stream], pc, cycle, ordinal, data);
  }

  private push(sid: number, pc: number, cycle: number, addr: number, data: Uint8Array): void {
    if (!this.keeps || pc < this.spec.insn.from || pc >= this.spec.insn.to) return;
    let list = pc === this.lastPc ? this.lastList : this.pending.get(pc);
    if (!list) {
      list = this.pool.pop() ?? new PendingWrites();
      this.pending.set(pc, list);
    }
    this.lastPc = pc;
    this.lastList = list;
    list.push(sid * TWO32 + (addr >>> 0), cycle, data);
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
    const d = this.digest;
    d.reset();
    for (const i of order) {
      const key = writes.keys[i]!;
      const sid = Math.floor(key / TWO32);
      if (this.digestIds[sid]) d.eventAt(sid, key - sid * TWO32, writes.arena, writes.offs[i]!, writes.lens[i]!);
    }
    const rsid = STREAM_ID[retireStream(module)];
    d.event(rsid, RETIRE_ADDR, insn);
    this.insnDigests[2 * pc] = d.lo >>> 0;
    this.insnDigests[2 * pc + 1] = d.hi >>> 0;
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
    this.release(writes);
  }

  /** End of run: store the writes of instructions that never retired, emit the remaining digest chunks. */
  finish(): RecorderSummary {
    if (this.finished) return this.summary;
    this.finished = true;
    const pcs = [...this.pending.keys()].sort((a, b) => a - b);
    for (const pc of pcs) {
      this.summary.unretired.push(pc);
      const writes = this.takePending(pc);
      this.store(pc, writes, writes.canonical());
    }
    if (keepsDigests(this.spec)) {
      for (let c = 0; c < this.chunkEmitted.length; c++) if (!this.chunkEmitted[c]) this.emitChunk(c);
    }
    return this.summary;
  }

  private release(w: PendingWrites): void {
    if (w === Recorder.NONE) return;
    w.reset();
    this.pool.push(w);
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

  private store(pc: number, w: PendingWrites, order: number[]): void {
    const groups: EventGroup[] = [];
    const { from, to } = this.spec.cycles;
    let i = 0;
    while (i < order.length) {
      const sid = Math.floor(w.keys[order[i]!]! / TWO32);
      let j = i;
      while (j < order.length && Math.floor(w.keys[order[j]!]! / TWO32) === sid) j++;
      if (this.storeIds[sid]) {
        const kept = order.slice(i, j).filter((k) => w.cycles[k]! >= from && w.cycles[k]! < to);
        groups.push(...toGroups(STREAMS[sid]!, pc, w, kept));
        this.summary.storedEvents += kept.length;
      }
      i = j;
    }
    if (groups.length) this.out.groups(groups);
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
      const src = w.offs[e]!;
      const dst = k * len;
      for (let b = 0; b < len; b++) data[dst + b] = w.arena[src + b]!;
    }
    groups.push({ stream, pc, part: groups.length, addrs, cycles, elemLen: len, data });
    i = j;
  }
  return groups;
}

/** A RecordSink that keeps everything in memory (re-runs of a window, tests). */
export class MemoryRecordSink implements RecordSink {
  readonly eventGroups: EventGroup[] = [];
  readonly chunks: DigestChunk[] = [];
  groups(groups: EventGroup[]): void {
    this.eventGroups.push(...groups);
  }
  digestChunk(chunk: DigestChunk): void {
    this.chunks.push(chunk);
  }
}

/**
 * Event groups copied into one ArrayBuffer that can be transferred to the writer thread. The
 * recorder lends a group's arrays only for the groups() call (RecordSink), so they are copied
 * here, once, into memory this side owns and then hands over (transfer, no second copy); RunWriter
 * keeps what it buffers the same way. Each group is copied as the row will store it: its cycles
 * (f64) and addresses (u32) in their compact forms where they apply (compact-columns.ts: one value
 * for all), then the payload, at an 8-aligned offset, so the thread reads the BLOBs as plain views.
 */
import { STREAMS, STREAM_ID } from '../../runtime/contract/events.js';
import type { DigestChunk, EventGroup } from '../recorder.js';
import { consecutive, oneCycle, addrsFromBlob, cyclesFromBlob } from './compact-columns.js';

/**
 * What crosses to the writer thread: per group [stream id, pc, part, n, elemLen, byte offset,
 * cycles stored (1 or n), addresses stored (1 or n)].
 */
export interface PackedGroups {
  meta: number[];
  buf: ArrayBuffer;
  events: number;
  chunks: DigestChunk[];
}

/**
 * Bytes per batch. For the writer thread smaller batches start its inserts sooner (more overlap)
 * but cost a message each; 256 KiB is about ten per conv:C10 sram run (see bench/tracer.ts).
 */
export const BATCH_BYTES = 256 * 1024;

const FIELDS = 8;

/**
 * Where a batch gets its next buffer: one a consumer has finished with, or undefined for a new
 * one. A buffer handed over to another thread is freed there, and a new one costs fresh pages on
 * this side: measured alone, 120 µs to fill and hand over a new 256 KiB batch against 7 µs to
 * fill a reused one. A spare of another size is not used.
 */
export type SpareBuffers = () => ArrayBuffer | undefined;

/**
 * A buffer without zero-filling: new ArrayBuffer's zeroed memory comes as fresh pages, and their
 * first writes cost about 5× the copy itself (measured: 168 against 32 µs per 256 KiB batch, ten
 * batches per conv:C10 sram run). Only bytes written are ever read (rows are exact views).
 */
const uninitialized = (bytes: number): ArrayBuffer => Buffer.allocUnsafeSlow(bytes).buffer as ArrayBuffer;
const align8 = (n: number) => (n + 7) & ~7;
const bytesOf = (cycles: number, addrs: number, n: number, elemLen: number) => align8(cycles * 8 + addrs * 4 + n * elemLen);

export class GroupBatch {
  private buf!: ArrayBuffer;
  /** Views of the whole buffer, made once per buffer: a view per group cost more than its copy. */
  private bytes!: Uint8Array;
  private f64!: Float64Array;
  private u32!: Uint32Array;
  private used = 0;
  private meta: number[] = [];
  private chunks: DigestChunk[] = [];
  /** Events in the batch. */
  events = 0;

  constructor(
    private readonly capacity: number,
    private readonly spares: SpareBuffers = () => undefined,
  ) {
    this.use(new ArrayBuffer(0));
  }

  /** The buffer is taken when the first group arrives: a batch that ends empty (a run's last) takes none. */
  private fresh(): ArrayBuffer {
    const spare = this.spares();
    return spare && spare.byteLength === this.capacity ? spare : uninitialized(this.capacity);
  }

  private use(buf: ArrayBuffer): void {
    this.buf = buf;
    this.bytes = new Uint8Array(buf);
    // Whole elements only: the last bytes of a buffer whose size is not a multiple of 8 hold payload.
    this.f64 = new Float64Array(buf, 0, Math.floor(buf.byteLength / 8));
    this.u32 = new Uint32Array(buf, 0, Math.floor(buf.byteLength / 4));
  }

  get empty(): boolean {
    return this.meta.length === 0 && this.chunks.length === 0;
  }

  /** Whether `g` fits without growing the buffer, even in its full form. */
  fits(g: EventGroup): boolean {
    const n = g.addrs.length;
    // Before its first group a batch has no buffer yet, but will get one of `capacity` bytes.
    return this.used + bytesOf(n, n, n, g.elemLen) <= Math.max(this.buf.byteLength, this.capacity);
  }

  add(g: EventGroup): void {
    const { cycles, addrs, data } = g;
    const n = addrs.length;
    // A row of one event (or none) is the same in either form.
    const nc = n > 1 && oneCycle(cycles) ? 1 : n;
    const na = n > 1 && consecutive(addrs) ? 1 : n;
    const len = n * g.elemLen;
    const need = bytesOf(nc, na, n, g.elemLen);
    if (this.buf.byteLength === 0) this.use(this.fresh());
    // Only a group larger than a whole batch gets here without fitting: it gets a buffer of its own size.
    if (this.used + need > this.buf.byteLength) this.grow(this.used + need);
    const at = this.used;
    if (nc === 1) this.f64[at / 8] = cycles[0]!;
    else this.f64.set(cycles.length === n ? cycles : cycles.subarray(0, n), at / 8);
    const addrsAt = (at + nc * 8) / 4;
    if (na === 1) this.u32[addrsAt] = addrs[0]!;
    else this.u32.set(addrs, addrsAt);
    this.bytes.set(data.length === len ? data : data.subarray(0, len), at + nc * 8 + na * 4);
    this.meta.push(STREAM_ID[g.stream], g.pc, g.part, n, g.elemLen, at, nc, na);
    this.used += need;
    this.events += n;
  }

  /** Digest chunks ride along, copied for the same reason as groups (they are small). */
  addChunk(c: DigestChunk): void {
    this.chunks.push({ ...c, insnDigests: c.insnDigests.slice(), present: c.present.slice() });
  }

  get chunkCount(): number {
    return this.chunks.length;
  }

  /** The packed batch (its buffer is then owned by the receiver), and a new one started here. */
  take(): PackedGroups {
    // The whole buffer is transferred: cheaper than copying its used part once more.
    const out: PackedGroups = { meta: this.meta, buf: this.buf, events: this.events, chunks: this.chunks };
    // A new empty buffer each time, never a shared one: a transfer detaches what it sends.
    this.use(new ArrayBuffer(0));
    this.used = 0;
    this.meta = [];
    this.chunks = [];
    this.events = 0;
    return out;
  }

  private grow(size: number): void {
    const bigger = uninitialized(size);
    new Uint8Array(bigger).set(this.bytes.subarray(0, this.used));
    this.use(bigger);
  }
}

/** One events row of a packed batch, its BLOBs as stored (views into the batch's buffer). */
export interface StoredRow {
  stream: number;
  pc: number;
  part: number;
  n: number;
  elemLen: number;
  cycles: Uint8Array;
  addrs: Uint8Array;
  data: Uint8Array;
}

/** The rows of a packed batch, as the writer inserts them. */
export function storedRows(p: PackedGroups): StoredRow[] {
  const rows: StoredRow[] = [];
  for (let i = 0; i < p.meta.length; i += FIELDS) {
    const [stream, pc, part, n, elemLen, at, nc, na] = p.meta.slice(i, i + FIELDS) as [number, number, number, number, number, number, number, number];
    rows.push({
      stream,
      pc,
      part,
      n,
      elemLen,
      cycles: new Uint8Array(p.buf, at, nc * 8),
      addrs: new Uint8Array(p.buf, at + nc * 8, na * 4),
      data: new Uint8Array(p.buf, at + nc * 8 + na * 4, n * elemLen),
    });
  }
  return rows;
}

/** The groups of a packed batch, compact columns expanded (what a reader of the rows gets). */
export function unpackGroups(p: PackedGroups): EventGroup[] {
  return storedRows(p).map((r) => ({
    stream: STREAMS[r.stream]!,
    pc: r.pc,
    part: r.part,
    elemLen: r.elemLen,
    cycles: cyclesFromBlob(r.cycles, r.n),
    addrs: addrsFromBlob(r.addrs, r.n),
    data: r.data,
  }));
}

/**
 * Event groups copied into one ArrayBuffer that can be transferred to the writer thread. The
 * recorder lends a group's arrays only for the groups() call (RecordSink), so they are copied
 * here, once, into memory this side owns and then hands over (transfer, no second copy); RunWriter
 * keeps what it buffers the same way. Each group is copied as the row will store it: its cycles
 * (f64) and addresses (u32) in their compact forms where they apply (compact-columns.ts: one value
 * for all), then the payload, at an 8-aligned offset, so the thread reads the BLOBs as plain views.
 */
import { STREAMS, STREAM_ID } from '../events.js';
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
const align8 = (n: number) => (n + 7) & ~7;
const bytesOf = (cycles: number, addrs: number, n: number, elemLen: number) => align8(cycles * 8 + addrs * 4 + n * elemLen);

export class GroupBatch {
  private buf: ArrayBuffer;
  private bytes: Uint8Array;
  private used = 0;
  private meta: number[] = [];
  private chunks: DigestChunk[] = [];
  /** Events in the batch. */
  events = 0;

  constructor(private readonly capacity: number) {
    this.buf = new ArrayBuffer(capacity);
    this.bytes = new Uint8Array(this.buf);
  }

  get empty(): boolean {
    return this.meta.length === 0 && this.chunks.length === 0;
  }

  /** Whether `g` fits without growing the buffer, even in its full form. */
  fits(g: EventGroup): boolean {
    const n = g.addrs.length;
    return this.used + bytesOf(n, n, n, g.elemLen) <= this.buf.byteLength;
  }

  add(g: EventGroup): void {
    const n = g.addrs.length;
    // A row of one event (or none) is the same in either form.
    const nc = n > 1 && oneCycle(g.cycles) ? 1 : n;
    const na = n > 1 && consecutive(g.addrs) ? 1 : n;
    const need = bytesOf(nc, na, n, g.elemLen);
    // Only a group larger than a whole batch gets here without fitting: it gets a buffer of its own size.
    if (this.used + need > this.buf.byteLength) this.grow(this.used + need);
    const at = this.used;
    new Float64Array(this.buf, at, nc).set(g.cycles.subarray(0, nc));
    new Uint32Array(this.buf, at + nc * 8, na).set(g.addrs.subarray(0, na));
    this.bytes.set(g.data.subarray(0, n * g.elemLen), at + nc * 8 + na * 4);
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

  /** The packed batch (its buffer is then owned by the receiver), and a fresh one started here. */
  take(): PackedGroups {
    // The whole buffer is transferred: cheaper than copying its used part once more.
    const out: PackedGroups = { meta: this.meta, buf: this.buf, events: this.events, chunks: this.chunks };
    this.buf = new ArrayBuffer(this.capacity);
    this.bytes = new Uint8Array(this.buf);
    this.used = 0;
    this.meta = [];
    this.chunks = [];
    this.events = 0;
    return out;
  }

  private grow(size: number): void {
    const bigger = new ArrayBuffer(size);
    new Uint8Array(bigger).set(this.bytes.subarray(0, this.used));
    this.buf = bigger;
    this.bytes = new Uint8Array(bigger);
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

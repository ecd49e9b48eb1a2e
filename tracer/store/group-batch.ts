/**
 * Event groups copied into one ArrayBuffer that can be transferred to the writer thread. The
 * recorder lends a group's arrays only for the groups() call (RecordSink), so they are copied
 * here, once, into memory this side owns and then hands over (transfer, no second copy); RunWriter
 * keeps what it buffers the same way. Each group's bytes are
 * cycles (f64), addresses (u32), payload, at an 8-aligned offset, so the thread reads them back as
 * plain views.
 */
import { STREAMS, STREAM_ID } from '../events.js';
import type { DigestChunk, EventGroup } from '../recorder.js';

/** What crosses to the writer thread: per group [stream id, pc, part, n, elemLen, byte offset]. */
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

const FIELDS = 6;
const align8 = (n: number) => (n + 7) & ~7;
const bytesOf = (n: number, elemLen: number) => align8(n * 12 + n * elemLen);

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

  /** Whether `g` fits without growing the buffer. */
  fits(g: EventGroup): boolean {
    return this.used + bytesOf(g.addrs.length, g.elemLen) <= this.buf.byteLength;
  }

  add(g: EventGroup): void {
    const n = g.addrs.length;
    const need = bytesOf(n, g.elemLen);
    // Only a group larger than a whole batch gets here without fitting: it gets a buffer of its own size.
    if (this.used + need > this.buf.byteLength) this.grow(this.used + need);
    const at = this.used;
    new Float64Array(this.buf, at, n).set(g.cycles);
    new Uint32Array(this.buf, at + n * 8, n).set(g.addrs);
    this.bytes.set(g.data.subarray(0, n * g.elemLen), at + n * 12);
    this.meta.push(STREAM_ID[g.stream], g.pc, g.part, n, g.elemLen, at);
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

/** The groups of a packed batch, as views into its buffer (the writer thread's side). */
export function unpackGroups(p: PackedGroups): EventGroup[] {
  const groups: EventGroup[] = [];
  for (let i = 0; i < p.meta.length; i += FIELDS) {
    const [stream, pc, part, n, elemLen, at] = p.meta.slice(i, i + FIELDS) as [number, number, number, number, number, number];
    groups.push({
      stream: STREAMS[stream]!,
      pc,
      part,
      elemLen,
      cycles: new Float64Array(p.buf, at, n),
      addrs: new Uint32Array(p.buf, at + n * 8, n),
      data: new Uint8Array(p.buf, at + n * 12, n * elemLen),
    });
  }
  return groups;
}

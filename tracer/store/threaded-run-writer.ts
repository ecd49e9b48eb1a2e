/**
 * A RunSink that hands a run's rows to the store's writer thread instead of inserting them on the
 * thread that runs the target: in sram and full modes SQLite's inserts cost about twice an
 * untraced fsim run, and only overlapping them with the run can bring tracing under 3×.
 * groups() copies (the recorder lends its arrays) and hands over a batch when it is full;
 * flush() and finish() block until the thread has committed, as RunWriter's do, so the SIGINT
 * path and crash handling keep their guarantees.
 */
import type { DigestChunk, EventGroup } from '../recorder.js';
import { BATCH_BYTES, GroupBatch, type PackedGroups } from './group-batch.js';
import { CHUNKS_PER_BATCH, DEFAULT_BATCH_EVENTS, type RunEnd, type RunSink, type RunWriterOptions } from './run-writer.js';
import { TraceWriterThreadError } from './writer-thread-error.js';
import { WriterThreadGone, type WriterThreadHandle } from './writer-thread-handle.js';
import type { WriterReply } from './writer-thread-protocol.js';


export class ThreadedRunWriter implements RunSink {
  private readonly batch: GroupBatch;
  private written = 0;
  private closed = false;
  private failure?: TraceWriterThreadError;
  private readonly batchEvents: number;

  constructor(
    private readonly thread: WriterThreadHandle,
    readonly runId: number,
    /** Marks the run when its rows cannot all be written (the store's own connection). */
    private readonly markInterrupted: (runId: number, message: string) => void,
    opts: RunWriterOptions = {},
  ) {
    this.batchEvents = opts.batchEvents ?? DEFAULT_BATCH_EVENTS;
    this.batch = new GroupBatch(BATCH_BYTES, () => thread.spareBuffer());
    thread.post({ op: 'start', runId });
  }

  groups(groups: EventGroup[]): void {
    this.check();
    for (const g of groups) {
      if (!this.batch.empty && !this.batch.fits(g)) this.handOver();
      this.batch.add(g);
    }
    if (this.batch.events >= this.batchEvents) this.handOver();
  }

  digestChunk(chunk: DigestChunk): void {
    this.check();
    this.batch.addChunk(chunk);
    if (this.batch.chunkCount >= CHUNKS_PER_BATCH) this.handOver();
  }

  flush(): void {
    if (this.failure) throw this.failure;
    if (this.closed) return;
    const r = this.ask((seq, batch) => ({ op: 'flush', runId: this.runId, seq, batch }));
    this.written = r.written ?? this.written;
  }

  /** The rest goes over now: the thread inserts it while the caller compares outputs and such. */
  recorded(): void {
    this.check();
    if (!this.batch.empty) this.handOver();
  }

  finish(end: RunEnd): void {
    if (this.failure) throw this.failure;
    if (this.closed) return;
    const r = this.ask((seq, batch) => ({ op: 'finish', runId: this.runId, seq, batch, end }));
    this.written = r.written ?? this.written;
    this.closed = true;
  }

  get eventsWritten(): number {
    return this.written;
  }

  private handOver(): void {
    const batch = this.batch.take();
    this.thread.post({ op: 'groups', runId: this.runId, batch }, [batch.buf]);
  }

  /** A request carrying what is still batched here; a failure marks the run and is thrown. */
  private ask(make: (seq: number, batch?: PackedGroups) => Parameters<WriterThreadHandle['post']>[0]): WriterReply {
    this.check();
    const batch = this.batch.empty ? undefined : this.batch.take();
    let reply: WriterReply;
    try {
      reply = this.thread.request((seq) => make(seq, batch), batch ? [batch.buf] : []);
    } catch (e) {
      if (!(e instanceof WriterThreadGone)) throw e;
      throw this.fail(`${e.message}`);
    }
    if (reply.error) throw this.fail(`could not commit: ${reply.error}`);
    return reply;
  }

  /** A thread that died since the last request fails the next call at once, not at finish. */
  private check(): void {
    if (this.failure) throw this.failure;
    const gone = this.thread.gone;
    if (gone) throw this.fail(gone);
  }

  private fail(why: string): TraceWriterThreadError {
    this.closed = true;
    this.failure = new TraceWriterThreadError(`${this.thread.file}: trace writer thread ${why}; run ${this.runId} marked interrupted, its committed rows kept`);
    this.markInterrupted(this.runId, `trace writer thread ${why}`);
    return this.failure;
  }
}

/**
 * Writes one run's events and digests into the database in large batched transactions, so a
 * long run costs few commits and a crash loses at most the last unflushed batch (the orchestrator
 * flushes on target crash and on SIGINT, so in practice nothing is lost).
 */
import type { BlockedInsn, Counters } from '../../runtime/contract/target.js';
import { MODULES, type Module } from '../../runtime/isa/insn.js';
import type { BoardRecord } from '../../runtime/contract/board-digest.js';
import type { DigestChunk, EventGroup, RecordSink } from '../recorder.js';
import { withBusyRetry } from './busy.js';
import { BATCH_BYTES, GroupBatch, storedRows, type PackedGroups } from './group-batch.js';
import { toBlob } from './blobs.js';
import type { Db } from './open.js';
import type { BoardSource, StoredRunStatus } from './schema.js';

export interface RunEnd {
  status: Exclude<StoredRunStatus, 'running'>;
  message?: string;
  blocked?: BlockedInsn[];
  counters?: Counters;
  moduleCycles?: Record<Module, number>;
  outputs?: { name: string; addr: number; bytes: Uint8Array }[];
  /**
   * False when the target reported no events to the host (a board without probes): the run's
   * instruction digests then say nothing, and only its board records can be compared.
   */
  hostEvents?: boolean;
  /** The run's board records in retire order, and where they came from. */
  board?: { source: BoardSource; records: readonly BoardRecord[] };
  /**
   * Whether the target reported what its LOADs read (Target.recordsDramReads as it stands after
   * the run: a board says so in its handshake); undefined keeps what the run's start said.
   */
  dramReads?: boolean;
}

/** Events buffered before a commit (or a hand-over to the writer thread) unless a run says otherwise. */
export const DEFAULT_BATCH_EVENTS = 262_144;
/** Digest chunks (256 instructions each) buffered before a commit or hand-over. */
export const CHUNKS_PER_BATCH = 64;

export interface RunWriterOptions {
  /** Events buffered before a commit (default DEFAULT_BATCH_EVENTS). */
  batchEvents?: number;
  /**
   * Write on the store's writer thread (tracer/store/threaded-run-writer.ts): true, false, or
   * undefined for where it pays (a file database and a spec that stores write streams).
   */
  thread?: boolean;
  /**
   * Takes each batch buffer once its rows are committed (the writer thread sends them back to the
   * thread that fills batches); by default they are kept for this connection's next batches.
   */
  release?: (buf: ArrayBuffer) => void;
}

/** Where a run's rows go: RunWriter, or ThreadedRunWriter (same rows, written on another thread). */
export interface RunSink extends RecordSink {
  readonly runId: number;
  /** Events committed so far. */
  readonly eventsWritten: number;
  /** Commit everything handed over so far; returns once it is committed. */
  flush(): void;
  /**
   * Every event of the run has been handed over: a writer that works beside the run may start
   * writing the rest now, while the caller gets the run's end ready (no wait; finish() commits).
   */
  recorded(): void;
  /** Commit the rest and the run's end; returns once it is committed. */
  finish(end: RunEnd): void;
}

/** A run writer's statements. */
function prepareStatements(db: Db) {
  return {
    insertEvent: db.prepare('INSERT INTO events (run_id, pc, stream, part, n, elem_len, addrs, cycles, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
    insertDigest: db.prepare(
      'INSERT OR REPLACE INTO digests (run_id, chunk, first_pc, count, lo, hi, insn_digests, present) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    addEventCount: db.prepare('UPDATE runs SET event_count = event_count + ? WHERE id = ?'),
    lastEvent: db.prepare('SELECT max(id) FROM events'),
    lastIndexed: db.prepare('SELECT max(run_id) FROM events'),
    runRow: db.prepare('SELECT event_count FROM runs WHERE id = ?'),
    insertOutput: db.prepare('INSERT OR REPLACE INTO outputs (run_id, name, addr, bytes) VALUES (?, ?, ?, ?)'),
    insertBoard: db.prepare('INSERT OR REPLACE INTO board_records (run_id, seq, pc, module, digest) VALUES (?, ?, ?, ?, ?)'),
    end: db.prepare(
      `UPDATE runs SET status = ?, message = ?, blocked_json = ?, counters_json = ?, module_cycles_json = ?,
       host_events = ?, board_source = ?, dram_reads = coalesce(?, dram_reads), finished_at = ? WHERE id = ?`,
    ),
  };
}
type Statements = ReturnType<typeof prepareStatements>;

/**
 * Statements prepared once per connection, shared by its run writers (one after another, as
 * JavaScript runs them): preparing six statements per run cost about as much as a digest-mode
 * run's inserts.
 */
const PREPARED = new WeakMap<Db, Statements>();
function statementsOf(db: Db): Statements {
  let s = PREPARED.get(db);
  if (!s) PREPARED.set(db, (s = prepareStatements(db)));
  return s;
}

/** Batch buffers kept per connection between runs: a run of conv:C10 fills about ten. */
const MAX_SPARES = 16;
const SPARES = new WeakMap<Db, ArrayBuffer[]>();
function sparesOf(db: Db): ArrayBuffer[] {
  let s = SPARES.get(db);
  if (!s) SPARES.set(db, (s = []));
  return s;
}

export class RunWriter implements RunSink {
  /** Groups buffered for the next commit: full batches, and the one being filled. */
  private packs: PackedGroups[] = [];
  private batch: GroupBatch | undefined;
  private pendingChunks: DigestChunk[] = [];
  private pendingEvents = 0;
  private written = 0;
  private readonly batchEvents: number;
  private readonly sql: Statements;
  private readonly spares: ArrayBuffer[];
  private readonly release: (buf: ArrayBuffer) => void;
  private closed = false;

  constructor(
    private readonly db: Db,
    readonly runId: number,
    opts: RunWriterOptions = {},
  ) {
    this.batchEvents = opts.batchEvents ?? DEFAULT_BATCH_EVENTS;
    this.sql = statementsOf(db);
    this.spares = sparesOf(db);
    this.release =
      opts.release ??
      ((buf) => {
        if (this.spares.length < MAX_SPARES) this.spares.push(buf);
      });
  }

  /**
   * Read the pages the first insert will change: the last pages of the events table and of its
   * index, and the run's row. Another connection (the store's, which inserted the run's row)
   * has written since this one last did, so SQLite has dropped this connection's cached pages;
   * the writer thread reads them again while the target starts instead of at its first commit,
   * where it cost about 0.5 ms of a conv:C10 sram run (bench/tracer.ts). Only a speed-up: a read
   * that fails here leaves the insert to fail, or not, on its own.
   */
  warm(): void {
    try {
      this.db.transaction(() => {
        this.sql.lastEvent.get();
        this.sql.lastIndexed.get();
        this.sql.runRow.get(this.runId);
      })();
    } catch {
      // See above: nothing was written, and the insert reports its own errors.
    }
  }

  /** Lent groups (RecordSink): copied into this writer's batches until the commit. */
  groups(groups: EventGroup[]): void {
    const batch = (this.batch ??= new GroupBatch(BATCH_BYTES, () => this.spares.pop()));
    for (const g of groups) {
      if (!batch.empty && !batch.fits(g)) this.packs.push(batch.take());
      batch.add(g);
      this.pendingEvents += g.addrs.length;
    }
    if (this.pendingEvents >= this.batchEvents) this.flush();
  }

  /** Groups already packed, the caller's no longer (the writer thread's batches): inserted as they are. */
  packed(p: PackedGroups): void {
    this.packs.push(p);
    this.pendingEvents += p.events;
    for (const c of p.chunks) this.digestChunk(c);
  }

  digestChunk(chunk: DigestChunk): void {
    this.pendingChunks.push(chunk);
    if (this.pendingChunks.length >= CHUNKS_PER_BATCH) this.flush();
  }

  /** Commit everything buffered. */
  flush(): void {
    if (this.pendingEvents === 0 && this.packs.length === 0 && this.pendingChunks.length === 0) return;
    withBusyRetry(() => this.db.transaction(() => this.writePending()).immediate());
    this.afterCommit();
  }

  /** Insert the buffered rows (inside the caller's transaction; afterCommit once it committed). */
  private writePending(): void {
    if (this.batch && !this.batch.empty) this.packs.push(this.batch.take());
    for (const p of this.packs) {
      for (const r of storedRows(p)) {
        this.sql.insertEvent.run(this.runId, r.pc, r.stream, r.part, r.n, r.elemLen, toBlob(r.addrs), toBlob(r.cycles), toBlob(r.data));
      }
    }
    for (const c of this.pendingChunks) {
      this.sql.insertDigest.run(this.runId, c.chunk, c.firstPc, c.count, c.lo, c.hi, toBlob(c.insnDigests), toBlob(c.present));
    }
    if (this.pendingEvents > 0) this.sql.addEventCount.run(this.pendingEvents, this.runId);
  }

  private afterCommit(): void {
    this.written += this.pendingEvents;
    // SQLite copied the BLOBs when they were bound: the buffers are free again. Only whole batch
    // buffers are worth keeping (not a group's own larger one, nor the empty one of digest chunks).
    for (const p of this.packs) if (p.buf.byteLength === BATCH_BYTES) this.release(p.buf);
    this.packs = [];
    this.pendingChunks = [];
    this.pendingEvents = 0;
  }

  get eventsWritten(): number {
    return this.written;
  }

  /** Nothing to start: the rest goes in finish()'s one commit with the run's end. */
  recorded(): void {}

  /**
   * Record the run's end in the same transaction as its outputs and whatever was still buffered:
   * one commit (a short run's last batch and its end used to cost two, a measurable part of a
   * digest-mode run of a few milliseconds).
   */
  finish(end: RunEnd): void {
    if (this.closed) return;
    withBusyRetry(() =>
      this.db
        .transaction(() => {
          this.writePending();
          for (const o of end.outputs ?? []) this.sql.insertOutput.run(this.runId, o.name, o.addr, toBlob(o.bytes));
          if (end.board) {
            end.board.records.forEach((r, seq) => this.sql.insertBoard.run(this.runId, seq, r.pc, MODULES.indexOf(r.module), r.digest));
          }
          this.sql.end.run(
            end.status,
            end.message ?? null,
            end.blocked?.length ? JSON.stringify(end.blocked) : null,
            end.counters ? JSON.stringify(end.counters) : null,
            end.moduleCycles ? JSON.stringify(end.moduleCycles) : null,
            end.hostEvents === false ? 0 : 1,
            end.board?.source ?? null,
            end.dramReads === undefined ? null : end.dramReads ? 1 : 0,
            new Date().toISOString(),
            this.runId,
          );
        })
        .immediate(),
    );
    this.afterCommit();
    this.closed = true;
  }
}

/**
 * The trace writer thread: owns its own connection to the trace database and inserts the rows the
 * main thread hands it (tracer/store/threaded-run-writer.ts), so SQLite's time overlaps the
 * target's run. Rows are written by the same RunWriter the main thread would use, so they are the
 * same rows. Batches are committed as soon as the thread has caught up with what was handed over:
 * one batch at a time while it keeps pace (committing early keeps the write lock short for other
 * writers), several in one commit when they queued up while it was busy (each commit costs
 * SQLite's fixed work again: the last pages of the table and index, the run's row, WAL frames).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { PackedGroups } from './group-batch.js';
import { openTraceDb, type Db } from './open.js';
import { RunWriter } from './run-writer.js';
import { SIGNAL, type ToWriter, type WriterReply, type WriterThreadData } from './writer-thread-protocol.js';

const { file, signal, replies, spares } = workerData as WriterThreadData;
const state = new Int32Array(signal);

/** A committed batch's buffer, back to the main thread (GroupBatch's spares). */
const sendBack = (buf: ArrayBuffer) => spares.postMessage(buf, [buf]);

const messageOf = (e: unknown) => (e as Error)?.message ?? String(e);

function wake(): void {
  Atomics.add(state, SIGNAL.replies, 1);
  Atomics.notify(state, SIGNAL.replies);
}

// A main thread blocked in flush() cannot see this thread's 'exit' event: it learns from the flag.
process.on('exit', (code) => {
  Atomics.store(state, SIGNAL.exitCode, code);
  Atomics.store(state, SIGNAL.exiting, 1);
  wake();
});

interface RunState {
  writer: RunWriter;
  /** The first failure: later rows of the run are dropped, the next reply reports it. */
  error?: string;
}

let db: Db | undefined;
/** Set when the database could not be opened: every reply reports it. */
let fatal: string | undefined;
const runs = new Map<number, RunState>();
/** Runs with batches handed over but not yet committed, and whether a commit is scheduled. */
const uncommitted = new Set<RunState>();
let commitScheduled = false;

/**
 * Commit what was queued. Scheduled with setImmediate, which runs once the messages already
 * waiting have been handled: batches that arrived while the thread was busy share one commit.
 */
function commitQueued(): void {
  commitScheduled = false;
  for (const r of uncommitted) insert(r, undefined, true);
  uncommitted.clear();
}

function runOf(runId: number): RunState {
  let r = runs.get(runId);
  if (!r) {
    db ??= openTraceDb(file);
    // Batching is the main thread's: every batch handed over is committed (flush below), and its
    // buffer goes back to be filled again.
    r = { writer: new RunWriter(db, runId, { batchEvents: Number.MAX_SAFE_INTEGER, release: sendBack }) };
    runs.set(runId, r);
  }
  return r;
}

function insert(r: RunState, batch: PackedGroups | undefined, commit: boolean): void {
  if (r.error) return;
  try {
    // The batch was transferred: this thread owns it, nothing is copied again.
    if (batch) r.writer.packed(batch);
    if (commit) r.writer.flush();
  } catch (e) {
    r.error = messageOf(e);
  }
}

function reply(m: WriterReply): void {
  replies.postMessage(m);
  wake();
}

function handle(m: ToWriter): void {
  if (fatal && m.op !== 'close' && m.op !== 'exit') {
    if ('seq' in m) reply({ seq: m.seq, error: fatal });
    return;
  }
  switch (m.op) {
    case 'start':
      runOf(m.runId).writer.warm();
      return;
    case 'groups': {
      const r = runOf(m.runId);
      insert(r, m.batch, false);
      uncommitted.add(r);
      if (!commitScheduled) {
        commitScheduled = true;
        setImmediate(commitQueued);
      }
      return;
    }
    case 'flush': {
      const r = runOf(m.runId);
      insert(r, m.batch, true);
      uncommitted.delete(r);
      reply({ seq: m.seq, written: r.writer.eventsWritten, error: r.error });
      return;
    }
    case 'finish': {
      const r = runOf(m.runId);
      // The last batch and the run's end go in one commit, as RunWriter does it.
      insert(r, m.batch, false);
      if (!r.error) {
        try {
          r.writer.finish(m.end);
        } catch (e) {
          r.error = messageOf(e);
        }
      }
      runs.delete(m.runId);
      uncommitted.delete(r);
      reply({ seq: m.seq, written: r.writer.eventsWritten, error: r.error });
      return;
    }
    case 'close':
      // A run the main thread never finished keeps what it handed over, as with every commit.
      commitQueued();
      if (db?.open) db.close();
      reply({ seq: m.seq });
      parentPort!.close();
      replies.close();
      spares.close();
      return;
    case 'exit':
      process.exit(m.code);
  }
}

parentPort!.on('message', (m: ToWriter) => {
  try {
    handle(m);
  } catch (e) {
    // Only opening the database throws here (insert and finish keep their errors per run).
    fatal = `cannot open ${file}: ${messageOf(e)}`;
    if ('seq' in m) reply({ seq: m.seq, error: fatal });
  }
});

/**
 * What the main thread and the trace writer thread (tracer/store/writer-thread.ts) say to each
 * other. Requests go over the worker's own port; replies come back on a second port that the main
 * thread reads synchronously (receiveMessageOnPort) while it sleeps on a shared counter, so that
 * flush() and finish() can block until the rows are committed.
 */
import type { MessagePort } from 'node:worker_threads';
import type { PackedGroups } from './group-batch.js';
import type { RunEnd } from './run-writer.js';

export type ToWriter =
  /** A run begins: read what its first insert needs while the target starts (no reply). */
  | { op: 'start'; runId: number }
  /** Insert and commit these rows (no reply: the next flush or finish reports any failure). */
  | { op: 'groups'; runId: number; batch: PackedGroups }
  | { op: 'flush'; runId: number; seq: number; batch?: PackedGroups }
  | { op: 'finish'; runId: number; seq: number; batch?: PackedGroups; end: RunEnd }
  | { op: 'close'; seq: number }
  /** Tests: end the thread as a fault would. */
  | { op: 'exit'; code: number };

export interface WriterReply {
  seq: number;
  /** The run's events committed so far. */
  written?: number;
  /** Why the run's rows could not all be committed. */
  error?: string;
}

export interface WriterThreadData {
  file: string;
  /** Int32Array over it: see SIGNAL. */
  signal: SharedArrayBuffer;
  replies: MessagePort;
  /** Batch buffers whose rows are committed, sent back to be filled again (GroupBatch's spares). */
  spares: MessagePort;
}

/** Slots of the shared signal array. */
export const SIGNAL = {
  /** Bumped (and notified) after every reply, and when the thread exits. */
  replies: 0,
  /** 1 once the thread is exiting; its exit code in `exitCode`. */
  exiting: 1,
  exitCode: 2,
  length: 3,
} as const;

/**
 * The main thread's side of one trace writer thread (tracer/store/writer-thread.ts): started
 * lazily by a TraceStore and shared by its runs, one after another. Requests that need an answer
 * block on Atomics.wait — callers such as the SIGINT handler must know the rows are committed
 * before they go on — but never forever: a thread that exits, fails or stays silent past the
 * bound is reported as a TraceWriterThreadError.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort, type TransferListItem } from 'node:worker_threads';
import { repoPath } from '../../runtime/repo.js';
import { SIGNAL, type ToWriter, type WriterReply, type WriterThreadData } from './writer-thread-protocol.js';

/**
 * Longest wait for an answer. Above the writer's own busy retry (120 s) plus SQLite's busy
 * timeout (30 s): a thread that waits for another writer's lock is slow, not dead.
 */
export const DEFAULT_ACK_TIMEOUT_MS = 180_000;

/**
 * The compiled thread script beside this module, when it runs compiled (the CLI, transpiled test
 * builds). Run from TypeScript sources (vitest) a thread cannot load the .ts file: then only a run
 * that asks for the thread explicitly gets the build's copy (`orBuilt`), so that no other test
 * runs half its code from a build that may be older than the sources. Undefined if there is none.
 */
export function writerThreadScript(orBuilt: boolean): string | undefined {
  const here = fileURLToPath(new URL('./writer-thread.js', import.meta.url));
  if (existsSync(here)) return here;
  const built = repoPath('dist', 'tracer', 'store', 'writer-thread.js');
  return orBuilt && existsSync(built) ? built : undefined;
}

/** Why a request got no answer. */
export class WriterThreadGone extends Error {}

export class WriterThreadHandle {
  private readonly worker: Worker;
  private readonly replies: MessagePort;
  private readonly spares: MessagePort;
  private readonly state: Int32Array;
  private seq = 0;
  /** Set from the worker's events when the event loop gets to see them. */
  private exitedWith?: string;

  constructor(
    readonly file: string,
    script: string,
    private readonly ackTimeoutMs = DEFAULT_ACK_TIMEOUT_MS,
  ) {
    const signal = new SharedArrayBuffer(SIGNAL.length * 4);
    this.state = new Int32Array(signal);
    const replies = new MessageChannel();
    const spares = new MessageChannel();
    this.replies = replies.port1;
    this.spares = spares.port1;
    const data: WriterThreadData = { file, signal, replies: replies.port2, spares: spares.port2 };
    this.worker = new Worker(script, { workerData: data, transferList: [replies.port2, spares.port2] });
    // An open store must not keep the process alive; every run's rows are committed before
    // finish() returns, so nothing is lost when the process ends without closing it.
    this.worker.unref();
    this.replies.unref();
    this.spares.unref();
    this.worker.on('error', (e) => (this.exitedWith ??= `failed: ${e.message}`));
    this.worker.on('exit', (code) => (this.exitedWith ??= `exited with code ${code}`));
  }

  /** Why the thread is gone, or undefined while it runs. */
  get gone(): string | undefined {
    if (Atomics.load(this.state, SIGNAL.exiting)) return `exited with code ${Atomics.load(this.state, SIGNAL.exitCode)}`;
    return this.exitedWith;
  }

  /** A batch buffer the thread has committed and sent back, if one is waiting (no wait). */
  spareBuffer(): ArrayBuffer | undefined {
    return receiveMessageOnPort(this.spares)?.message as ArrayBuffer | undefined;
  }

  /** Hand over without waiting. */
  post(m: ToWriter, transfer: TransferListItem[] = []): void {
    this.worker.postMessage(m, transfer);
  }

  /** Hand over and wait for the answer (throws WriterThreadGone). */
  request(make: (seq: number) => ToWriter, transfer: TransferListItem[] = []): WriterReply {
    const seq = ++this.seq;
    const gone = this.gone;
    if (gone) throw new WriterThreadGone(gone);
    this.post(make(seq), transfer);
    const deadline = Date.now() + this.ackTimeoutMs;
    for (;;) {
      // Read the counter before the port: a reply that lands in between changes it, so the wait returns at once.
      const seen = Atomics.load(this.state, SIGNAL.replies);
      for (let got = receiveMessageOnPort(this.replies); got; got = receiveMessageOnPort(this.replies)) {
        const r = got.message as WriterReply;
        if (r.seq === seq) return r;
      }
      const gone = this.gone;
      if (gone) throw new WriterThreadGone(gone);
      const left = deadline - Date.now();
      if (left <= 0) {
        void this.worker.terminate();
        throw new WriterThreadGone(`did not answer within ${Math.round(this.ackTimeoutMs / 1000)} s (stopped)`);
      }
      Atomics.wait(this.state, SIGNAL.replies, seen, left);
    }
  }

  /** Close the thread's connection and let it end. */
  close(): void {
    // Buffers still on their way back are freed with the port.
    this.spares.close();
    if (this.gone) return;
    try {
      this.request((seq) => ({ op: 'close', seq }));
    } catch {
      // Already gone: nothing to close.
    }
  }
}

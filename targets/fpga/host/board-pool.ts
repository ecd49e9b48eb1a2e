/**
 * Runs spread over several boards: one queue, one runner per board, each board one run at a
 * time (the work is network- and board-bound, so a queue in this thread does what a worker per
 * board would). A board that loses its connection fails the run it had — a crash naming the
 * board, with what it returned — and leaves the pool; the queue goes on with the others. When
 * no board is left, waiting runs fail with a message naming the lost boards.
 */
import type { ProgramBundle } from '../../../runtime/bundle/bundle.js';
import type { EventSink } from '../../../tracer/events.js';
import { emptyCounters, type RunLimits, type RunResult } from '../../target.js';
import type { FpgaTarget } from './fpga-target.js';

export interface PoolJob {
  bundle: ProgramBundle;
  sink?: EventSink;
  limits?: RunLimits;
}

export interface PoolResult {
  /** The target name of the board that ran it ('' if none was left). */
  board: string;
  result: RunResult;
}

const NO_EVENTS: EventSink = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };

export class BoardPool {
  private readonly idle: FpgaTarget[];
  private readonly lost: string[] = [];
  private readonly queue: { job: PoolJob; resolve: (r: PoolResult) => void }[] = [];
  private running = 0;

  constructor(private readonly targets: FpgaTarget[]) {
    this.idle = [...targets];
  }

  /** Boards still in rotation. */
  get boards(): string[] {
    return this.targets.filter((t) => !this.lost.includes(t.name)).map((t) => t.name);
  }

  run(job: PoolJob): Promise<PoolResult> {
    return new Promise((resolve) => {
      this.queue.push({ job, resolve });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length && this.idle.length) {
      const board = this.idle.shift()!;
      const { job, resolve } = this.queue.shift()!;
      this.running++;
      void board.run({ bundle: job.bundle, sink: job.sink ?? NO_EVENTS, ...(job.limits ? { limits: job.limits } : {}) }).then((result) => {
        this.running--;
        if (board.connectionLost) this.lost.push(board.name);
        else this.idle.push(board);
        resolve({ board: board.name, result });
        this.dispatch();
      });
    }
    if (this.running === 0 && this.idle.length === 0) {
      const message = `no board left in the pool (lost: ${this.lost.join(', ') || 'none'})`;
      for (const { resolve } of this.queue.splice(0)) resolve({ board: '', result: { status: 'crash', message, outputs: [], counters: emptyCounters() } });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.targets.map((t) => t.close()));
  }
}

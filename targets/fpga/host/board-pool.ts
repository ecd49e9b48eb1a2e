/**
 * Runs spread over several boards: one queue, one runner per board (board-runner.ts: a piscina
 * worker of its own, or this thread when events must reach a sink; regress brings its own runner
 * that sends its worker tasks to a board's thread), each board one run at a time. A board that
 * loses its connection fails the run it had — a crash naming the board, with what it returned —
 * and leaves the pool; the queue goes on with the others. When no board is left, waiting runs
 * fail with a message naming the lost boards.
 *
 * A queued run can be a function that decides what to run only when a board is free for it
 * (as regress's shared builds need): it may answer "wait for this first", and the board goes to
 * the next queued run meanwhile; the waiting run comes back to the head of the queue.
 */
import { emptyCounters, type RunResult } from '../../../runtime/contract/target.js';
import type { PoolJob } from './board-runner.js';

export type { PoolJob } from './board-runner.js';

/** One board of a pool, whatever a job and its result are (board-runner.ts's BoardRunner is one). */
export interface PoolBoard<J, R> {
  readonly name: string;
  /** `connectionLost`: the board can no longer be reached; the pool takes it out of rotation. */
  run(job: J): Promise<{ result: R; connectionLost: boolean }>;
  close(): Promise<void>;
}

/** What a queued run is when a board is free for it: the job, or something to wait for first. */
export type PoolAdmission<J> = { job: J } | { after: Promise<unknown> };

export interface PoolResult<R = RunResult> {
  /** The target name of the board that ran it ('' if none was left). */
  board: string;
  result: R;
}

interface Queued<J, R> {
  admit: () => PoolAdmission<J>;
  resolve: (r: PoolResult<R>) => void;
}

/** The crash every run still waiting gets when the last board is gone. */
export function noBoardLeft(lost: string[]): string {
  return `no board left in the pool (lost: ${lost.join(', ') || 'none'})`;
}

const crashResult = (message: string): RunResult => ({ status: 'crash', message, outputs: [], counters: emptyCounters() });

export class BoardPool<J = PoolJob, R = RunResult> {
  private readonly idle: PoolBoard<J, R>[];
  private readonly lost: string[] = [];
  private readonly queue: Queued<J, R>[] = [];
  private running = 0;

  /** `noBoard` makes the result of a run that finds no board left (default: a crashed RunResult). */
  constructor(
    private readonly runners: PoolBoard<J, R>[],
    private readonly noBoard: (message: string) => R = crashResult as unknown as (message: string) => R,
  ) {
    this.idle = [...runners];
  }

  /** Boards still in rotation. */
  get boards(): string[] {
    return this.runners.filter((t) => !this.lost.includes(t.name)).map((t) => t.name);
  }

  /** Boards taken out of rotation, in the order they were lost. */
  get lostBoards(): string[] {
    return [...this.lost];
  }

  run(job: J | (() => PoolAdmission<J>)): Promise<PoolResult<R>> {
    const admit = typeof job === 'function' ? (job as () => PoolAdmission<J>) : () => ({ job });
    return new Promise((resolve) => {
      this.queue.push({ admit, resolve });
      this.dispatch();
    });
  }

  private dispatch(): void {
    while (this.queue.length && this.idle.length) {
      const entry = this.queue.shift()!;
      const admission = entry.admit();
      if ('after' in admission) {
        // Keep the board for the next run; this one returns to the head of the queue when ready.
        void admission.after.then(() => {
          this.queue.unshift(entry);
          this.dispatch();
        });
        continue;
      }
      const board = this.idle.shift()!;
      this.running++;
      void board.run(admission.job).then(({ result, connectionLost }) => {
        this.running--;
        if (connectionLost) this.lost.push(board.name);
        else this.idle.push(board);
        entry.resolve({ board: board.name, result });
        this.dispatch();
      });
    }
    if (this.running === 0 && this.idle.length === 0) {
      const message = noBoardLeft(this.lost);
      for (const { resolve } of this.queue.splice(0)) resolve({ board: '', result: this.noBoard(message) });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.runners.map((t) => t.close()));
  }
}


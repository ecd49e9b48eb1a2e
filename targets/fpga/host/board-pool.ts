/**
 * Runs spread over several boards: one queue, one runner per board (board-runner.ts: a piscina
 * worker of its own, or this thread when events must reach a sink), each board one run at a
 * time. A board that loses its connection fails the run it had — a crash naming the
 * board, with what it returned — and leaves the pool; the queue goes on with the others. When
 * no board is left, waiting runs fail with a message naming the lost boards.
 */
import { emptyCounters, type RunResult } from '../../target.js';
import type { BoardRunner, PoolJob } from './board-runner.js';

export type { PoolJob } from './board-runner.js';

export interface PoolResult {
  /** The target name of the board that ran it ('' if none was left). */
  board: string;
  result: RunResult;
}

export class BoardPool {
  private readonly idle: BoardRunner[];
  private readonly lost: string[] = [];
  private readonly queue: { job: PoolJob; resolve: (r: PoolResult) => void }[] = [];
  private running = 0;

  constructor(private readonly runners: BoardRunner[]) {
    this.idle = [...runners];
  }

  /** Boards still in rotation. */
  get boards(): string[] {
    return this.runners.filter((t) => !this.lost.includes(t.name)).map((t) => t.name);
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
      void board.run(job).then(({ result, connectionLost }) => {
        this.running--;
        if (connectionLost) this.lost.push(board.name);
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
    await Promise.all(this.runners.map((t) => t.close()));
  }
}

/**
 * One piscina pool per target kind, each admitting at most its thread count of tasks at a time.
 * Tasks wait in our own queue rather than piscina's so that a task's time limit starts when it
 * starts running, not when the suite was queued. A task past its limit is aborted (piscina
 * terminates that worker thread and starts a fresh one); a worker that dies fails only its task.
 */
import { Piscina } from 'piscina';
import type { WorkerTask } from '../workers/tasks.js';

export type TaskOutcome<T> = { ok: true; value: T; seconds: number } | { ok: false; timedOut: boolean; message: string; seconds: number };

class BoundedPool {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  readonly piscina: Piscina;

  constructor(
    workerFile: string,
    readonly threads: number,
  ) {
    this.piscina = new Piscina({ filename: workerFile, minThreads: threads, maxThreads: threads, idleTimeout: 1000 });
  }

  async run<T>(task: WorkerTask, timeoutMs: number): Promise<TaskOutcome<T>> {
    if (this.active >= this.threads) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.active++;
    const t0 = Date.now();
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), timeoutMs);
    try {
      const value = (await this.piscina.run(task, { signal: ac.signal })) as T;
      return { ok: true, value, seconds: (Date.now() - t0) / 1000 };
    } catch (e) {
      const timedOut = ac.signal.aborted;
      return { ok: false, timedOut, message: timedOut ? `no result within ${timeoutMs} ms` : `worker failed: ${(e as Error).message}`, seconds: (Date.now() - t0) / 1000 };
    } finally {
      clearTimeout(timer);
      this.active--;
      this.waiting.shift()?.();
    }
  }
}

export class KindPools {
  private readonly pools = new Map<string, BoundedPool>();

  /** `threads`: per kind (planThreads); a kind not planned for gets one thread. */
  constructor(
    private readonly workerFile: string,
    private readonly plan: Record<string, number>,
  ) {}

  run<T>(kind: string, task: WorkerTask, timeoutMs: number): Promise<TaskOutcome<T>> {
    let pool = this.pools.get(kind);
    if (!pool) {
      pool = new BoundedPool(this.workerFile, this.plan[kind] ?? 1);
      this.pools.set(kind, pool);
    }
    return pool.run<T>(task, timeoutMs);
  }

  async destroy(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.piscina.destroy()));
  }
}

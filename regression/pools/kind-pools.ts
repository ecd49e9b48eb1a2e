/**
 * One piscina pool per target kind, each admitting at most its thread count of tasks at a time.
 * Tasks wait in our own queue rather than piscina's so that a task's time limit starts when it
 * starts running, not when the suite was queued, and so that a task is decided only when a
 * thread is free for it: it may then ask to wait for something (another target's bundle) and
 * give the thread to the next task meanwhile. A task past its limit is aborted (piscina
 * terminates that worker thread and starts a fresh one); a worker that dies fails only its task.
 */
import { Piscina } from 'piscina';
import type { WorkerTask } from '../workers/tasks.js';

export type TaskOutcome<T> = { ok: true; value: T; seconds: number } | { ok: false; timedOut: boolean; message: string; seconds: number };

/**
 * What a queued task is when a thread is free for it: the task to send, or something to wait for
 * first (the thread goes to the next queued task; this one comes back to the head of the queue).
 */
/** cancelled: the run is no longer wanted (the suite is stopping): nothing is sent to a thread. */
export type Admission = { task: WorkerTask } | { after: Promise<unknown> } | { cancelled: true };
export type Admit = () => Admission;

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

  /** A free thread is handed over directly to the next waiter, so no newcomer can slip in between. */
  private acquire(front: boolean): Promise<void> {
    if (this.active < this.threads) {
      this.active++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => (front ? this.waiting.unshift(resolve) : this.waiting.push(resolve)));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active--;
  }

  async run<T>(admit: Admit, timeoutMs: number): Promise<TaskOutcome<T>> {
    let admission: Admission;
    for (let front = false; ; front = true) {
      await this.acquire(front);
      admission = admit();
      if ('task' in admission) break;
      this.release();
      if ('cancelled' in admission) return { ok: false, timedOut: false, message: 'cancelled', seconds: 0 };
      await admission.after;
    }
    try {
      return await runWithLimit<T>(this.piscina, admission.task, timeoutMs);
    } finally {
      this.release();
    }
  }
}

/**
 * One task on a piscina pool within a wall-clock limit: past it the task is aborted (piscina
 * terminates that worker thread and starts a fresh one); a worker that dies fails only its task.
 */
export async function runWithLimit<T>(piscina: Piscina, task: WorkerTask, timeoutMs: number): Promise<TaskOutcome<T>> {
  const t0 = Date.now();
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), timeoutMs);
  try {
    const value = (await piscina.run(task, { signal: ac.signal })) as T;
    return { ok: true, value, seconds: (Date.now() - t0) / 1000 };
  } catch (e) {
    const timedOut = ac.signal.aborted;
    return { ok: false, timedOut, message: timedOut ? `no result within ${timeoutMs} ms` : `worker failed: ${(e as Error).message}`, seconds: (Date.now() - t0) / 1000 };
  } finally {
    clearTimeout(timer);
  }
}

export class KindPools {
  private readonly pools = new Map<string, BoundedPool>();

  /** `threads`: per kind (planThreads); a kind not planned for gets one thread. */
  constructor(
    private readonly workerFile: string,
    private readonly plan: Record<string, number>,
  ) {}

  /** Run a task, or the task `admit` gives when a thread of that kind is free. */
  run<T>(kind: string, task: WorkerTask | Admit, timeoutMs: number): Promise<TaskOutcome<T>> {
    let pool = this.pools.get(kind);
    if (!pool) {
      pool = new BoundedPool(this.workerFile, this.plan[kind] ?? 1);
      this.pools.set(kind, pool);
    }
    return pool.run<T>(typeof task === 'function' ? task : () => ({ task }), timeoutMs);
  }

  async destroy(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.piscina.destroy()));
  }
}

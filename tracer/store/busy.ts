/**
 * Several threads and processes write one trace database. WAL lets readers run beside one
 * writer; busy_timeout makes SQLite itself wait for the write lock; this retry covers what
 * busy_timeout does not (a BUSY returned at once to avoid a deadlock, e.g. on a WAL checkpoint
 * or when a read transaction would have to be upgraded).
 */
const sleeper = new Int32Array(new SharedArrayBuffer(4));

function isBusy(e: unknown): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/** Run `fn`, retrying with a growing, jittered pause while the database is busy, up to maxWaitMs. */
export function withBusyRetry<T>(fn: () => T, maxWaitMs = 120_000): T {
  const start = Date.now();
  let pause = 2;
  for (;;) {
    try {
      return fn();
    } catch (e) {
      if (!isBusy(e) || Date.now() - start > maxWaitMs) throw e;
      Atomics.wait(sleeper, 0, 0, pause + Math.random() * pause);
      pause = Math.min(pause * 2, 200);
    }
  }
}

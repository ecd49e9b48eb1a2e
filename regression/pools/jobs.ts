/**
 * Target kinds and worker threads per kind. A kind is what a target name starts with (fsim,
 * tsim, fpga…): fsim+<fault> is fsim work, tsim:<variant>@emu:3 is tsim work. Each kind gets
 * its own pool so that a queue of slow tsim runs never holds up fsim runs and the reverse.
 */
import { VtaUserError } from '../../runtime/errors.js';

export function targetKind(target: string): string {
  return /^[a-z0-9_-]+/i.exec(target)?.[0] ?? target;
}

/** Threads per kind; `default` applies to kinds not named. */
export interface JobsPerKind {
  default: number;
  perKind: Record<string, number>;
}

export function threadsFor(jobs: JobsPerKind, kind: string): number {
  return jobs.perKind[kind] ?? jobs.default;
}

/**
 * `--jobs N`: N threads in every pool. `--jobs fsim=2,tsim=1`: per kind, 1 for kinds not named.
 * Per pool rather than a total: a tsim thread spends most of its time waiting for its simulator
 * process, so one thread per kind per core keeps the cores busy without starving either kind.
 */
export function parseJobs(text: string | undefined, cores: number): JobsPerKind {
  if (text === undefined) return { default: cores, perKind: {} };
  const positive = (v: string) => {
    const n = Number(v);
    if (!/^\d+$/.test(v) || n < 1) throw new VtaUserError(`--jobs "${text}": expected a positive integer N or kind=N,kind=N (e.g. fsim=2,tsim=1)`);
    return n;
  };
  if (!text.includes('=')) return { default: positive(text), perKind: {} };
  const perKind: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [kind, n] = part.split('=');
    if (!kind || n === undefined) positive('');
    perKind[kind!.trim()] = positive(n!.trim());
  }
  return { default: 1, perKind };
}

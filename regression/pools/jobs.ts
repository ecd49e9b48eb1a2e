/**
 * Target kinds and worker threads per kind. A kind is what a target name starts with (fsim,
 * tsim, fpga…): fsim+<fault> is fsim work, tsim:<variant>@emu:3 is tsim work. Each kind gets
 * its own pool so that a queue of slow tsim runs never holds up fsim runs and the reverse.
 *
 * `--jobs N` is a total, shared out among the kinds a suite uses (at least one thread each):
 * an fsim thread computes, and a tsim thread drives a simulator process that computes, so each
 * thread keeps about one core busy and N follows the cores. (Measured on 2 cores: the commit
 * suite, 472 cases, with one thread per pool took 13.0 s, with two per pool 19.7 s — oversubscribed.)
 * `--jobs fsim=2,tsim=1` sets pools one by one.
 */
import { IntOptionError, parseBoundedInt } from '../../runtime/bounded-int.js';
import { VtaUserError } from '../../runtime/errors.js';

export function targetKind(target: string): string {
  return /^[a-z0-9_-]+/i.exec(target)?.[0] ?? target;
}

export interface JobsRequest {
  /** Threads to share among the kinds not named in perKind. */
  total?: number;
  perKind: Record<string, number>;
}

/**
 * `N`, `kind=N,kind=N`, or nothing (total = cores). Each N is at most `max` (the CLI passes 4 ×
 * the cores: more threads than that only cost memory), and so is their sum.
 */
export function parseJobs(text: string | undefined, cores: number, max = 4 * cores): JobsRequest {
  if (text === undefined) return { total: cores, perKind: {} };
  const refuse = (): never => {
    throw new VtaUserError(`--jobs "${text.slice(0, 40)}": expected a positive integer N or kind=N,kind=N (e.g. fsim=2,tsim=1), each from 1 to ${max} (4 × ${cores} cores)`);
  };
  const positive = (v: string | undefined) => {
    if (v === undefined) return refuse();
    try {
      return parseBoundedInt(v, '--jobs', 1, max);
    } catch (e) {
      if (e instanceof IntOptionError) return refuse();
      throw e;
    }
  };
  if (!text.includes('=')) return { total: positive(text), perKind: {} };
  const perKind: Record<string, number> = {};
  for (const part of text.split(',')) {
    const [kind, n] = part.split('=');
    if (!kind?.trim()) positive(undefined);
    perKind[kind!.trim()] = positive(n);
  }
  const sum = Object.values(perKind).reduce((a, b) => a + b, 0);
  if (sum > max) throw new VtaUserError(`--jobs "${text.slice(0, 40)}": ${sum} threads in all, more than the limit of ${max} (4 × ${cores} cores)`);
  return { perKind };
}

/**
 * Threads per kind for the kinds a suite uses (in order of first use): named kinds get what was
 * asked; the total is shared evenly among the rest, the remainder to the first, at least one each.
 */
export function planThreads(req: JobsRequest, kinds: string[]): Record<string, number> {
  const plan: Record<string, number> = {};
  const rest = kinds.filter((k) => req.perKind[k] === undefined);
  const left = req.total ?? rest.length;
  rest.forEach((k, i) => (plan[k] = Math.max(1, Math.floor(left / rest.length) + (i < left % rest.length ? 1 : 0))));
  for (const k of kinds) if (req.perKind[k] !== undefined) plan[k] = req.perKind[k]!;
  return plan;
}

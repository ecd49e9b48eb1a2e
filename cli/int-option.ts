/**
 * Integer options of every command, as commander argParsers over runtime/bounded-int.ts: the
 * option is refused when parsed, before any work, with one line naming it and its range.
 */
import { availableParallelism } from 'node:os';
import { MAX_SEED, MAX_TIMER_MS, parseBoundedInt } from '../runtime/bounded-int.js';

/** An argParser for `option`: an integer from min to max. */
export function intArg(option: string, min: number, max: number): (value: string) => number {
  return (value: string) => parseBoundedInt(value, option, min, max);
}

/**
 * Worker threads beyond this many per core only cost memory (each piscina thread has its own
 * heap; each tsim thread its own simulator process): 4 × the cores.
 */
export const maxJobs = () => 4 * availableParallelism();

export const seedArg = (option = '--seed') => intArg(option, 0, MAX_SEED);
/** Wall-clock limits: 1 ms to 2^31−1 ms (about 24.8 days), the most Node's timers can wait. */
export const timeoutArg = (option: string) => intArg(option, 1, MAX_TIMER_MS);
/** tsim's hang limits in simulated cycles (--idle-cycles, --accept-cycles): 0 (off) to 2^31−1. */
export const cycleLimitArg = (option: string) => intArg(option, 0, 2 ** 31 - 1);

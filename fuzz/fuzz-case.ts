/**
 * One fuzz case: a CLI argument vector over generated inputs, what its error line must name, and
 * how its outcome is judged. The rules (issue 19, README "Reliability"): no stack trace and no
 * "internal error", no hang, exit code 0, 1 or 2, and an error (exit 2) that names the input it
 * is about — the file, or for argument vectors the option or value at fault — on one line.
 */
import { Rng } from './rng.js';

export interface FuzzCase {
  /** What was generated, for the report of a failing case (e.g. "counters_json := '{x'"). */
  label: string;
  argv: string[];
  /** At least one of these must appear in the error line of an exit-2 outcome. */
  names: string[];
  /** Run as a real process (a FIFO, a device: a hang must be caught by a timer). */
  subprocess?: boolean;
  /** `diff fsim fsim`: the same target twice can never diverge. */
  sameTargetTwice?: boolean;
}

export interface FuzzGroup {
  name: string;
  /** Build what every case of the group starts from (base databases, bundles), once, in `dir`. */
  prepare(dir: string): Promise<unknown> | unknown;
  /** Case number `index`, its files written under `dir` (one folder per case). */
  make(rng: Rng, index: number, base: unknown, dir: string): FuzzCase;
}

export interface Outcome {
  code: number | null;
  out: string;
  err: string;
  /** The CLI itself threw (in-process): what bin/vta-trace.js prints as "internal error" with a stack. */
  threw?: string;
  timedOut: boolean;
  seconds: number;
}

export type Fault = 'stack trace' | 'hang' | 'wrong exit code' | 'unnamed message' | 'multi-line message' | 'wrong verdict';
export const FAULTS: readonly Fault[] = ['stack trace', 'hang', 'wrong exit code', 'unnamed message', 'multi-line message', 'wrong verdict'];

/** commander's own usage errors end with this hint line (showHelpAfterError): not a second message line. */
const USAGE_HINT = '(run with --help for usage)';

export function judge(c: FuzzCase, o: Outcome): Fault[] {
  const faults: Fault[] = [];
  if (o.timedOut) return ['hang'];
  if (o.threw !== undefined || /internal error/i.test(o.err) || /\n\s+at .+[:(]/.test(o.err)) faults.push('stack trace');
  if (o.code !== 0 && o.code !== 1 && o.code !== 2) faults.push('wrong exit code');
  if (o.code === 2) {
    const lines = o.err.split('\n').filter((l) => l.trim() !== '' && l.trim() !== USAGE_HINT);
    if (lines.length > 1) faults.push('multi-line message');
    if (!c.names.some((n) => n !== '' && o.err.includes(n))) faults.push('unnamed message');
  }
  if (c.sameTargetTwice && /^DIVERGED/m.test(o.out)) faults.push('wrong verdict');
  return faults;
}

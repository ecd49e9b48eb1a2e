/**
 * The one parser of integer options (CLI numbers: seeds, jobs, timeouts, windows, limits): a
 * decimal integer within [min, max], or a one-line error naming the option and the range. Every
 * command reads its numbers through it (cli/int-option.ts wraps it for commander), so that no
 * option takes "1e3", "-1", "0x10" or a number too large for what it sets — Node's timers, for
 * one, turn a delay above 2^31−1 ms into 1 ms.
 */
import { shown, VtaUserError } from './errors.js';

/** Largest delay Node's timers honour (a larger one fires after 1 ms). */
export const MAX_TIMER_MS = 2 ** 31 - 1;
/** Seeds are 32-bit: generators take `seed >>> 0`, so larger ones would alias smaller ones. */
export const MAX_SEED = 2 ** 32 - 1;

export class IntOptionError extends VtaUserError {
  override name = 'IntOptionError';
}

export function parseBoundedInt(text: string, what: string, min: number, max: number): number {
  const t = text.trim();
  const n = Number(t);
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new IntOptionError(`${what} ${shown(text, 30)}: expected an integer from ${min} to ${max}`);
  }
  return n;
}

/**
 * Shift-and-scale requantisation, as VTA graphs express it with ALU instructions: the int32
 * accumulator is shifted right by `shift` (arithmetic), optionally passed through relu, then
 * clipped to the int8 range. The result is the int8 tensor the next layer reads.
 */
import { clip } from './int.js';

export interface RequantOptions {
  shift: number;
  relu?: boolean;
}

export function shiftAndScale(acc: ArrayLike<number>, opts: RequantOptions): Int8Array {
  if (!Number.isInteger(opts.shift) || opts.shift < 0 || opts.shift > 31) throw new Error(`requant: shift ${opts.shift} outside 0..31`);
  return Int8Array.from(acc, (x) => {
    const shifted = Math.floor(x / 2 ** opts.shift);
    return clip(opts.relu ? Math.max(shifted, 0) : shifted, -128, 127);
  });
}

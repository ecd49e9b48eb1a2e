/**
 * Integer helpers of the golden reference. They are written with BigInt or exact float
 * arithmetic on purpose, not with JavaScript's 32-bit operators, so that the reference does not
 * share its tricks with the simulators it checks.
 */

/** x modulo 2^32, as a signed 32-bit value. */
export function wrapInt32(x: number | bigint): number {
  return Number(BigInt.asIntN(32, BigInt(x)));
}

/** The low byte of x as a signed int8 (what a STORE keeps of an accumulator lane). */
export function lowInt8(x: number): number {
  return Number(BigInt.asIntN(8, BigInt(x)));
}

/** x limited to [lo, hi]. */
export function clip(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Every element of a tensor to its low byte (int32 accumulators → stored int8 bytes). */
export function truncateToInt8(values: ArrayLike<number>): Int8Array {
  return Int8Array.from(values, lowInt8);
}

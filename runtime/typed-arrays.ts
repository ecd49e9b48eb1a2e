/** Helpers on typed arrays shared across the layers. */

/**
 * Byte-array equality by memcmp. The per-byte `every` it replaces cost 0.3–0.5 ms of every fsim
 * run of a ResNet layer (comparing its outputs with the expected ones), about a sixth of the run.
 */
export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

/** A copy of `a` with room for `size` elements, its first `keep` elements kept (the rest zero). */
export function grown<T extends Float64Array | Int32Array | Uint32Array | Uint8Array>(a: T, size: number, keep: number): T {
  const b = new (a.constructor as new (n: number) => T)(size);
  b.set(a.subarray(0, keep));
  return b;
}

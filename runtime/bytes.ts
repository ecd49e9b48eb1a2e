/**
 * Byte-array equality by memcmp. The per-byte `every` it replaces cost 0.3–0.5 ms of every fsim
 * run of a ResNet layer (comparing its outputs with the expected ones), about a sixth of the run.
 */
export function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(Buffer.from(b.buffer, b.byteOffset, b.length));
}

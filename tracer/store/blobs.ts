/**
 * Typed arrays ⇄ SQLite BLOBs. The schema fixes little-endian byte order (u32 addresses, f64
 * cycles, u32 digests); on the little-endian hosts Node runs on these are plain views, no copies.
 */
import { endianness } from 'node:os';

if (endianness() !== 'LE') throw new Error('vta-trace: the trace database codec assumes a little-endian host');

export function toBlob(a: ArrayBufferView): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** Copy into a fresh, aligned buffer: SQLite's buffers are not aligned for 4- or 8-byte views. */
function aligned(b: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(b.byteLength);
  copy.set(b);
  return copy.buffer;
}

export const u32FromBlob = (b: Uint8Array) => new Uint32Array(aligned(b));
export const f64FromBlob = (b: Uint8Array) => new Float64Array(aligned(b));
export const bytesFromBlob = (b: Uint8Array) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

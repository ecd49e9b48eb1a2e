/**
 * The trace digest (docs/trace-schema.md §Digest): two 32-bit FNV-1a lanes with different offset
 * bases, run over the same byte sequence. Simple enough that a C++ harness or an FPGA trace unit
 * can compute the identical value; two lanes make an accidental match of differing states a 2^-64 event
 * rather than 2^-32.
 */
export const FNV_PRIME = 0x01000193;
/** The standard FNV-1a 32-bit offset basis. */
export const FNV_BASIS_LO = 0x811c9dc5;
/** The second lane's basis: FNV-1a 32 of the ASCII text "vta-trace" (any fixed value would do). */
export const FNV_BASIS_HI = fnv1a32(new TextEncoder().encode('vta-trace'), FNV_BASIS_LO);

export function fnv1a32(bytes: Uint8Array, basis = FNV_BASIS_LO): number {
  let h = basis;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, FNV_PRIME);
  return h >>> 0;
}

/** A running two-lane digest. */
export class Digest {
  lo = FNV_BASIS_LO;
  hi = FNV_BASIS_HI;

  reset(): void {
    this.lo = FNV_BASIS_LO;
    this.hi = FNV_BASIS_HI;
  }

  byte(b: number): void {
    this.lo = Math.imul(this.lo ^ b, FNV_PRIME);
    this.hi = Math.imul(this.hi ^ b, FNV_PRIME);
  }

  /** Little-endian u32. */
  u32(v: number): void {
    this.byte(v & 0xff);
    this.byte((v >>> 8) & 0xff);
    this.byte((v >>> 16) & 0xff);
    this.byte((v >>> 24) & 0xff);
  }

  bytes(data: Uint8Array): void {
    let lo = this.lo;
    let hi = this.hi;
    for (let i = 0; i < data.length; i++) {
      const b = data[i]!;
      lo = Math.imul(lo ^ b, FNV_PRIME);
      hi = Math.imul(hi ^ b, FNV_PRIME);
    }
    this.lo = lo;
    this.hi = hi;
  }

  /** One event record: [u8 stream id][u32 addr][u32 len][bytes]. addr −1 is hashed as 0xFFFFFFFF. */
  event(streamId: number, addr: number, data: Uint8Array): void {
    this.byte(streamId);
    this.u32(addr >>> 0);
    this.u32(data.length);
    this.bytes(data);
  }

  /** The same record with the payload at bytes[off, off + len) (no subarray allocation on the hot path). */
  eventAt(streamId: number, addr: number, bytes: Uint8Array, off: number, len: number): void {
    this.byte(streamId);
    this.u32(addr >>> 0);
    this.u32(len);
    let lo = this.lo;
    let hi = this.hi;
    for (let i = off; i < off + len; i++) {
      const b = bytes[i]!;
      lo = Math.imul(lo ^ b, FNV_PRIME);
      hi = Math.imul(hi ^ b, FNV_PRIME);
    }
    this.lo = lo;
    this.hi = hi;
  }

  get value(): { lo: number; hi: number } {
    return { lo: this.lo >>> 0, hi: this.hi >>> 0 };
  }
}

/** Instructions per digest chunk: phase 1 compares chunk digests first, then the 256 inside. */
export const DIGEST_CHUNK = 256;

/**
 * A chunk's digest: FNV-1a over [u32 pc][u32 lo][u32 hi] of each retired, digested instruction
 * of the chunk in program order (instructions that did not retire contribute nothing).
 */
export function chunkDigest(firstPc: number, insnDigests: Uint32Array, present: Uint8Array): { lo: number; hi: number } {
  const d = new Digest();
  for (let i = 0; i < present.length; i++) {
    if (!present[i]) continue;
    d.u32(firstPc + i);
    d.u32(insnDigests[2 * i]!);
    d.u32(insnDigests[2 * i + 1]!);
  }
  return d.value;
}

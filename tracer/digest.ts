/**
 * The trace digests (docs/trace-schema.md §Digest).
 *
 * Instruction digests (version 2): each canonical event contributes a 64-bit term per 32-bit word
 * of its payload, two independent 32-bit lanes, and the digest is the sum of the terms. Terms of
 * different words are independent, so a word's term is known the moment the target reports the
 * write (no buffering, no ordering: the recorder keeps one term per write, and the last write of
 * an address replaces the earlier ones simply by being the one summed), and many words are hashed
 * at once (tracer/digest-lanes.ts). A sum of well-mixed terms is also what a C++ harness or an
 * FPGA trace unit computes easily.
 *
 * Chunk digests: two 32-bit FNV-1a lanes with different offset bases over the instruction digests
 * of a chunk (`Digest`, `chunkDigest`), a few bytes per instruction.
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

/** A running two-lane FNV-1a digest (chunk digests, and callers combining digests). */
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
  // The bytes laid out first, then hashed in one tight loop (a call per byte cost more than the rest of a chunk).
  const bytes = new Uint8Array(12 * present.length);
  const view = new DataView(bytes.buffer);
  let n = 0;
  for (let i = 0; i < present.length; i++) {
    if (!present[i]) continue;
    view.setUint32(n, firstPc + i, true);
    view.setUint32(n + 4, insnDigests[2 * i]!, true);
    view.setUint32(n + 8, insnDigests[2 * i + 1]!, true);
    n += 12;
  }
  const d = new Digest();
  d.bytes(bytes.subarray(0, n));
  return d.value;
}

/** The instruction-digest definition this code computes, stored with every run (runs.digest_version). */
export const DIGEST_VERSION = 2;

/** Weyl step between the keys of consecutive words of one event (2^32 / golden ratio). */
export const WORD_STEP = 0x9e3779b9;
/** Lane seeds: the FNV-1a offset bases above (any fixed, different values would do). */
export const SEED_LO = FNV_BASIS_LO;
export const SEED_HI = FNV_BASIS_HI;

/** Lane lo's mixer: MurmurHash3's 32-bit finaliser. */
export function mixLo(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Lane hi's mixer: a different well-tested finaliser ("lowbias32": 16, 0x7FEB352D, 15, 0x846CA68B, 16). */
export function mixHi(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The per-event part of the word keys: stream id and payload length (< 2^24) tagged, then mixed. */
export const tagLo = (sid: number, len: number) => mixLo(SEED_LO ^ (sid * 0x1000000 + len));
export const tagHi = (sid: number, len: number) => mixHi(SEED_HI ^ (sid * 0x1000000 + len));

/**
 * The two lanes' terms of one event (stream id, u32 address, payload bytes[off, off + len)):
 * Σ_i mix(w_i XOR (key + i·WORD_STEP)) over its little-endian words w_i (the last one
 * zero-padded), key = mix(addr XOR tag(sid, len)), per lane. Written to out[0], out[1] as u32.
 */
export function eventTerms(sid: number, addr: number, bytes: Uint8Array, off: number, len: number, out: Uint32Array | Int32Array, at = 0): void {
  let kLo = mixLo((addr ^ tagLo(sid, len)) >>> 0);
  let kHi = mixHi((addr ^ tagHi(sid, len)) >>> 0);
  let lo = 0;
  let hi = 0;
  const end = off + len;
  for (let p = off; p < end; p += 4) {
    const w = p + 4 <= end ? bytes[p]! | (bytes[p + 1]! << 8) | (bytes[p + 2]! << 16) | (bytes[p + 3]! << 24) : tailWord(bytes, p, end);
    lo = (lo + mixLo((w ^ kLo) >>> 0)) | 0;
    hi = (hi + mixHi((w ^ kHi) >>> 0)) | 0;
    kLo = (kLo + WORD_STEP) | 0;
    kHi = (kHi + WORD_STEP) | 0;
  }
  out[at] = lo;
  out[at + 1] = hi;
}

/** The last, partial word of a payload, zero-padded. */
function tailWord(bytes: Uint8Array, p: number, end: number): number {
  let w = 0;
  for (let k = 0; p + k < end; k++) w |= bytes[p + k]! << (8 * k);
  return w;
}

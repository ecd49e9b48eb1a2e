/**
 * The instruction digest's per-event terms (digest.ts, `eventTerms`) of a run of equal-length
 * events in WebAssembly SIMD: four words of an event go through each lane's mixer at once. The
 * values are exactly eventTerms'; tests compare the two. This is the whole cost of digest mode on
 * rows a target writes, so it is written for throughput: the words of an event are independent
 * (no chain from one to the next), the events' keys are computed four at a time before the
 * words, and the payload is copied into the module's memory once per run — or not at all when it
 * already lies in a WebAssembly memory (fsim's scratchpads: DigestLanes.over), which the
 * kernel then reads in place.
 */
import { Code, I32, moduleBytes, OP, SIMD, V128, type FunctionSpec } from '../runtime/wasm/emit.js';
import { wasm, WASM_PAGE, type WasmMemory, type WasmModule } from '../runtime/wasm/api.js';
import { WORD_STEP, tagHi, tagLo } from './digest.js';

/** Opcodes beyond the shared set. */
const I32_XOR = 0x73;
const I32_SHL = 0x74;
const I32_SUB = 0x6b;
const V128_XOR = 81;
const I32X4_SHR_U = 173;
const I32X4_EXTRACT_LANE = 27;

/** A mixer as its three shifts and two multipliers (digest.ts mixLo / mixHi). */
interface Mixer {
  shifts: [number, number, number];
  muls: [number, number];
}
const MIX_LO: Mixer = { shifts: [16, 13, 16], muls: [0x85ebca6b, 0xc2b2ae35] };
const MIX_HI: Mixer = { shifts: [16, 15, 16], muls: [0x7feb352d, 0x846ca68b] };

/** x = mix(x) on an i32 local. */
function mixScalar(c: Code, x: number, m: Mixer): void {
  for (let r = 0; r < 2; r++) c.get(x).get(x).i32(m.shifts[r]!).op(OP.i32ShrU).op(I32_XOR).i32(m.muls[r]!).op(OP.i32Mul).set(x);
  c.get(x).get(x).i32(m.shifts[2]).op(OP.i32ShrU).op(I32_XOR).set(x);
}

/** mix of the vector on the stack, each 32-bit lane, left on the stack; `t` is a v128 scratch local, `mul0/1` hold the splatted multipliers. */
function mixVector(c: Code, t: number, m: Mixer, mul0: number, mul1: number): void {
  c.set(t);
  c.get(t).get(t).i32(m.shifts[0]).simd(I32X4_SHR_U).simd(V128_XOR).get(mul0).simd(SIMD.i32x4Mul).set(t);
  c.get(t).get(t).i32(m.shifts[1]).simd(I32X4_SHR_U).simd(V128_XOR).get(mul1).simd(SIMD.i32x4Mul).set(t);
  c.get(t).get(t).i32(m.shifts[2]).simd(I32X4_SHR_U).simd(V128_XOR);
}

/**
 * terms(p, count, len, addr, step, tagLo, tagHi, out, keys, sums): for events k < count with payloads of
 * `len` bytes (a multiple of 4) back to back from p, addresses addr + k·step, writes event k's lo
 * and hi terms as two i32 at out + 8k, and the sums of the lo and hi terms at sums and sums + 4.
 * `keys` is scratch for 32·⌈count/4⌉ bytes (16-byte aligned): the events' keys, computed first
 * four at a time (per event, one at a time, they were about half the cost of a 64-byte row).
 */
function termsFn(): FunctionSpec {
  // Parameters, then locals.
  const [p, count, len, addr, step, tLo, tHi, out, keys, sums] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [kLo, kHi, blocks, words, lo, hi, w] = [10, 11, 12, 13, 14, 15, 16];
  const [vkLo, vkHi, accLo, accHi, v, t, inc, m0Lo, m1Lo, m0Hi, m1Hi] = [17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27];
  const [sumLo, sumHi, kp, groups, nblk, tailw, end] = [28, 29, 30, 31, 32, 33, 34];
  const c = new Code();
  for (const [local, mul] of [
    [m0Lo, MIX_LO.muls[0]],
    [m1Lo, MIX_LO.muls[1]],
    [m0Hi, MIX_HI.muls[0]],
    [m1Hi, MIX_HI.muls[1]],
    [inc, (4 * WORD_STEP) | 0],
  ] as const) {
    c.i32(mul).simd(SIMD.i32x4Splat).set(local);
  }
  c.op(OP.block, OP.voidType).get(count).op(OP.i32Eqz).op(OP.brIf, 0);
  // Pass 1: the keys mix(addr XOR tag) of events 4g … 4g + 3 as one vector per lane: lo keys at
  // keys + 16g, hi keys 16·groups further (the last group may compute up to three unused keys).
  c.get(count).i32(3).op(OP.i32Add).i32(2).op(OP.i32ShrU).set(groups);
  c.get(addr).simd(SIMD.i32x4Splat).get(step).simd(SIMD.i32x4Splat);
  c.simd(SIMD.const).op(...[0, 1, 2, 3].flatMap(u32le));
  c.simd(SIMD.i32x4Mul).simd(SIMD.i32x4Add).set(vkLo);
  c.get(step).i32(4).op(OP.i32Mul).simd(SIMD.i32x4Splat).set(vkHi);
  c.get(keys).set(kp);
  c.get(groups).set(blocks);
  c.op(OP.loop, OP.voidType);
  c.get(kp).get(vkLo).get(tLo).simd(SIMD.i32x4Splat).simd(V128_XOR);
  mixVector(c, t, MIX_LO, m0Lo, m1Lo);
  c.simdMem(SIMD.store, 0);
  c.get(kp).get(groups).i32(4).op(I32_SHL).op(OP.i32Add).get(vkLo).get(tHi).simd(SIMD.i32x4Splat).simd(V128_XOR);
  mixVector(c, t, MIX_HI, m0Hi, m1Hi);
  c.simdMem(SIMD.store, 0);
  c.get(vkLo).get(vkHi).simd(SIMD.i32x4Add).set(vkLo);
  c.get(kp).i32(16).op(OP.i32Add).set(kp);
  c.get(blocks).i32(1).op(I32_SUB).op(OP.localTee, blocks).op(OP.brIf, 0);
  c.op(OP.end);
  // Pass 2, per event. What depends only on the length is worked out once: the whole vectors per
  // event (nblk) and the words left after them (tailw).
  c.get(len).i32(2).op(OP.i32ShrU).set(words);
  c.get(words).i32(2).op(OP.i32ShrU).set(nblk);
  c.get(words).i32(3).op(OP.i32And).set(tailw);
  c.get(keys).set(kp);
  c.op(OP.loop, OP.voidType);
  c.get(kp).mem(OP.i32Load, 0).set(kLo);
  c.get(kp).get(groups).i32(4).op(I32_SHL).op(OP.i32Add).mem(OP.i32Load, 0).set(kHi);
  c.get(kp).i32(4).op(OP.i32Add).set(kp);
  c.v128Zero().set(accLo).v128Zero().set(accHi);
  // Key vectors: key + (0, 1, 2, 3)·WORD_STEP.
  for (const [k, vk] of [
    [kLo, vkLo],
    [kHi, vkHi],
  ] as const) {
    c.get(k).simd(SIMD.i32x4Splat);
    c.simd(SIMD.const).op(...[0, 1, 2, 3].flatMap((i) => u32le(Math.imul(i, WORD_STEP))));
    c.simd(SIMD.i32x4Add).set(vk);
  }
  // Four words at a time, up to the event's last whole vector (`end`).
  c.get(p).get(nblk).i32(4).op(I32_SHL).op(OP.i32Add).set(end);
  c.op(OP.block, OP.voidType).get(nblk).op(OP.i32Eqz).op(OP.brIf, 0);
  c.op(OP.loop, OP.voidType);
  c.get(p).simdMem(SIMD.load, 0).set(v);
  c.get(accLo).get(v).get(vkLo).simd(V128_XOR);
  mixVector(c, t, MIX_LO, m0Lo, m1Lo);
  c.simd(SIMD.i32x4Add).set(accLo);
  c.get(accHi).get(v).get(vkHi).simd(V128_XOR);
  mixVector(c, t, MIX_HI, m0Hi, m1Hi);
  c.simd(SIMD.i32x4Add).set(accHi);
  c.get(vkLo).get(inc).simd(SIMD.i32x4Add).set(vkLo);
  c.get(vkHi).get(inc).simd(SIMD.i32x4Add).set(vkHi);
  c.get(p).i32(16).op(OP.i32Add).op(OP.localTee, p).get(end).op(OP.i32LtU).op(OP.brIf, 0);
  c.op(OP.end, OP.end);
  // Horizontal sums of both lanes at once: (lo0+lo2, lo1+lo3, hi0+hi2, hi1+hi3), then pairs.
  c.get(accLo).get(accHi).shuffle32([0, 1, 4, 5]).get(accLo).get(accHi).shuffle32([2, 3, 6, 7]).simd(SIMD.i32x4Add).set(t);
  c.get(t).get(t).get(t).shuffle32([1, 0, 3, 2]).simd(SIMD.i32x4Add).set(t);
  c.get(t).simd(I32X4_EXTRACT_LANE).op(0).set(lo);
  c.get(t).simd(I32X4_EXTRACT_LANE).op(2).set(hi);
  // The last words one at a time, keys continuing where the vectors stopped (lane 0 holds the next key).
  c.op(OP.block, OP.voidType).get(tailw).op(OP.i32Eqz).op(OP.brIf, 0);
  c.get(vkLo).simd(I32X4_EXTRACT_LANE).op(0).set(kLo);
  c.get(vkHi).simd(I32X4_EXTRACT_LANE).op(0).set(kHi);
  c.get(tailw).set(words);
  c.op(OP.loop, OP.voidType);
  c.get(p).mem(OP.i32Load, 0).get(kLo).op(I32_XOR).set(w);
  mixScalar(c, w, MIX_LO);
  c.get(lo).get(w).op(OP.i32Add).set(lo);
  c.get(p).mem(OP.i32Load, 0).get(kHi).op(I32_XOR).set(w);
  mixScalar(c, w, MIX_HI);
  c.get(hi).get(w).op(OP.i32Add).set(hi);
  c.get(kLo).i32(WORD_STEP | 0).op(OP.i32Add).set(kLo);
  c.get(kHi).i32(WORD_STEP | 0).op(OP.i32Add).set(kHi);
  c.get(p).i32(4).op(OP.i32Add).set(p);
  c.get(words).i32(1).op(I32_SUB).op(OP.localTee, words).op(OP.brIf, 0);
  c.op(OP.end, OP.end);
  c.get(out).get(lo).mem(OP.i32Store, 0).get(out).get(hi).mem(OP.i32Store, 4);
  c.get(sumLo).get(lo).op(OP.i32Add).set(sumLo).get(sumHi).get(hi).op(OP.i32Add).set(sumHi);
  c.get(out).i32(8).op(OP.i32Add).set(out);
  c.get(count).i32(1).op(I32_SUB).op(OP.localTee, count).op(OP.brIf, 0);
  c.op(OP.end, OP.end);
  c.get(sums).get(sumLo).mem(OP.i32Store, 0).get(sums).get(sumHi).mem(OP.i32Store, 4);
  return {
    name: 'terms',
    params: new Array<number>(10).fill(I32),
    results: [],
    locals: [...new Array<number>(7).fill(I32), ...new Array<number>(11).fill(V128), ...new Array<number>(7).fill(I32)],
    body: c,
  };
}

function u32le(v: number): number[] {
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
}

let compiled: WasmModule | null | undefined;

/** The terms function over `memory`, or undefined on a runtime without WebAssembly SIMD. */
function termsOver(memory: WasmMemory): TermsFn | undefined {
  if (!wasm) return undefined;
  if (compiled === undefined) {
    try {
      compiled = new wasm.Module(moduleBytes([termsFn()]));
    } catch {
      compiled = null;
    }
  }
  if (!compiled) return undefined;
  return new wasm.Instance(compiled, { env: { mem: memory } }).exports.terms as TermsFn;
}

type TermsFn = (p: number, count: number, len: number, addr: number, step: number, tagLo: number, tagHi: number, out: number, keys: number, sums: number) => void;

/**
 * Scratch bytes terms() needs for `count` events past the payload: the sums, the terms (8 per
 * event) and the keys (32 per four events), each part 16-byte aligned.
 */
const scratchBytes = (count: number) => 16 + ((8 * count + 15) & ~15) + 32 * Math.ceil(count / 4);

/** In a hasher's own memory: the sums at 0, payloads copied to IN, the terms and keys after them. */
const SUMS = 0;
const IN = 64;

/** Hashers whose recorder finished (a few: recorders run one after another, or a few at once). */
const IDLE: DigestLanes[] = [];
/** Hashers over other code's memories (DigestLanes.over), one per memory. */
const OVER = new WeakMap<WasmMemory, DigestLanes | null>();

export class DigestLanes {
  private u8: Uint8Array;
  private i32: Int32Array;
  private readonly sums = { lo: 0, hi: 0 };

  private constructor(
    private readonly memory: WasmMemory,
    private readonly fn: TermsFn,
    /** A memory of its own (payloads copied in, grown as needed), or one of other code, where only [scratchAt, scratchEnd) is ours. */
    private readonly own: boolean,
    private readonly scratchAt = 0,
    private readonly scratchEnd = 0,
  ) {
    this.u8 = new Uint8Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
  }

  /**
   * A hasher, or undefined on a runtime without WebAssembly SIMD (callers then use eventTerms).
   * Give it back with release() when done: its memory has grown to the largest run's size, and a
   * fresh one pays for that again (page faults on every run).
   */
  static acquire(): DigestLanes | undefined {
    const idle = IDLE.pop();
    if (idle) return idle;
    if (!wasm) return undefined;
    const memory = new wasm.Memory({ initial: 4 });
    const fn = termsOver(memory);
    return fn ? new DigestLanes(memory, fn, true) : undefined;
  }

  /**
   * A hasher that reads payloads where they lie in `memory` (a target's WebAssembly memory: no
   * copy in) and uses only bytes [scratchAt, scratchAt + scratchLen) of it for its sums, terms and
   * keys; see termsInPlace. One per memory, kept while the memory lives; undefined without SIMD.
   */
  static over(memory: WasmMemory, scratchAt: number, scratchLen: number): DigestLanes | undefined {
    let lanes = OVER.get(memory);
    const at = (scratchAt + 15) & ~15;
    if (lanes === undefined || (lanes && (lanes.scratchAt !== at || lanes.scratchEnd !== scratchAt + scratchLen))) {
      const fn = termsOver(memory);
      lanes = fn ? new DigestLanes(memory, fn, false, at, scratchAt + scratchLen) : null;
      OVER.set(memory, lanes);
    }
    return lanes ?? undefined;
  }

  /** Back to the pool (nothing may use it afterwards). */
  release(): void {
    if (this.own && IDLE.length < 4) IDLE.push(this);
  }

  /**
   * The terms of `count` events of stream `sid`, payloads of elemLen bytes (a multiple of 4) back to
   * back in `bytes`, addresses first + k·step (u32, wrapping): lo, hi of event k to out[at + 2k],
   * out[at + 2k + 1]. Returns the sums of the lo and of the hi terms (as int32; the object is reused).
   * Only for a hasher of its own (acquire).
   */
  terms(sid: number, first: number, step: number, count: number, elemLen: number, bytes: Uint8Array, out: Int32Array, at: number): { lo: number; hi: number } {
    const total = count * elemLen;
    const scratch = IN + ((total + 15) & ~15);
    const need = scratch + scratchBytes(count) - this.memory.buffer.byteLength;
    if (need > 0) this.memory.grow(Math.ceil(need / WASM_PAGE));
    this.views();
    this.u8.set(total === bytes.length ? bytes : bytes.subarray(0, total), IN);
    return this.run(sid, IN, first, step, count, elemLen, out, at, SUMS, scratch);
  }

  /**
   * terms() for payloads that lie in this hasher's memory (a hasher from over()), hashed where they
   * are; undefined when they do not, or the run needs more scratch than there is (the caller then
   * uses terms() of a hasher of its own).
   */
  termsInPlace(sid: number, first: number, step: number, count: number, elemLen: number, bytes: Uint8Array, out: Int32Array, at: number): { lo: number; hi: number } | undefined {
    if (bytes.buffer !== this.memory.buffer || this.scratchAt + scratchBytes(count) > this.scratchEnd) return undefined;
    this.views();
    return this.run(sid, bytes.byteOffset, first, step, count, elemLen, out, at, this.scratchAt, this.scratchAt + 16);
  }

  /** Views over the memory's current buffer (a memory that grew has a new one). */
  private views(): void {
    if (this.u8.buffer !== this.memory.buffer) {
      this.u8 = new Uint8Array(this.memory.buffer);
      this.i32 = new Int32Array(this.memory.buffer);
    }
  }

  /** The kernel on payloads at byte `p`, sums at `sumsAt`, terms and keys from `scratch` (16-byte aligned). */
  private run(sid: number, p: number, first: number, step: number, count: number, elemLen: number, out: Int32Array, at: number, sumsAt: number, scratch: number): { lo: number; hi: number } {
    const outAt = scratch;
    const keysAt = outAt + ((8 * count + 15) & ~15);
    this.fn(p, count, elemLen, first | 0, step | 0, tagLo(sid, elemLen) | 0, tagHi(sid, elemLen) | 0, outAt, keysAt, sumsAt);
    out.set(this.i32.subarray(outAt / 4, outAt / 4 + 2 * count), at);
    this.sums.lo = this.i32[sumsAt / 4]!;
    this.sums.hi = this.i32[sumsAt / 4 + 1]!;
    return this.sums;
  }
}

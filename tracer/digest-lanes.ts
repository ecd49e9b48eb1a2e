/**
 * The trace digest (digest.ts) of many instructions at once, in WebAssembly. FNV-1a is one
 * multiply per byte, each waiting for the one before, so one instruction's digest cannot go
 * faster than that chain; the chains of different instructions are independent, though. Retired
 * instructions' digest inputs are collected here (packed into one memory) and then hashed four or
 * eight at a time, one per SIMD lane, several times the throughput of one chain. The values
 * are exactly those of Digest: same bytes, same order, same two lanes.
 */
import { Code, I32, moduleBytes, OP, SIMD, V128, type FunctionSpec } from '../runtime/wasm/emit.js';
import { FNV_BASIS_HI, FNV_BASIS_LO, FNV_PRIME } from './digest.js';

/** Opcodes beyond the fsim kernels' set. */
const LOAD8U = 0x2d;
const STORE8 = 0x3a;
const I32_NE = 0x47;
const I32_SUB = 0x6b;
const I32_XOR = 0x73;
const V128_AND = 78;
const V128_XOR = 81;
const I32X4_SHR_U = 173;
const I32X4_REPLACE_LANE = 28;

/**
 * pack(table, count, src, dst) → end: writes `count` event records [u8 sid][u32 LE addr][u32 LE
 * len][payload] at dst, from four int32 arrays of `count` entries each, back to back at table:
 * stream ids, addresses, payload offsets in src, payload lengths. Payloads are copied 16 bytes at
 * a time, so up to 15 bytes past a payload's end may be read and written.
 */
function packFn(): FunctionSpec {
  const [table, count, src, dst, len, from, to, d1, d2, d3] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const c = new Code();
  c.op(OP.block, OP.voidType).get(count).op(OP.i32Eqz).op(OP.brIf, 0);
  c.get(count).i32(4).op(OP.i32Mul).set(d1);
  c.get(d1).get(d1).op(OP.i32Add).set(d2);
  c.get(d2).get(d1).op(OP.i32Add).set(d3);
  c.op(OP.loop, OP.voidType);
  c.get(dst).get(table).mem(OP.i32Load, 0).mem(STORE8, 0);
  c.get(dst).get(table).get(d1).op(OP.i32Add).mem(OP.i32Load, 0).mem(OP.i32Store, 1);
  c.get(dst).get(table).get(d3).op(OP.i32Add).mem(OP.i32Load, 0).op(OP.localTee, len).mem(OP.i32Store, 5);
  // The payload, 16 bytes at a time (rows are short: a call to memory.copy costs more). The
  // last block may write up to 15 bytes past the record; the next record or the caller's tail
  // record overwrites them, and add() leaves that much room before its scratch.
  c.get(src).get(table).get(d2).op(OP.i32Add).mem(OP.i32Load, 0).op(OP.i32Add).set(from);
  c.get(dst).i32(9).op(OP.i32Add).set(to);
  c.get(to).get(len).op(OP.i32Add).set(dst);
  c.op(OP.block, OP.voidType).get(len).op(OP.i32Eqz).op(OP.brIf, 0);
  c.op(OP.loop, OP.voidType);
  c.get(to).get(from).simdMem(SIMD.load, 0).simdMem(SIMD.store, 0);
  c.get(from).i32(16).op(OP.i32Add).set(from);
  c.get(to).i32(16).op(OP.i32Add).op(OP.localTee, to).get(dst).op(OP.i32LtU).op(OP.brIf, 0);
  c.op(OP.end, OP.end);
  c.get(table).i32(4).op(OP.i32Add).set(table);
  c.get(count).i32(1).op(I32_SUB).op(OP.localTee, count).op(OP.brIf, 0);
  c.op(OP.end, OP.end);
  c.get(dst);
  return { name: 'pack', params: [I32, I32, I32, I32], results: [I32], locals: [I32, I32, I32, I32, I32, I32], body: c };
}

/** hash1(p, n, st): FNV-1a of bytes [p, p+n) in both lanes, from and back to (lo, hi) at st. */
function hash1Fn(): FunctionSpec {
  const [p, n, st, end, lo, hi, b] = [0, 1, 2, 3, 4, 5, 6];
  const c = new Code();
  c.get(st).mem(OP.i32Load, 0).set(lo).get(st).mem(OP.i32Load, 4).set(hi);
  c.op(OP.block, OP.voidType).get(n).op(OP.i32Eqz).op(OP.brIf, 0);
  c.get(p).get(n).op(OP.i32Add).set(end);
  c.op(OP.loop, OP.voidType);
  c.get(p).mem(LOAD8U, 0).set(b);
  c.get(lo).get(b).op(I32_XOR).i32(FNV_PRIME).op(OP.i32Mul).set(lo);
  c.get(hi).get(b).op(I32_XOR).i32(FNV_PRIME).op(OP.i32Mul).set(hi);
  c.get(p).i32(1).op(OP.i32Add).op(OP.localTee, p).get(end).op(I32_NE).op(OP.brIf, 0);
  c.op(OP.end, OP.end);
  c.get(st).get(lo).mem(OP.i32Store, 0).get(st).get(hi).mem(OP.i32Store, 4);
  return { name: 'hash1', params: [I32, I32, I32], results: [], locals: [I32, I32, I32, I32], body: c };
}

/**
 * hash4(p0…p3, n, st) and hash8(p0…p7, n, st): the first n bytes (n a multiple of 4) at each p
 * hashed in lockstep, one string per SIMD lane (four per vector); string k's states are lane
 * k mod 4 of the vectors at st + 32·(k div 4) (lo) and 16 bytes after (hi), read and written
 * back. Each lane loads four bytes at once and takes them lowest first (little-endian). Eight
 * chains hide the multiply's latency better than four.
 */
function hashFn(groups: 1 | 2): FunctionSpec {
  const strings = 4 * groups;
  const [n, st, i, prime, mask] = [strings, strings + 1, strings + 2, strings + 3, strings + 4];
  const lo = (g: number) => strings + 5 + 4 * g;
  const hi = (g: number) => lo(g) + 1;
  const v = (g: number) => lo(g) + 2;
  const b = (g: number) => lo(g) + 3;
  const c = new Code();
  for (let g = 0; g < groups; g++) c.get(st).simdMem(SIMD.load, 32 * g).set(lo(g)).get(st).simdMem(SIMD.load, 32 * g + 16).set(hi(g));
  c.i32(FNV_PRIME).simd(SIMD.i32x4Splat).set(prime);
  c.i32(0xff).simd(SIMD.i32x4Splat).set(mask);
  c.op(OP.block, OP.voidType).get(n).op(OP.i32Eqz).op(OP.brIf, 0);
  c.i32(0).set(i);
  c.op(OP.loop, OP.voidType);
  for (let g = 0; g < groups; g++) {
    c.get(4 * g).get(i).op(OP.i32Add).mem(OP.i32Load, 0).simd(SIMD.i32x4Splat);
    for (let k = 1; k < 4; k++) c.get(4 * g + k).get(i).op(OP.i32Add).mem(OP.i32Load, 0).simd(I32X4_REPLACE_LANE).op(k);
    c.set(v(g));
  }
  for (let byte = 0; byte < 4; byte++) {
    for (let g = 0; g < groups; g++) {
      c.get(v(g));
      if (byte > 0) c.i32(8 * byte).simd(I32X4_SHR_U);
      c.get(mask).simd(V128_AND).set(b(g));
      c.get(lo(g)).get(b(g)).simd(V128_XOR).get(prime).simd(SIMD.i32x4Mul).set(lo(g));
      c.get(hi(g)).get(b(g)).simd(V128_XOR).get(prime).simd(SIMD.i32x4Mul).set(hi(g));
    }
  }
  c.get(i).i32(4).op(OP.i32Add).op(OP.localTee, i).get(n).op(I32_NE).op(OP.brIf, 0);
  c.op(OP.end, OP.end);
  for (let g = 0; g < groups; g++) c.get(st).get(lo(g)).simdMem(SIMD.store, 32 * g).get(st).get(hi(g)).simdMem(SIMD.store, 32 * g + 16);
  return { name: `hash${strings}`, params: new Array<number>(strings + 2).fill(I32), results: [], locals: [I32, V128, V128, ...new Array<number>(4 * groups).fill(V128)], body: c };
}

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: Record<string, Record<string, unknown>>) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => WasmMemory;
}
const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
let compiled: object | null | undefined;

/** Bytes [0, 64): the lockstep hashes' states; [64, 72): hash1's. Messages from MSG_BASE on. */
const ST = 0;
const ST1 = 64;
const MSG_BASE = 128;
const PAGE = 65536;
const align16 = (n: number) => (n + 15) & ~15;

/** Hashers whose recorder finished (a few: recorders run one after another, or a few at once). */
const IDLE: DigestLanes[] = [];

export class DigestLanes {
  private u8: Uint8Array;
  private i32: Int32Array;
  private end = MSG_BASE;
  private readonly ptrs: number[] = [];
  private readonly lens: number[] = [];

  private constructor(
    private readonly memory: WasmMemory,
    private readonly fns: {
      pack: (table: number, count: number, src: number, dst: number) => number;
      hash1: (p: number, n: number, st: number) => void;
      hash4: (p0: number, p1: number, p2: number, p3: number, n: number, st: number) => void;
      hash8: (p0: number, p1: number, p2: number, p3: number, p4: number, p5: number, p6: number, p7: number, n: number, st: number) => void;
    },
  ) {
    this.u8 = new Uint8Array(memory.buffer);
    this.i32 = new Int32Array(memory.buffer);
  }

  /**
   * A hasher with an empty batch, or undefined on a runtime without WebAssembly SIMD (callers then
   * use Digest). Give it back with release() when done: its memory has grown to the batches' size,
   * and a fresh one pays for that again (page faults on every run).
   */
  static acquire(): DigestLanes | undefined {
    const idle = IDLE.pop();
    if (idle) return idle;
    if (!wasm) return undefined;
    if (compiled === undefined) {
      try {
        compiled = new wasm.Module(moduleBytes([packFn(), hash1Fn(), hashFn(1), hashFn(2)]));
      } catch {
        compiled = null;
      }
    }
    if (!compiled) return undefined;
    const memory = new wasm.Memory({ initial: 16 });
    const e = new wasm.Instance(compiled, { env: { mem: memory } }).exports;
    return new DigestLanes(memory, e as unknown as DigestLanes['fns']);
  }

  /** Back to the pool (nothing may use it afterwards). */
  release(): void {
    this.ptrs.length = 0;
    this.lens.length = 0;
    this.end = MSG_BASE;
    if (IDLE.length < 4) IDLE.push(this);
  }

  /** Messages waiting, and their bytes. */
  get count(): number {
    return this.ptrs.length;
  }
  get bytes(): number {
    return this.end - MSG_BASE;
  }

  private ensure(bytes: number): void {
    const need = this.end + bytes - this.memory.buffer.byteLength;
    if (need <= 0) return;
    this.memory.grow(Math.ceil(need / PAGE));
    this.u8 = new Uint8Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
  }

  /**
   * Add one message: `count` event records whose payloads lie in src[0, srcLen) — record k has
   * stream id sids[k], address addrs[k] (a u32, as int32), payload src[offs[k], offs[k] + lens[k])
   * — then the record [tailSid][tailAddr][tail.length][tail]. Everything is copied. Returns the
   * message's index in the batch (the index digestAll reports it under).
   */
  add(src: Uint8Array, srcLen: number, sids: Int32Array, addrs: Int32Array, offs: Int32Array, lens: Int32Array, count: number, tailSid: number, tailAddr: number, tail: Uint8Array): number {
    const msgMax = 9 * count + srcLen + 9 + tail.length;
    // Room for pack's last 16-byte block to run past a record, before and after the scratch.
    const scratch = align16(this.end + msgMax + 16);
    const tableAt = align16(scratch + srcLen + 16);
    this.ensure(tableAt + 16 * count - this.end);
    const dst = this.end;
    this.u8.set(srcLen === src.length ? src : src.subarray(0, srcLen), scratch);
    const t = tableAt / 4;
    for (const [k, a] of [sids, addrs, offs, lens].entries()) this.i32.set(a.length === count ? a : a.subarray(0, count), t + k * count);
    let at = this.fns.pack(tableAt, count, scratch, dst);
    const u8 = this.u8;
    u8[at] = tailSid;
    for (let k = 0; k < 4; k++) u8[at + 1 + k] = (tailAddr >>> (8 * k)) & 0xff;
    for (let k = 0; k < 4; k++) u8[at + 5 + k] = (tail.length >>> (8 * k)) & 0xff;
    u8.set(tail, at + 9);
    at += 9 + tail.length;
    this.ptrs.push(dst);
    this.lens.push(at - dst);
    this.end = at;
    return this.ptrs.length - 1;
  }

  /**
   * Digest every message added since the last call: each(index, lo, hi); the batch is then empty.
   * In rounds: the eight (or four) strings with the most bytes left are hashed in lockstep for as
   * many whole words as the shortest of them has left, so strings of mixed lengths still mostly
   * share rounds; the last bytes go one string at a time.
   */
  digestAll(each: (index: number, lo: number, hi: number) => void): void {
    const { ptrs, i32 } = this;
    const count = ptrs.length;
    const pos = ptrs.slice();
    const left = this.lens.slice();
    const lo = new Array<number>(count).fill(FNV_BASIS_LO);
    const hi = new Array<number>(count).fill(FNV_BASIS_HI);
    const slot = (k: number) => ST / 4 + 8 * (k >> 2) + (k & 3);
    for (;;) {
      const live = [];
      for (let m = 0; m < count; m++) if (left[m]! >= 4) live.push(m);
      if (live.length < 4) break;
      live.sort((a, b) => left[b]! - left[a]!);
      const group = live.slice(0, live.length >= 8 ? 8 : 4);
      const n = left[group[group.length - 1]!]! & ~3;
      group.forEach((m, k) => {
        i32[slot(k)] = lo[m]!;
        i32[slot(k) + 4] = hi[m]!;
      });
      const p = group.map((m) => pos[m]!);
      if (group.length === 8) this.fns.hash8(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, p[7]!, n, ST);
      else this.fns.hash4(p[0]!, p[1]!, p[2]!, p[3]!, n, ST);
      group.forEach((m, k) => {
        lo[m] = i32[slot(k)]!;
        hi[m] = i32[slot(k) + 4]!;
        pos[m] += n;
        left[m] -= n;
      });
    }
    for (let m = 0; m < count; m++) {
      i32[ST1 / 4] = lo[m]!;
      i32[ST1 / 4 + 1] = hi[m]!;
      this.fns.hash1(pos[m]!, left[m]!, ST1);
      each(m, i32[ST1 / 4]! >>> 0, i32[ST1 / 4 + 1]! >>> 0);
    }
    ptrs.length = 0;
    this.lens.length = 0;
    this.end = MSG_BASE;
  }
}

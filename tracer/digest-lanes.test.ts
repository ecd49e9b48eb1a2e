import { describe, expect, it } from 'vitest';
import { FNV_BASIS_HI, fnv1a32 } from './digest.js';
import { DigestLanes } from './digest-lanes.js';

/** A message as the documented byte string: records [u8 sid][u32 LE addr][u32 LE len][payload]. */
function recordBytes(records: { sid: number; addr: number; data: Uint8Array }[]): Uint8Array {
  const out: number[] = [];
  const u32 = (v: number) => out.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  for (const r of records) {
    out.push(r.sid);
    u32(r.addr >>> 0);
    u32(r.data.length);
    out.push(...r.data);
  }
  return Uint8Array.from(out);
}

/** Seeded byte source (xorshift), so failures repeat. */
function rng(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

describe('DigestLanes', () => {
  const lanes = DigestLanes.acquire();
  it.runIf(lanes)('gives FNV-1a of each message in both lanes, for any number and length of messages', () => {
    const rand = rng(7);
    // 0..11 messages per batch: fewer than four, exactly four, and groups plus leftovers.
    for (let batch = 0; batch < 12; batch++) {
      const want: [number, number][] = [];
      for (let m = 0; m < batch; m++) {
        // Payloads of 0..70 bytes (not multiples of 16), at scattered offsets of one source.
        const src = Uint8Array.from({ length: 600 }, () => Math.floor(rand() * 256));
        const records: { sid: number; addr: number; data: Uint8Array }[] = [];
        const cols: number[][] = [[], [], [], []];
        const events = Math.floor(rand() * 8);
        for (let e = 0; e < events; e++) {
          const len = Math.floor(rand() * 71);
          const off = Math.floor(rand() * (600 - len));
          const sid = 3 + Math.floor(rand() * 6);
          const addr = Math.floor(rand() * 2 ** 32);
          records.push({ sid, addr, data: src.slice(off, off + len) });
          [sid, addr | 0, off, len].forEach((v, k) => cols[k]!.push(v));
        }
        const insn = Uint8Array.from({ length: 16 }, (_, k) => k + m);
        records.push({ sid: 1, addr: 0xffffffff, data: insn });
        const bytes = recordBytes(records);
        want.push([fnv1a32(bytes), fnv1a32(bytes, FNV_BASIS_HI)]);
        const [sids, addrs, offs, lens] = cols.map((c) => Int32Array.from(c));
        expect(lanes!.add(src, src.length, sids!, addrs!, offs!, lens!, events, 1, 0xffffffff, insn)).toBe(m);
      }
      const got: [number, number][] = [];
      lanes!.digestAll((k, lo, hi) => (got[k] = [lo, hi]));
      expect(got).toEqual(want);
      expect(lanes!.count).toBe(0);
    }
  });

  it.runIf(lanes)('a batch of one long and several short messages (lockstep tails)', () => {
    const long = Uint8Array.from({ length: 5000 }, (_, k) => (k * 31) & 0xff);
    const lens = [5000, 3, 4000, 16, 17, 2500];
    const want = lens.map((n) => {
      const b = recordBytes([{ sid: 6, addr: n, data: long.subarray(0, n) }, { sid: 2, addr: 0xffffffff, data: long.subarray(0, 16) }]);
      return [fnv1a32(b), fnv1a32(b, FNV_BASIS_HI)];
    });
    for (const n of lens) lanes!.add(long, n, Int32Array.of(6), Int32Array.of(n), Int32Array.of(0), Int32Array.of(n), 1, 2, 0xffffffff, long.subarray(0, 16));
    const got: number[][] = [];
    lanes!.digestAll((k, lo, hi) => (got[k] = [lo, hi]));
    expect(got).toEqual(want);
  });
});

import { describe, expect, it } from 'vitest';
import { DigestLanes } from './digest-lanes.js';
import { refEventTerms, seededRandom as rng } from './digest-reference.js';

describe('DigestLanes', () => {
  const lanes = DigestLanes.acquire();

  it.runIf(lanes)("gives each event's reference terms and their sums, for any run shape", () => {
    const rand = rng(7);
    // Element lengths 4..280 bytes (fewer than four words, whole vectors, vectors plus 1-3 words),
    // strides up, down and zero, addresses wrapping past 2^32.
    for (let t = 0; t < 150; t++) {
      const elemLen = 4 * (1 + Math.floor(rand() * 70));
      const count = 1 + Math.floor(rand() * 12);
      const bytes = Uint8Array.from({ length: count * elemLen + Math.floor(rand() * 5) }, () => Math.floor(rand() * 256));
      const first = Math.floor(rand() * 2 ** 32);
      const step = Math.floor(rand() * 9) - 4;
      const sid = Math.floor(rand() * 9);
      const out = new Int32Array(2 * count + 2).fill(-1);
      const sums = { ...lanes!.terms(sid, first, step, count, elemLen, bytes, out, 2) };
      const want = Array.from({ length: count }, (_, k) => refEventTerms({ sid, addr: (first + k * step) >>> 0, data: bytes.subarray(k * elemLen, (k + 1) * elemLen) }));
      expect(Array.from(out.subarray(0, 2))).toEqual([-1, -1]); // nothing before `at` touched
      expect(Array.from(out.subarray(2), (v) => v >>> 0)).toEqual(want.flat());
      const sum = (lane: 0 | 1) => want.reduce((s, w) => (s + w[lane]) % 2 ** 32, 0);
      expect([sums.lo >>> 0, sums.hi >>> 0]).toEqual([sum(0), sum(1)]);
    }
  });

  it.runIf(lanes)('a run larger than its memory (the memory grows) and a pooled hasher give the same terms', () => {
    const bytes = Uint8Array.from({ length: 64 * 6000 }, (_, k) => (k * 31) & 0xff);
    const out = new Int32Array(2 * 6000);
    lanes!.terms(6, 0, 1, 6000, 64, bytes, out, 0);
    for (const k of [0, 1, 2999, 5999]) expect([out[2 * k]! >>> 0, out[2 * k + 1]! >>> 0]).toEqual(refEventTerms({ sid: 6, addr: k, data: bytes.subarray(64 * k, 64 * k + 64) }));
    lanes!.release();
    const again = DigestLanes.acquire()!;
    const out2 = new Int32Array(2);
    again.terms(6, 5999, 1, 1, 64, bytes.subarray(64 * 5999), out2, 0);
    expect(Array.from(out2)).toEqual([out[2 * 5999], out[2 * 5999 + 1]]);
  });

  it.runIf(lanes)("hashes payloads where they lie in another module's memory, using only the scratch it was given", () => {
    const memory = new (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number }) => { buffer: ArrayBuffer; grow(n: number): number } } }).WebAssembly.Memory({ initial: 2 });
    const bytes = new Uint8Array(memory.buffer);
    for (let k = 0; k < 40000; k++) bytes[k] = (k * 13 + 5) & 0xff;
    // Scratch [100000, 100000 + 16·64 + 64): room for 64 events, and an unaligned start.
    const scratchAt = 100001;
    const inPlace = DigestLanes.over(memory, scratchAt, 16 * 64 + 64)!;
    expect(DigestLanes.over(memory, scratchAt, 16 * 64 + 64)).toBe(inPlace);
    const payload = new Uint8Array(memory.buffer, 1000, 64 * 60);
    const before = bytes.slice(0, 100000);
    const out = new Int32Array(2 * 60);
    const sums = { ...inPlace.termsInPlace(5, 7, 3, 60, 64, payload, out, 0)! };
    const want = Array.from({ length: 60 }, (_, k) => refEventTerms({ sid: 5, addr: 7 + 3 * k, data: payload.subarray(64 * k, 64 * k + 64) }));
    expect(Array.from(out, (v) => v >>> 0)).toEqual(want.flat());
    expect([sums.lo >>> 0, sums.hi >>> 0]).toEqual([0, 1].map((l) => want.reduce((s, w) => (s + w[l]!) % 2 ** 32, 0)));
    // Nothing outside the scratch was written.
    expect(bytes.subarray(0, 100000)).toEqual(before);
    // Payloads elsewhere, or runs needing more scratch than given: not hashed here (the caller copies).
    expect(inPlace.termsInPlace(5, 0, 1, 4, 64, new Uint8Array(256), out, 0)).toBeUndefined();
    expect(inPlace.termsInPlace(5, 0, 1, 500, 64, new Uint8Array(memory.buffer, 0, 32000), new Int32Array(1000), 0)).toBeUndefined();
  });
});

/**
 * Hints on hand-made rows: each class is shown a row corrupted in its way (values worked out
 * here by hand) and must name it with its amount; random corruption, and a corruption that
 * explains only some of the differing lanes, must get no hint.
 */
import { describe, expect, it } from 'vitest';
import { differingLanes } from './lanes.js';
import { hintFor, type HintInput, type RowWrite } from './hints.js';

/** 32-bit signed lanes as little-endian bytes. */
const bytes32 = (lanes: number[]) => new Uint8Array(Int32Array.from(lanes).buffer);

function input(expected: number[], actual: number[], writes: RowWrite[] = [], width = 32): HintInput {
  return {
    pc: 5,
    addr: 10,
    width,
    signed: true,
    expected,
    actual,
    differing: differingLanes(expected, actual),
    expectedData: bytes32(expected),
    actualData: bytes32(actual),
    writes,
  };
}

const E = [100, -7, 300, 4096, -12345, 6, 77, 8];

describe('hints', () => {
  it('a row that is the expected row of another address: an address error with its offset', () => {
    const row13 = [1, 2, 3, 4, 5, 6, 7, 9];
    const writes = [
      { pc: 5, addr: 10, data: bytes32(E) },
      { pc: 5, addr: 13, data: bytes32(row13) },
      // Farther away with the same row: the nearer address is named.
      { pc: 5, addr: 20, data: bytes32(row13) },
    ];
    const h = hintFor(input(E, row13, writes));
    expect(h).toMatchObject({ kind: 'address', amount: 3, writtenBy: 5 });
    expect(h!.text).toMatch(/expected row at address 13 \(offset \+3, written by #5\): looks like an address error/);
  });

  it('a row overwritten later in the window is not what the address held', () => {
    const row13 = [1, 2, 3, 4, 5, 6, 7, 9];
    const writes = [
      { pc: 2, addr: 13, data: bytes32(row13) },
      { pc: 4, addr: 13, data: bytes32(E) },
    ];
    expect(hintFor(input(E, row13, writes))).toBeNull();
  });

  it("the address's value before the instruction: a missing or stale write", () => {
    const old = [0, 0, 0, 0, 0, 0, 0, 0];
    const writes = [
      { pc: 1, addr: 10, data: bytes32([9, 9, 9, 9, 9, 9, 9, 9]) },
      { pc: 3, addr: 10, data: bytes32(old) },
      { pc: 5, addr: 10, data: bytes32(E) },
    ];
    expect(hintFor(input(E, old, writes))).toMatchObject({ kind: 'stale', writtenBy: 3 });
  });

  it('a uniform row (all zeros) is not matched to another address', () => {
    const zeros = Array(8).fill(0);
    expect(hintFor(input(E, zeros, [{ pc: 5, addr: 11, data: bytes32(zeros) }]))).toBeNull();
  });

  it('lanes rotated by +2 and shifted by −1 with a zero shifted in', () => {
    // rotate: actual[i] = E[(i − 2) mod 8]
    const rot = [77, 8, 100, -7, 300, 4096, -12345, 6];
    expect(hintFor(input(E, rot))).toMatchObject({ kind: 'lanes-rotated', amount: 2 });
    // shift down by one: actual[i] = E[i + 1], last lane 0
    const shifted = [-7, 300, 4096, -12345, 6, 77, 8, 0];
    expect(hintFor(input(E, shifted))).toMatchObject({ kind: 'lanes-shifted', amount: -1 });
  });

  it('lanes permuted (two swapped pairs, no single rotation)', () => {
    const p = [-7, 100, 300, 4096, -12345, 6, 8, 77];
    expect(hintFor(input(E, p))).toMatchObject({ kind: 'lanes-permuted' });
  });

  it('sign flipped', () => {
    expect(hintFor(input(E, E.map((v) => -v)))).toMatchObject({ kind: 'sign' });
  });

  it('shift by k: arithmetic right shift applied, left shift, and a right shift missing', () => {
    // 100>>2 = 25, −7>>2 = −2, 300>>2 = 75, 4096>>2 = 1024, −12345>>2 = −3087, 6>>2 = 1, 77>>2 = 19, 8>>2 = 2
    expect(hintFor(input(E, [25, -2, 75, 1024, -3087, 1, 19, 2]))).toMatchObject({ kind: 'shift', amount: 2, text: expect.stringMatching(/^actual = expected >> 2/) });
    expect(hintFor(input(E, [400, -28, 1200, 16384, -49380, 24, 308, 32]))).toMatchObject({ kind: 'shift', amount: 2, text: expect.stringMatching(/^actual = expected << 2/) });
    // expected is the actual value shifted right by 3 (the actual run skipped the shift)
    expect(hintFor(input([12, -3, 5, 0], [100, -17, 47, 3]))).toMatchObject({ kind: 'shift', amount: 3, text: expect.stringMatching(/^expected = actual >> 3/) });
  });

  it('values equal after truncation to 8 or 16 bits', () => {
    // 300 = 0x12c → low byte 0x2c = 44; 4096 → 0; −12345 = 0x…cfc7 → 0xc7 = −57; 1000 → 0xe8 = −24
    const t8 = input([300, 4096, -12345, 1000], [44, 0, -57, -24]);
    expect(hintFor(t8)).toMatchObject({ kind: 'truncation', amount: 8, text: expect.stringMatching(/truncated to 8 bits, sign-extended/) });
    // 70000 = 0x11170 → 0x1170 = 4464; 40000 = 0x9c40 → −25536 as 16-bit signed
    expect(hintFor(input([70000, 40000, 5], [4464, -25536, 5]))).toMatchObject({ kind: 'truncation', amount: 16 });
  });

  it('off by a constant', () => {
    expect(hintFor(input(E, E.map((v) => v - 3)))).toMatchObject({ kind: 'offset', amount: -3 });
  });

  it('one bit flipped in the one differing lane', () => {
    const a = [...E];
    a[3] = 4096 ^ 0x40;
    expect(hintFor(input(E, a))).toMatchObject({ kind: 'bit', amount: 6 });
  });

  it('no hint when the pattern explains only some differing lanes', () => {
    // lanes 0..2 off by +1, lane 3 by +2
    expect(hintFor(input([1, 2, 3, 4], [2, 3, 4, 6]))).toBeNull();
    // lanes 0, 1 sign-flipped, lane 2 not
    expect(hintFor(input([5, 6, 7], [-5, -6, 8]))).toBeNull();
  });

  it('no hint on random corruption (8- and 32-bit lanes, 1000 rows each)', () => {
    // A small seeded generator (mulberry32), so a failure is reproducible.
    let seed = 12345;
    const rand = () => {
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
    };
    for (const width of [8, 32]) {
      const lane = () => Math.floor(rand() * 2 ** width) - 2 ** (width - 1);
      for (let k = 0; k < 1000; k++) {
        const e = Array.from({ length: 16 }, lane);
        const a = Array.from({ length: 16 }, lane);
        const other = Array.from({ length: 16 }, lane);
        const hint = hintFor({ ...input(e, a, [{ pc: 4, addr: 10, data: bytes32(other) }, { pc: 5, addr: 11, data: bytes32(other) }], width) });
        expect(hint, `width ${width}, row ${k}: ${e} → ${a}`).toBeNull();
      }
    }
  });
});

describe('hints on packed (unsigned) lanes', () => {
  it('a micro-op gets row hints only: its fields are no numbers to shift or truncate', () => {
    const uop = (expected: number, actual: number, writes: RowWrite[] = []): HintInput => ({
      ...input([expected], [actual], writes),
      signed: false,
      expectedData: new Uint8Array(Uint32Array.of(expected).buffer),
      actualData: new Uint8Array(Uint32Array.of(actual).buffer),
    });
    // 0x00000801 truncated to 8 bits is 0x01, yet no truncation hint.
    expect(hintFor(uop(0x801, 0x01))).toBeNull();
    // The micro-op of the next address: an address error.
    const next = { pc: 5, addr: 11, data: new Uint8Array(Uint32Array.of(0x1234).buffer) };
    expect(hintFor(uop(0x801, 0x1234, [next]))).toMatchObject({ kind: 'address', amount: 1 });
  });
});

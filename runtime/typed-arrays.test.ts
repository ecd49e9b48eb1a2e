import { describe, expect, it } from 'vitest';
import { grown, sameBytes } from './typed-arrays.js';

describe('sameBytes', () => {
  it('compares contents, not identity, over views at any offset', () => {
    const backing = Uint8Array.of(9, 1, 2, 3, 9);
    expect(sameBytes(backing.subarray(1, 4), Uint8Array.of(1, 2, 3))).toBe(true);
    expect(sameBytes(new Uint8Array(0), new Uint8Array(0))).toBe(true);
  });

  it('tells apart a difference in the last byte, a length and a missing side', () => {
    const big = new Uint8Array(100_000).fill(7);
    const other = big.slice();
    other[other.length - 1] = 8;
    expect(sameBytes(big, other)).toBe(false);
    expect(sameBytes(big, big.subarray(1))).toBe(false);
    expect(sameBytes(big, undefined)).toBe(false);
    expect(sameBytes(undefined, undefined)).toBe(false);
  });
});

describe('grown', () => {
  it('keeps the first elements asked for, in an array of the same type and the new size, zero beyond', () => {
    const f = grown(Float64Array.of(1.5, 2.5, 3.5), 5, 2);
    expect(f).toBeInstanceOf(Float64Array);
    expect(Array.from(f)).toEqual([1.5, 2.5, 0, 0, 0]);
    expect(Array.from(grown(Uint8Array.of(7, 8), 3, 2))).toEqual([7, 8, 0]);
  });
});

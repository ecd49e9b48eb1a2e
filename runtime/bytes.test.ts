import { describe, expect, it } from 'vitest';
import { sameBytes } from './bytes.js';

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

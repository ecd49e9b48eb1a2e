import { describe, expect, it } from 'vitest';
import { differingLanes, lanesOf } from './lanes.js';

describe('lanes', () => {
  it('splits 8-bit signed lanes', () => {
    expect(lanesOf({ width: 8, signed: true, headerWords: 0 }, new Uint8Array([0x01, 0xff, 0x80, 0x7f]))).toEqual([1, -1, -128, 127]);
  });
  it('splits 32-bit little-endian lanes, signed and unsigned', () => {
    const d = new Uint8Array([0x78, 0x56, 0x34, 0x12, 0xfe, 0xff, 0xff, 0xff]);
    expect(lanesOf({ width: 32, signed: true, headerWords: 0 }, d)).toEqual([0x12345678, -2]);
    expect(lanesOf({ width: 32, signed: false, headerWords: 0 }, d)).toEqual([0x12345678, 0xfffffffe]);
  });
  it('splits sub-byte lanes at bit offset k·width', () => {
    // 4-bit lanes: byte 0x2f holds lane 0 = 0xf (−1) and lane 1 = 0x2.
    expect(lanesOf({ width: 4, signed: true, headerWords: 0 }, new Uint8Array([0x2f]))).toEqual([-1, 2]);
  });
  it('puts iteration header words first', () => {
    const d = new Uint8Array([3, 0, 0, 0, 4, 0, 0, 0, 5, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
    expect(lanesOf({ width: 32, signed: true, headerWords: 3 }, d)).toEqual([3, 4, 5, -1]);
  });
  it('lists differing lanes, all of them when one side is missing', () => {
    expect(differingLanes([1, 2, 3], [1, 0, 3])).toEqual([1]);
    expect(differingLanes([1, 2], undefined)).toEqual([0, 1]);
  });
});

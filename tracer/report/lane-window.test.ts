import { describe, expect, it } from 'vitest';
import { laneRanges, shownLanes, withGaps } from './lane-window.js';

describe('lanes a report shows', () => {
  it('a short row whole', () => {
    expect(shownLanes(16, [5])).toEqual([...Array(16).keys()]);
  });
  it('a 256-lane row: each differing lane and two on each side', () => {
    expect(shownLanes(256, [0, 200])).toEqual([0, 1, 2, 198, 199, 200, 201, 202]);
    expect(shownLanes(256, [255])).toEqual([253, 254, 255]);
    // Neighbourhoods that touch merge.
    expect(shownLanes(256, [10, 13])).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
  });
  it('at most 16 lanes, the lowest first', () => {
    const all = [...Array(256).keys()];
    expect(shownLanes(256, all)).toEqual([...Array(16).keys()]);
  });
  it('gaps where lanes are left out, before, between and after', () => {
    expect(withGaps(256, [0, 1, 2, 198, 199])).toEqual([0, 1, 2, null, 198, 199, null]);
    expect(withGaps(256, [253, 254, 255])).toEqual([null, 253, 254, 255]);
    expect(withGaps(3, [0, 1, 2])).toEqual([0, 1, 2]);
  });
  it('lane lists as ranges', () => {
    expect(laneRanges([...Array(256).keys()])).toBe('0–255');
    expect(laneRanges([3, 7, 8, 9, 200])).toBe('3, 7–9, 200');
    expect(laneRanges([1, 2])).toBe('1, 2');
  });
});

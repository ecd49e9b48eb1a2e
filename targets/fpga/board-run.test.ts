/**
 * recordsLanded: after a stopped run the trace unit's count can run ahead of its ring in memory;
 * only the leading records that carry their own index count. Rings written by hand.
 */
import { describe, expect, it } from 'vitest';
import { recordsLanded } from './board-run.js';

/** A ring of `slots` 16-byte slots with records 0..landed-1 in place (pc 10+k, module 1, digest 0xabc), the rest zeros. */
function ring(slots: number, landed: number): Uint8Array {
  const bytes = new Uint8Array(slots * 16);
  const dv = new DataView(bytes.buffer);
  for (let k = 0; k < landed; k++) {
    dv.setUint32(k * 16, 10 + k, true);
    dv.setUint32(k * 16 + 4, 1, true);
    dv.setUint32(k * 16 + 8, 0xabc, true);
    dv.setUint32(k * 16 + 12, k, true);
  }
  return bytes;
}

describe('records of a stopped run that reached memory', () => {
  it('counts the leading records that carry their index, never more than the count says', () => {
    expect(recordsLanded(ring(8, 3), 5)).toBe(3);
    expect(recordsLanded(ring(8, 5), 5)).toBe(5);
    expect(recordsLanded(ring(8, 6), 4)).toBe(4);
    expect(recordsLanded(ring(8, 0), 0)).toBe(0);
    // A count beyond the ring's slots (cannot happen without wrapping) stops at the last slot.
    expect(recordsLanded(ring(4, 4), 9)).toBe(4);
  });

  it('a record out of place ends the count there', () => {
    const r = ring(8, 6);
    new DataView(r.buffer).setUint32(2 * 16 + 12, 7, true);
    expect(recordsLanded(r, 6)).toBe(2);
  });
});

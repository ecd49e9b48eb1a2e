/** Groups packed for the writer thread come back unchanged, whatever their lengths. */
import { describe, expect, it } from 'vitest';
import type { DigestChunk, EventGroup } from '../recorder.js';
import { GroupBatch, storedRows, unpackGroups } from './group-batch.js';

function group(pc: number, n: number, elemLen: number): EventGroup {
  return {
    stream: pc % 2 ? 'sram.acc' : 'dram.store',
    pc,
    part: pc % 3,
    elemLen,
    addrs: Uint32Array.from({ length: n }, (_, i) => 0xfffffff0 + i),
    cycles: Float64Array.from({ length: n }, (_, i) => pc * 1000 + i + 0.5),
    data: Uint8Array.from({ length: n * elemLen }, (_, i) => (i * 7 + pc) & 0xff),
  };
}

describe('GroupBatch', () => {
  it('round-trips groups of odd payload lengths and a group larger than the whole batch', () => {
    const groups = [group(0, 1, 1), group(1, 3, 3), group(2, 5, 16), group(3, 300, 64), group(4, 2, 5)];
    const b = new GroupBatch(1024);
    expect(b.empty).toBe(true);
    for (const g of groups) b.add(g);
    expect(b.events).toBe(1 + 3 + 5 + 300 + 2);
    const packed = b.take();
    expect(b.empty).toBe(true);
    expect(b.events).toBe(0);
    const back = unpackGroups(structuredClone(packed, { transfer: [packed.buf] }));
    expect(back).toEqual(groups);
  });

  it('stores consecutive addresses as the first one and a shared cycle once (schema version 3), and expands them back', () => {
    const g = (addrs: number[], cycles: number[]): EventGroup => ({
      stream: 'sram.acc',
      pc: 7,
      part: 0,
      elemLen: 2,
      addrs: Uint32Array.from(addrs),
      cycles: Float64Array.from(cycles),
      data: Uint8Array.from({ length: addrs.length * 2 }, (_, i) => i),
    });
    const groups = [
      g([40, 41, 42, 43], [9, 9, 9, 9]), // both compact
      g([40, 42, 43], [9, 9, 9]), // a gap: addresses in full
      g([5, 6], [1, 2]), // cycles differ: cycles in full
      g([0xffffffff], [3]), // one event: one value either way
      g([2, 3], [-0, 0]), // -0 and 0 are different cycles
    ];
    const b = new GroupBatch(1024);
    for (const x of groups) b.add(x);
    const packed = b.take();
    const rows = storedRows(packed);
    expect(rows.map((r) => [r.n, r.addrs.byteLength, r.cycles.byteLength])).toEqual([
      [4, 4, 8],
      [3, 12, 8],
      [2, 4, 16],
      [1, 4, 8],
      [2, 4, 16],
    ]);
    expect(Array.from(new Uint32Array(rows[0]!.addrs.slice().buffer))).toEqual([40]);
    expect(Array.from(new Float64Array(rows[0]!.cycles.slice().buffer))).toEqual([9]);
    expect(Array.from(rows[0]!.data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(unpackGroups(packed)).toEqual(groups);
    expect(Object.is(unpackGroups(packed)[4]!.cycles[0], -0)).toBe(true);
  });

  it('says when a group would not fit', () => {
    const b = new GroupBatch(64);
    // 2 events of 4 bytes: 2 × (8 + 4 + 4) = 32 bytes.
    expect(b.fits(group(0, 2, 4))).toBe(true);
    b.add(group(0, 2, 4));
    b.add(group(1, 2, 4));
    expect(b.fits(group(2, 1, 1))).toBe(false);
  });

  it('fills a spare buffer of its own size, whatever it held before, and never one of another size', () => {
    const groups = [group(1, 3, 3), group(2, 5, 16)];
    const stale = new ArrayBuffer(1024);
    new Uint8Array(stale).fill(0xee);
    let asked = 0;
    const b = new GroupBatch(1024, () => (asked++, stale));
    for (const g of groups) b.add(g);
    const packed = b.take();
    expect(packed.buf).toBe(stale);
    // Bytes the batch did not write (padding, the rest of the buffer) are never part of a row.
    expect(unpackGroups(packed)).toEqual(groups);
    expect(asked).toBe(1);

    const small = new ArrayBuffer(512);
    const c = new GroupBatch(1024, () => small);
    c.add(groups[0]!);
    const other = c.take();
    expect(other.buf).not.toBe(small);
    expect(other.buf.byteLength).toBe(1024);
  });

  it('takes a buffer only when the first group arrives: a batch of digest chunks alone takes none', () => {
    let asked = 0;
    const b = new GroupBatch(1024, () => (asked++, undefined));
    const chunk: DigestChunk = { chunk: 0, firstPc: 0, count: 1, lo: 1, hi: 2, insnDigests: new Uint32Array(2), present: Uint8Array.of(1) };
    b.addChunk(chunk);
    // Room is counted in the buffer the batch will get.
    expect(b.fits(group(0, 16, 48))).toBe(true);
    const packed = b.take();
    expect(asked).toBe(0);
    expect(packed.buf.byteLength).toBe(0);
    expect(packed.chunks).toHaveLength(1);
    b.add(group(0, 1, 1));
    expect(asked).toBe(1);
  });
});

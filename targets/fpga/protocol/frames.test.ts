/** Frame reassembly over arbitrary chunking, and the lengths a reader must refuse. */
import { describe, expect, it } from 'vitest';
import { FrameReader, encodeFrame } from './frames.js';

describe('FrameReader', () => {
  it('reassembles frames however the stream is cut', () => {
    const stream = Buffer.concat([encodeFrame(1, Buffer.from('abc')), encodeFrame(200), encodeFrame(7, Buffer.alloc(300, 9))]);
    for (const cut of [1, 2, 5, 64, stream.length]) {
      const r = new FrameReader();
      const got = [];
      for (let i = 0; i < stream.length; i += cut) got.push(...r.push(stream.subarray(i, i + cut)));
      expect(got.map((f) => [f.type, f.body.length])).toEqual([
        [1, 3],
        [200, 0],
        [7, 300],
      ]);
      expect(got[0]!.body.toString()).toBe('abc');
      expect(r.pending).toBe(0);
    }
  });

  it('counts the bytes of an unfinished frame', () => {
    const r = new FrameReader();
    expect(r.push(encodeFrame(3, Buffer.alloc(10)).subarray(0, 8))).toEqual([]);
    expect(r.pending).toBe(8);
  });

  it('returns the frames before a refused length, then stops reading', () => {
    const r = new FrameReader(100);
    const big = Buffer.alloc(5);
    big.writeUInt32LE(101, 0);
    const out = r.push(Buffer.concat([encodeFrame(1, Buffer.from('x')), big, encodeFrame(2)]));
    expect(out.map((f) => f.type)).toEqual([1]);
    expect(r.refused?.code).toBe('frame-too-large');
    expect(r.refused?.message).toBe('frame of 101 bytes exceeds the limit of 100 bytes');
    expect(r.push(encodeFrame(2))).toEqual([]);
    const zero = new FrameReader();
    zero.push(Buffer.alloc(4));
    expect(zero.refused?.code).toBe('malformed');
  });
});

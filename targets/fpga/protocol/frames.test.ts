/** Frame reassembly over arbitrary chunking, and the lengths a reader must refuse. */
import { describe, expect, it, vi } from 'vitest';
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

  it('copies each byte of a frame spread over chunks once (time linear in its size), and a frame inside one chunk not at all', () => {
    const frame = encodeFrame(9, Buffer.alloc(1 << 20, 3));
    const r = new FrameReader();
    const concat = vi.spyOn(Buffer, 'concat');
    const copy = vi.spyOn(Buffer.prototype, 'copy');
    try {
      const got = [];
      // 64 KiB chunks, the size a socket delivers: joining at every chunk copied the frame 16 times over.
      for (let i = 0; i < frame.length; i += 65536) got.push(...r.push(frame.subarray(i, i + 65536)));
      expect(got.map((f) => f.body.length)).toEqual([1 << 20]);
      expect(got[0]!.body.every((b) => b === 3)).toBe(true);
      const copied = concat.mock.calls.reduce((n, c) => n + (c[1] ?? 0), 0) + copy.mock.calls.reduce((n, c) => n + ((c[3] ?? 0) - (c[2] ?? 0)), 0);
      expect(copied).toBe(frame.length);
      const small = encodeFrame(5, Buffer.alloc(1000));
      copy.mockClear();
      concat.mockClear();
      expect(r.push(small).length).toBe(1);
      expect(copy.mock.calls.length + concat.mock.calls.length).toBe(0);
    } finally {
      concat.mockRestore();
      copy.mockRestore();
    }
  });

  it('returns at most the frames asked for and keeps the rest, read later against a raised limit', () => {
    const r = new FrameReader(16);
    const stream = Buffer.concat([encodeFrame(1, Buffer.from('hi')), encodeFrame(2, Buffer.alloc(100))]);
    expect(r.push(stream, 1).map((f) => f.type)).toEqual([1]);
    expect(r.refused).toBeUndefined();
    r.maxFrameBytes = 1000;
    expect(r.drain().map((f) => [f.type, f.body.length])).toEqual([[2, 100]]);
    expect(r.pending).toBe(0);
  });
});

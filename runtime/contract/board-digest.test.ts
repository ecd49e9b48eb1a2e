/**
 * The board digest (docs/trace-schema.md §Board digest) against a reference written differently
 * (BigInt arithmetic, straight from the definition) and against MurmurHash3's published finaliser
 * value; its properties (order-independent, repeats count, iterations replace final ACC rows);
 * and the recorder hook feeding it raw events.
 */
import { describe, expect, it } from 'vitest';
import { BoardDigester, boardTerms, fmix32, parseBoardRing } from './board-digest.js';
import { Recorder, MemoryRecordSink } from '../../tracer/recorder.js';
import { makeTraceSpec } from '../../tracer/spec.js';

const M = (1n << 32n) - 1n;
function refFmix(h: bigint): bigint {
  h ^= h >> 16n;
  h = (h * 0x85ebca6bn) & M;
  h ^= h >> 13n;
  h = (h * 0xc2b2ae35n) & M;
  return h ^ (h >> 16n);
}
/** Definition: Σ fmix32(word ⊕ fmix32(wordAddr + streamId·0x9E3779B9)) mod 2^32 over LE words. */
function refDigest(words: [stream: number, wordAddr: number, word: number][]): number {
  let sum = 0n;
  for (const [s, a, w] of words) sum += refFmix(BigInt(w) ^ refFmix((BigInt(a) + BigInt(s) * 0x9e3779b9n) & M));
  return Number(sum & M);
}
const le = (...words: number[]) => new Uint8Array(new Uint32Array(words).buffer);
const INSN = le(0x11223344, 0x55667788, 0x99aabbcc, 0xddeeff00);
const insnWords = (stream: number): [number, number, number][] => [0x11223344, 0x55667788, 0x99aabbcc, 0xddeeff00].map((w, i) => [stream, i, w]);

describe('board digest', () => {
  it('uses MurmurHash3 fmix32', () => {
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7); // published test value of the finaliser
  });

  it('matches the definition for buffer and DRAM writes', () => {
    const b = new BoardDigester();
    b.write('sram.uop', 0, 2, le(1)); // uop element 2: one word at word address 2
    b.write('sram.inp', 0, 3, le(7, 8)); // 8-byte element 3: words 6, 7
    b.write('dram.store', 0, 0x1010, le(0xcafe)); // byte address 0x1010: word 0x404
    expect(b.retire(0, 'load', INSN)).toEqual({
      pc: 0,
      module: 'load',
      digest: refDigest([[3, 2, 1], [4, 6, 7], [4, 7, 8], [8, 0x404, 0xcafe], ...insnWords(0)]),
    });
  });

  it('does not depend on write order, but counts repeated writes', () => {
    const run = (order: number[], extra = false) => {
      const b = new BoardDigester();
      for (const i of order) b.write('sram.wgt', 5, i, le(i * 3, i + 1));
      if (extra) b.write('sram.wgt', 5, 0, le(0, 1));
      return b.retire(5, 'load', INSN).digest;
    };
    expect(run([0, 1, 2, 3])).toBe(run([3, 1, 0, 2]));
    expect(run([0, 1, 2, 3], true)).not.toBe(run([0, 1, 2, 3]));
  });

  it('takes a GEMM/ALU instruction\'s ACC writes from its iterations, a LOAD\'s from its writes', () => {
    const iter = (dst: number, ...row: number[]) => new Uint8Array([...le(dst, 0, 0), ...le(...row)]);
    const gemm = new BoardDigester();
    gemm.iter('gemm.iter', 1, iter(4, 10, 20)); // row 4 written twice: 10,20 then 11,21
    gemm.iter('gemm.iter', 1, iter(4, 11, 21));
    gemm.write('sram.acc', 1, 4, le(11, 21)); // the final value, already counted by the iterations
    expect(gemm.retire(1, 'compute', INSN).digest).toBe(refDigest([[6, 8, 10], [6, 9, 20], [6, 8, 11], [6, 9, 21], ...insnWords(1)]));

    const load = new BoardDigester();
    load.write('sram.acc', 2, 4, le(11, 21));
    expect(load.retire(2, 'compute', INSN).digest).toBe(refDigest([[6, 8, 11], [6, 9, 21], ...insnWords(1)]));
  });

  it('boardTerms sums a window of a buffer', () => {
    const data = le(5, 6, 7);
    expect(boardTerms(4, 10, data, 4, 8)).toBe(refDigest([[4, 10, 6], [4, 11, 7]]));
  });

  it('is fed raw events by the recorder, which asks for iterations even in outputs mode', () => {
    const board = new BoardDigester();
    const sink = new MemoryRecordSink();
    const rec = new Recorder(makeTraceSpec({ mode: 'outputs' }), 2, sink, board);
    expect(rec.wantsEvents && rec.wantsIters).toBe(true);
    rec.write('sram.inp', 0, 10, 1, le(9));
    rec.write('sram.inp', 0, 11, 1, le(9)); // a repeat: counted twice
    rec.retire(0, 'load', 12, INSN);
    rec.finish();
    expect(board.records).toEqual([{ pc: 0, module: 'load', digest: refDigest([[4, 1, 9], [4, 1, 9], ...insnWords(0)]) }]);
    expect(sink.chunks).toEqual([]); // outputs mode still stores no digests
    expect(sink.eventGroups).toEqual([]);
  });
});

describe('board ring', () => {
  const rec = (pc: number, module: number, digest: number, index: number) => le(pc, module, digest, index);
  it('reads the last records of a wrapped ring, oldest first', () => {
    // 3 slots, 5 records written: slots hold records 3, 4, 2.
    const ring = new Uint8Array([...rec(30, 1, 0xaaa, 3), ...rec(40, 2, 0xbbb, 4), ...rec(20, 0, 0xccc, 2)]);
    expect(parseBoardRing(ring, 5)).toEqual([
      { pc: 20, module: 'load', digest: 0xccc },
      { pc: 30, module: 'compute', digest: 0xaaa },
      { pc: 40, module: 'store', digest: 0xbbb },
    ]);
  });
  it('rejects a slot that does not hold the record it should', () => {
    expect(() => parseBoardRing(new Uint8Array([...rec(1, 0, 0, 0), ...rec(2, 0, 0, 7)]), 2)).toThrow(/expected record 1, found index 7/);
  });
});

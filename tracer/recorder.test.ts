import { describe, expect, it } from 'vitest';
import { BoardDigester } from '../runtime/contract/board-digest.js';
import { refDigest, type RefEvent } from './digest-reference.js';
import { STREAM_ID } from '../runtime/contract/events.js';
import { MemoryRecordSink, Recorder, type DigestChunk, type EventGroup } from './recorder.js';
import { makeTraceSpec, type TraceSpecOptions } from './spec.js';

const INSN = new Uint8Array(16).fill(7);
const row = (...b: number[]) => new Uint8Array(b);

function record(opts: TraceSpecOptions, insnCount: number, drive: (r: Recorder) => void) {
  const sink = new MemoryRecordSink();
  const r = new Recorder(makeTraceSpec(opts), insnCount, sink);
  drive(r);
  const summary = r.finish();
  return { sink, summary };
}

/** The documented digest (version 2) computed independently: the reference's sum of event terms. */
const expectedDigest = (events: RefEvent[]) => refDigest(events);

describe('Recorder', () => {
  it('canonicalises: write order and intermediate values do not change digests or events', () => {
    const a = record({ mode: 'sram' }, 1, (r) => {
      r.write('sram.acc', 0, 10, 2, row(1, 1));
      r.write('sram.acc', 0, 11, 1, row(9, 9));
      r.write('sram.acc', 0, 12, 2, row(5, 5)); // last value of address 2 wins
      r.write('sram.inp', 0, 12, 0, row(3));
      r.retire(0, 'compute', 20, INSN);
    });
    const b = record({ mode: 'sram' }, 1, (r) => {
      r.write('sram.inp', 0, 1, 0, row(3));
      r.write('sram.acc', 0, 2, 2, row(5, 5));
      r.write('sram.acc', 0, 3, 1, row(9, 9));
      r.retire(0, 'compute', 4, INSN);
    });
    expect(Array.from(a.sink.chunks[0]!.insnDigests)).toEqual(Array.from(b.sink.chunks[0]!.insnDigests));
    const acc = a.sink.eventGroups.find((g) => g.stream === 'sram.acc')!;
    expect(Array.from(acc.addrs)).toEqual([1, 2]);
    expect(Array.from(acc.data)).toEqual([9, 9, 5, 5]);
    // Streams come out in stream order, the retire record included.
    expect(a.sink.eventGroups.map((g) => g.stream)).toEqual(['insn.compute', 'sram.inp', 'sram.acc']);
  });

  it('computes the documented digest: canonical writes then the retire record', () => {
    const { sink } = record({ mode: 'digest' }, 1, (r) => {
      r.write('sram.acc', 0, 1, 3, row(0xa1, 0xa2));
      r.write('sram.inp', 0, 1, 0, row(0x10));
      r.retire(0, 'compute', 2, INSN);
    });
    const want = expectedDigest([
      { sid: STREAM_ID['sram.inp'], addr: 0, data: row(0x10) },
      { sid: STREAM_ID['sram.acc'], addr: 3, data: row(0xa1, 0xa2) },
      { sid: STREAM_ID['insn.compute'], addr: 0xffffffff, data: INSN },
    ]);
    expect(Array.from(sink.chunks[0]!.insnDigests)).toEqual(want);
    expect(sink.eventGroups).toEqual([]); // digest mode stores no events
  });

  it('a differing final value changes only that instruction digest', () => {
    const run = (v: number) =>
      record({ mode: 'digest' }, 3, (r) => {
        for (let pc = 0; pc < 3; pc++) {
          r.write('sram.acc', pc, pc, 0, row(pc === 1 ? v : 0));
          r.retire(pc, 'compute', pc, INSN);
        }
      }).sink.chunks[0]!;
    const x = run(1);
    const y = run(2);
    const pairs = (c: typeof x) => [0, 1, 2].map((i) => `${c.insnDigests[2 * i]}:${c.insnDigests[2 * i + 1]}`);
    const [px, py] = [pairs(x), pairs(y)];
    expect(px[0]).toBe(py[0]);
    expect(px[1]).not.toBe(py[1]);
    expect(px[2]).toBe(py[2]);
    expect(x.lo).not.toBe(y.lo);
  });

  it('emits a digest chunk as soon as its 256 instructions retired, even out of program order', () => {
    const { sink } = record({ mode: 'digest' }, 300, (r) => {
      for (let pc = 255; pc >= 0; pc--) r.retire(pc, 'load', pc, INSN);
      expect(sinkChunks(r)).toBe(1);
      for (let pc = 256; pc < 300; pc++) r.retire(pc, 'load', pc, INSN);
    });
    expect(sink.chunks.map((c) => [c.chunk, c.firstPc, c.count])).toEqual([
      [0, 0, 256],
      [1, 256, 44],
    ]);
    expect(sink.chunks.every((c) => c.present.every((p) => p === 1))).toBe(true);
    function sinkChunks(r: Recorder) {
      return ((r as unknown as { out: MemoryRecordSink }).out).chunks.length;
    }
  });

  it('applies buffer, instruction and cycle filters', () => {
    const { sink } = record({ mode: 'sram', buffers: 'acc', insn: '1:3', cycles: '0:100' }, 4, (r) => {
      for (let pc = 0; pc < 4; pc++) {
        r.write('sram.inp', pc, 50, 0, row(1));
        r.write('sram.acc', pc, pc === 2 ? 150 : 50, 0, row(2));
        r.retire(pc, 'compute', 60, INSN);
      }
    });
    const stored = sink.eventGroups.map((g) => `${g.pc}:${g.stream}`);
    expect(stored).toEqual(['1:insn.compute', '1:sram.acc', '2:insn.compute']); // pc 2's acc write is outside the cycle window
    const present = Array.from(sink.chunks[0]!.present);
    expect(present).toEqual([0, 1, 1, 0]);
  });

  it('the cycle window does not affect digests', () => {
    const run = (cycles?: string) =>
      record({ mode: 'sram', cycles }, 1, (r) => {
        r.write('sram.acc', 0, 500, 0, row(2));
        r.retire(0, 'compute', 600, INSN);
      }).sink;
    const narrowed = run('0:10');
    expect(narrowed.eventGroups).toEqual([]);
    expect(Array.from(narrowed.chunks[0]!.insnDigests)).toEqual(Array.from(run().chunks[0]!.insnDigests));
  });

  it('in outputs mode asks targets for no events', () => {
    const sink = new MemoryRecordSink();
    const r = new Recorder(makeTraceSpec({ mode: 'outputs' }), 2, sink);
    expect(r.wantsEvents).toBe(false);
    expect(r.wantsIters).toBe(false);
    r.retire(0, 'load', 5, INSN);
    r.finish();
    expect(sink.chunks).toEqual([]);
    expect(new Recorder(makeTraceSpec({ mode: 'full' }), 1, sink).wantsIters).toBe(true);
  });

  it('wants the writes of a stream only when it is stored or digested, or board digests need them', () => {
    const sink = new MemoryRecordSink();
    const wants = (r: Recorder) => (['sram.uop', 'sram.inp', 'sram.wgt', 'sram.acc', 'sram.out', 'dram.store'] as const).filter((s) => r.wants(s));
    expect(wants(new Recorder(makeTraceSpec({ mode: 'digest', buffers: 'acc,dram' }), 1, sink))).toEqual(['sram.acc', 'dram.store']);
    expect(wants(new Recorder(makeTraceSpec({ mode: 'sram' }), 1, sink))).toHaveLength(6);
    expect(wants(new Recorder(makeTraceSpec({ mode: 'outputs' }), 1, sink))).toEqual([]);
    expect(wants(new Recorder(makeTraceSpec({ mode: 'digest', buffers: 'acc' }), 1, sink, new BoardDigester()))).toHaveLength(6);
  });

  it('keeps the writes of an instruction that never retired and leaves it absent from the digests', () => {
    const { sink, summary } = record({ mode: 'sram' }, 2, (r) => {
      r.write('sram.acc', 0, 1, 0, row(1));
      r.retire(0, 'compute', 2, INSN);
      r.write('sram.acc', 1, 3, 4, row(9));
    });
    expect(summary.unretired).toEqual([1]);
    expect(sink.eventGroups.map((g) => `${g.pc}:${g.stream}`)).toEqual(['0:insn.compute', '0:sram.acc', '1:sram.acc']);
    expect(Array.from(sink.chunks[0]!.present)).toEqual([1, 0]);
    expect(summary.retired.compute).toBe(1);
    expect(summary.lastRetireCycle.compute).toBe(2);
  });

  it('lends groups to its sink: a sink that keeps a group without copying sees it change, MemoryRecordSink keeps its copy', () => {
    const lent: { data: Uint8Array; addrs: Uint32Array }[] = [];
    const memory = new MemoryRecordSink();
    const spy = {
      groups: (gs: EventGroup[]) => {
        for (const g of gs) if (g.stream === 'sram.acc') lent.push({ data: g.data, addrs: g.addrs });
        memory.groups(gs);
      },
      digestChunk: (c: DigestChunk) => memory.digestChunk(c),
    };
    const r = new Recorder(makeTraceSpec({ mode: 'sram' }), 2, spy);
    r.writeRun('sram.acc', 0, 1, 4, 1, 2, 2, row(1, 2, 3, 4));
    r.retire(0, 'compute', 2, INSN);
    const firstData = Array.from(lent[0]!.data);
    r.writeRun('sram.acc', 1, 3, 6, 1, 2, 2, row(9, 9, 8, 8));
    r.retire(1, 'compute', 4, INSN);
    r.finish();
    expect(firstData).toEqual([1, 2, 3, 4]);
    const kept = memory.eventGroups.filter((g) => g.stream === 'sram.acc');
    expect(kept.map((g) => [g.pc, Array.from(g.addrs), Array.from(g.data)])).toEqual([
      [0, [4, 5], [1, 2, 3, 4]],
      [1, [6, 7], [9, 9, 8, 8]],
    ]);
    // The recorder reused the first instruction's memory for the second (why sinks copy).
    expect(Array.from(lent[0]!.addrs)).toEqual([6, 7]);
  });

  it('copies payloads so a target may reuse its row buffer', () => {
    const buf = row(1, 2);
    const { sink } = record({ mode: 'sram' }, 1, (r) => {
      r.write('sram.acc', 0, 1, 0, buf);
      buf[0] = 99;
      r.write('sram.acc', 0, 1, 1, buf);
      r.retire(0, 'compute', 2, INSN);
    });
    expect(Array.from(sink.eventGroups.find((g) => g.stream === 'sram.acc')!.data)).toEqual([1, 2, 99, 2]);
  });

  it('takes runs of elements: the documented digest and events, views copied, later writes of the same address winning', () => {
    const mem = row(1, 2, 3, 4, 5, 6);
    const { sink } = record({ mode: 'sram' }, 1, (r) => {
      // Elements 10, 11, 12 of two bytes each, from one view.
      r.writeRun('sram.acc', 0, 1, 10, 1, 3, 2, mem);
      mem.fill(0); // the target goes on writing its memory
      r.writeRun('sram.acc', 0, 2, 11, 1, 1, 2, row(8, 8)); // rewrites element 11
      // DRAM bytes 0x40 and 0x44 (step 4) of four bytes each.
      r.writeRun('dram.store', 0, 3, 0x40, 4, 2, 4, row(9, 9, 9, 9, 7, 7, 7, 7));
      r.retire(0, 'compute', 4, INSN);
    });
    const want = expectedDigest([
      { sid: STREAM_ID['sram.acc'], addr: 10, data: row(1, 2) },
      { sid: STREAM_ID['sram.acc'], addr: 11, data: row(8, 8) },
      { sid: STREAM_ID['sram.acc'], addr: 12, data: row(5, 6) },
      { sid: STREAM_ID['dram.store'], addr: 0x40, data: row(9, 9, 9, 9) },
      { sid: STREAM_ID['dram.store'], addr: 0x44, data: row(7, 7, 7, 7) },
      { sid: STREAM_ID['insn.compute'], addr: 0xffffffff, data: INSN },
    ]);
    expect(Array.from(sink.chunks[0]!.insnDigests)).toEqual(want);
    const acc = sink.eventGroups.find((g) => g.stream === 'sram.acc')!;
    expect(Array.from(acc.addrs)).toEqual([10, 11, 12]);
    expect(Array.from(acc.data)).toEqual([1, 2, 8, 8, 5, 6]);
    const dram = sink.eventGroups.find((g) => g.stream === 'dram.store')!;
    expect(Array.from(dram.addrs)).toEqual([0x40, 0x44]);
    expect(Array.from(dram.data)).toEqual([9, 9, 9, 9, 7, 7, 7, 7]);
  });

  it('a run records what the same writes one by one record, in digest and sram mode', () => {
    const data = Uint8Array.from({ length: 40 }, (_, i) => (i * 37) & 0xff);
    for (const mode of ['digest', 'sram'] as const) {
      const drive = (runs: boolean) => (r: Recorder) => {
        for (let pc = 0; pc < 3; pc++) {
          if (runs) r.writeRun('sram.inp', pc, pc, 5 - pc, 1, 10, 4, data);
          else for (let k = 0; k < 10; k++) r.write('sram.inp', pc, pc, 5 - pc + k, data.subarray(4 * k, 4 * k + 4));
          r.write('sram.inp', pc, pc, 7, row(pc)); // out of order after the run: canonicalised
          r.retire(pc, 'load', pc, INSN);
        }
      };
      const a = record({ mode }, 3, drive(true)).sink;
      const b = record({ mode }, 3, drive(false)).sink;
      expect(a.chunks).toEqual(b.chunks);
      expect(a.eventGroups).toEqual(b.eventGroups);
    }
  });

  it('a run with a cycle per element stores each element at its own cycle, and a cycle window keeps only those inside', () => {
    const bytes = row(1, 2, 3, 4, 5, 6);
    const cycles = Float64Array.of(5, 7, 9);
    const drive = (r: Recorder) => {
      // Elements 20, 23, 26 (step 3), written at cycles 5, 7 and 9.
      r.writeRun('sram.acc', 0, 5, 20, 3, 3, 2, bytes, cycles);
      r.retire(0, 'compute', 10, INSN);
    };
    const all = record({ mode: 'sram' }, 1, drive).sink.eventGroups.find((g) => g.stream === 'sram.acc')!;
    expect([Array.from(all.addrs), Array.from(all.cycles), Array.from(all.data)]).toEqual([[20, 23, 26], [5, 7, 9], [1, 2, 3, 4, 5, 6]]);
    const windowed = record({ mode: 'sram', cycles: '6:8' }, 1, drive).sink.eventGroups.find((g) => g.stream === 'sram.acc')!;
    expect([Array.from(windowed.addrs), Array.from(windowed.cycles)]).toEqual([[23], [7]]);
  });

  it('canonicalises unordered writes the same below and above 2^17 writes per instruction (two sorts)', () => {
    for (const n of [1000, (1 << 17) + 1000]) {
      // Addresses 0…n/2−1, each written twice in a scrambled order; the value of the later write wins.
      const half = n / 2;
      const order = Array.from({ length: n }, (_, i) => (i * 7919) % n);
      const last = new Map<number, number>();
      const { sink } = record({ mode: 'sram', buffers: 'inp' }, 1, (r) => {
        for (const k of order) {
          const addr = k % half;
          const value = (k * 31) & 0xff;
          r.write('sram.inp', 0, 1, addr, row(value));
          last.set(addr, value);
        }
        r.retire(0, 'load', 2, INSN);
      });
      const inp = sink.eventGroups.filter((g) => g.stream === 'sram.inp');
      const addrs = inp.flatMap((g) => Array.from(g.addrs));
      const values = inp.flatMap((g) => Array.from(g.data));
      expect(addrs, `n = ${n}`).toEqual(Array.from({ length: half }, (_, a) => a));
      expect(values, `n = ${n}`).toEqual(addrs.map((a) => last.get(a)));
    }
  });

  it('a run that would wrap past 2^32 records (and feeds the board digester) what the writes one by one do', () => {
    const data = row(1, 1, 1, 1, 2, 2, 2, 2);
    const drive = (runs: boolean) => {
      const board = new BoardDigester();
      const sink = new MemoryRecordSink();
      const r = new Recorder(makeTraceSpec({ mode: 'sram' }), 1, sink, board);
      // DRAM bytes 0xfffffffc and 0x100000000: the second address does not fit a u32 key.
      if (runs) r.writeRun('dram.store', 0, 1, 0xfffffffc, 4, 2, 4, data);
      else for (let k = 0; k < 2; k++) r.write('dram.store', 0, 1, 0xfffffffc + 4 * k, data.subarray(4 * k, 4 * k + 4));
      r.retire(0, 'store', 2, INSN);
      r.finish();
      return { sink, records: board.records };
    };
    const a = drive(true);
    const b = drive(false);
    expect(a.records).toHaveLength(1);
    expect(a.records).toEqual(b.records);
    expect(a.sink.chunks).toEqual(b.sink.chunks);
    expect(a.sink.eventGroups).toEqual(b.sink.eventGroups);
  });

  it('digests the same with WebAssembly lanes as in JavaScript, and as the reference', () => {
    // 600 instructions (three chunks), retired out of order, some retiring twice; runs of rows
    // long enough for the lanes and single writes, payloads of several lengths, rows rewritten
    // out of order (the last value wins), a buffer filter leaving some writes out of the digest.
    const STREAMS = ['sram.inp', 'sram.acc'] as const;
    const plan = (pc: number) => {
      const writes: { stream: (typeof STREAMS)[number]; first: number; count: number; len: number; bytes: Uint8Array }[] = [];
      for (let e = 0; e < pc % 5; e++) {
        const len = e % 2 ? 64 : 4 + ((pc + e) % 3) * 6;
        const count = e % 2 ? 1 + ((pc + e) % 6) : 1;
        writes.push({ stream: STREAMS[e % 2]!, first: (pc * 3 + e * 2) % 64, count, len, bytes: Uint8Array.from({ length: count * len }, (_, k) => pc * 7 + k * 13 + e) });
      }
      return writes;
    };
    const order = [...Array.from({ length: 600 }, (_, k) => (k * 7) % 600), 5, 300];
    const insnOf = (pc: number) => Uint8Array.from({ length: 16 }, (_, k) => pc ^ k);
    const drive = (r: Recorder) => {
      for (const pc of order) {
        for (const w of plan(pc)) {
          if (w.count > 1) r.writeRun(w.stream, pc, pc, w.first, 1, w.count, w.len, w.bytes);
          else r.write(w.stream, pc, pc, w.first, w.bytes);
        }
        r.retire(pc, pc % 3 === 0 ? 'load' : 'compute', pc, insnOf(pc));
      }
    };
    const reference = (buffers: string | undefined) => {
      const out = new Array<number>(1200);
      for (const pc of order) {
        const last = new Map<string, RefEvent>();
        for (const w of plan(pc)) {
          if (buffers && !w.stream.endsWith(buffers)) continue;
          for (let k = 0; k < w.count; k++) last.set(`${w.stream}:${w.first + k}`, { sid: STREAM_ID[w.stream], addr: w.first + k, data: w.bytes.subarray(k * w.len, (k + 1) * w.len) });
        }
        const rsid = STREAM_ID[pc % 3 === 0 ? 'insn.load' : 'insn.compute'];
        [out[2 * pc], out[2 * pc + 1]] = expectedDigest([...last.values(), { sid: rsid, addr: 0xffffffff, data: insnOf(pc) }]);
      }
      return out;
    };
    for (const buffers of [undefined, 'acc']) {
      const spec = makeTraceSpec({ mode: 'digest', buffers });
      const [a, b] = [true, false].map((lanes) => {
        const sink = new MemoryRecordSink();
        const r = new Recorder(spec, 600, sink, undefined, lanes);
        drive(r);
        r.finish();
        return sink.chunks;
      });
      expect(a!.length).toBe(3);
      expect(a).toEqual(b);
      const got = a!.flatMap((c) => Array.from(c.insnDigests));
      expect(got).toEqual(reference(buffers));
    }
  });

  it('stores in-order writes as the general path does: streams in order, a part per payload length', () => {
    const drive = (general: boolean) => (r: Recorder) => {
      if (general) r.write('sram.inp', 0, 1, 3, row(9)); // superseded below, and out of order
      r.write('sram.inp', 0, 1, 2, row(1));
      r.write('sram.inp', 0, 1, 3, row(2));
      r.writeRun('sram.acc', 0, 2, 4, 1, 2, 2, row(3, 3, 4, 4));
      r.write('sram.acc', 0, 3, 6, row(5, 5, 5));
      r.write('sram.acc', 0, 3, 7, row(6, 6));
      r.write('dram.store', 0, 4, 0x10, row(7, 7, 7, 7));
      r.retire(0, 'compute', 5, INSN);
    };
    // An out-of-order write takes the general path (sort, last write wins).
    const general = record({ mode: 'sram' }, 1, drive(true)).sink.eventGroups;
    const inOrder = record({ mode: 'sram' }, 1, drive(false)).sink.eventGroups;
    expect(inOrder).toEqual(general);
    expect(inOrder.map((g) => `${g.stream}/${g.part}:${Array.from(g.addrs).join(',')}`)).toEqual([
      'insn.compute/0:4294967295',
      'sram.inp/0:2,3',
      'sram.acc/0:4,5',
      'sram.acc/1:6',
      'sram.acc/2:7',
      'dram.store/0:16',
    ]);
    expect(Array.from(inOrder[2]!.data)).toEqual([3, 3, 4, 4]);
    expect(Array.from(inOrder[2]!.cycles)).toEqual([2, 2]);
  });
});

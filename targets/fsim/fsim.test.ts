/**
 * fsim behaviour beyond the recorded programs: token gating, deadlock and hang reports, program
 * errors as crashes, and the fork ALU opcodes — each on a tiny hand-assembled program whose result
 * is computed by hand here.
 */
import { describe, expect, it } from 'vitest';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import type { VtaParams } from '../../runtime/config/config.js';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { encodeProgram, encodeUop } from '../../runtime/isa/codec.js';
import { NO_DEPS, type Insn } from '../../runtime/isa/insn.js';
import { createFsimTarget } from './fsim-target.js';
import { parseFault } from './faults.js';
import { collectingSink, nullSink } from './testing.js';

const small = resolveConfig('small'); // 1x4x4: ACC element = 4 int32 lanes = 16 bytes
const fork = resolveConfig('small-fork');

const mem = { ...NO_DEPS, is_pad_min_value: 0, y_pad_0: 0, y_pad_1: 0, x_pad_0: 0, x_pad_1: 0 };
const FINISH: Insn = { ...NO_DEPS, opcode: 3 };

/** DRAM: insn at 0x1000, uop at 0x2000, acc at 0x3000, out at 0x4000 (one page each). */
function bundle(p: VtaParams, insns: Insn[], acc: number[], uops: number[]): ProgramBundle {
  const accBytes = new Uint8Array(new Int32Array(acc).buffer);
  const uopBytes = new Uint8Array(new Uint32Array(uops.length ? uops : [0]).buffer);
  const insnBytes = encodeProgram(p, insns);
  return {
    params: p,
    insnAddr: 0x1000,
    insnCount: insns.length,
    buffers: [
      { name: 'insn', role: 'insn', addr: 0x1000, bytes: insnBytes },
      { name: 'uop', role: 'uop', addr: 0x2000, bytes: uopBytes },
      { name: 'acc', role: 'acc', addr: 0x3000, bytes: accBytes },
      { name: 'out', role: 'out', addr: 0x4000, bytes: new Uint8Array(64) },
    ],
    outputs: [{ name: 'out', addr: 0x4000, size: 64 }],
    sourceMap: insns.map(() => null),
  };
}

const loadUop = (n: number, extra: Partial<Insn> = {}): Insn => ({ ...mem, opcode: 0, memory_type: 0, sram_base: 0, dram_base: 0x2000 / 4, y_size: 1, x_size: n, x_stride: n, ...extra }) as Insn;
const loadAcc = (n: number, extra: Partial<Insn> = {}): Insn => ({ ...mem, opcode: 0, memory_type: 3, sram_base: 0, dram_base: 0x3000 / 16, y_size: 1, x_size: n, x_stride: n, ...extra }) as Insn;
const store = (n: number, extra: Partial<Insn> = {}): Insn => ({ ...mem, opcode: 1, memory_type: 4, sram_base: 0, dram_base: 0x4000 / 4, y_size: 1, x_size: n, x_stride: n, ...extra }) as Insn;
const alu = (op: number, imm: number, useImm = 1, n = 1, extra: Partial<Insn> = {}): Insn =>
  ({ ...NO_DEPS, opcode: 4, reset_reg: 0, uop_bgn: 0, uop_end: 1, iter_out: 1, iter_in: n, dst_factor_out: 0, dst_factor_in: 1, src_factor_out: 0, src_factor_in: 1, alu_opcode: op, use_imm: useImm, imm, ...extra }) as Insn;

describe('fsim', () => {
  const fsim = createFsimTarget();

  it('reports a STORE of back-to-back rows as one run, and a strided one row by row, with the bytes written', async () => {
    // ACC elements e = 0..5 hold lanes (e, 10+e, 20+e, 30+e); OUT keeps each lane's low byte (4 bytes an element).
    const acc = Array.from({ length: 24 }, (_, k) => 10 * (k % 4) + Math.floor(k / 4));
    for (const [xStride, runs] of [
      [3, [[0x4000, 6]]],
      [4, [[0x4000, 3], [0x4010, 3]]],
    ] as const) {
      // Compute loads ACC and adds 0 to element 0, then the store runs, then FINISH (tokens order them).
      const prog = [
        loadUop(1),
        loadAcc(6),
        alu(2, 0, 1, 1, { push_next_dep: 1 }),
        store(3, { y_size: 2, x_stride: xStride, pop_prev_dep: 1, push_prev_dep: 1 }),
        { ...FINISH, pop_next_dep: 1 },
      ];
      const seen: [number, number][] = [];
      const written: [number, number[]][] = [];
      const sink = {
        ...collectingSink(),
        writeRun: (stream: string, _pc: number, _c: number, first: number, step: number, count: number, len: number, bytes: Uint8Array) => {
          if (stream !== 'dram.store') return;
          seen.push([first, count]);
          for (let k = 0; k < count; k++) written.push([first + k * step, Array.from(bytes.subarray(k * len, (k + 1) * len))]);
        },
      };
      expect((await fsim.run({ bundle: bundle(small, prog, acc, []), sink })).status).toBe('ok');
      expect(seen).toEqual(runs);
      const rowStart = [0x4000, 0x4000 + 4 * xStride];
      expect(written).toEqual(Array.from({ length: 6 }, (_, e) => [rowStart[Math.floor(e / 3)]! + 4 * (e % 3), [e, 10 + e, 20 + e, 30 + e]]));
    }
  });

  it('adds an immediate and stores the low bytes; compute→store tokens order the store', async () => {
    const uop = encodeUop(small, { dst_idx: 0, src_idx: 0, wgt_idx: 0 });
    const prog = [loadUop(1), loadAcc(1), alu(2, -3, 1, 1, { push_next_dep: 1 }), store(1, { pop_prev_dep: 1, push_prev_dep: 1 }), { ...FINISH, pop_next_dep: 1 }];
    const r = await fsim.run({ bundle: bundle(small, prog, [1, 2, 300, -5], [uop]), sink: nullSink });
    expect(r.status).toBe('ok');
    // 1-3 = -2 → 0xfe; 2-3 = -1 → 0xff; 300-3 = 297 → 0x29; -5-3 = -8 → 0xf8.
    expect([...r.outputs[0]!.bytes.subarray(0, 4)]).toEqual([0xfe, 0xff, 0x29, 0xf8]);
    expect(r.counters.insns).toEqual({ load: 0, compute: 4, store: 1 });
  });

  it('reports a deadlock naming the blocked instruction and the empty queue', async () => {
    // The store pops cmp→st but nothing ever pushes it.
    const prog = [store(1, { pop_prev_dep: 1 }), FINISH];
    const r = await fsim.run({ bundle: bundle(small, prog, [0, 0, 0, 0], []), sink: nullSink });
    // FINISH runs on compute without waiting, so the run finishes; make FINISH wait for the store.
    expect(r.status).toBe('ok');
    const stuck = [store(1, { pop_prev_dep: 1, push_prev_dep: 1 }), { ...FINISH, pop_next_dep: 1 }];
    const d = await fsim.run({ bundle: bundle(small, stuck, [0, 0, 0, 0], []), sink: nullSink });
    expect(d.status).toBe('deadlock');
    expect(d.blocked).toEqual([
      { pc: 1, module: 'compute', queue: 'st2cmp' },
      { pc: 0, module: 'store', queue: 'cmp2st' },
    ]);
    expect(d.message).toContain('instruction #0 (store) waits on empty queue cmp2st');
  });

  it('an index beyond the buffer is a crash naming the instruction', async () => {
    const prog = [loadAcc(1, { sram_base: small.accDepth }), FINISH];
    const r = await fsim.run({ bundle: bundle(small, prog, [0, 0, 0, 0], []), sink: nullSink });
    expect(r.status).toBe('crash');
    expect(r.message).toBe(`instruction #0: ACC index ${small.accDepth} is beyond the buffer depth ${small.accDepth}`);
  });

  it('a program without FINISH is a crash, and a cycle limit is a hang', async () => {
    const r = await fsim.run({ bundle: bundle(small, [loadAcc(1)], [0, 0, 0, 0], []), sink: nullSink });
    expect(r.status).toBe('crash');
    expect(r.message).toMatch(/without a FINISH/);
    const h = await fsim.run({ bundle: bundle(small, [loadAcc(1), FINISH], [0, 0, 0, 0], []), sink: nullSink, limits: { maxCycles: 3 } });
    expect(h.status).toBe('hang');
  });

  it('a flag the executing module does not have is a crash', async () => {
    // An INP load runs on the load module, which has no "previous" queue.
    const bad = { ...loadAcc(1), memory_type: 2, dram_base: 0x3000 / 4, pop_prev_dep: 1 } as Insn;
    const r = await fsim.run({ bundle: bundle(small, [bad, FINISH], [0, 0, 0, 0], []), sink: nullSink });
    expect(r.status).toBe('crash');
    expect(r.message).toBe('instruction #0: pop_prev_dep is set but the load module has no such queue');
  });

  it('fork opcodes: CLP clamps into [-imm, imm], MOV copies, MUL8 multiplies the low bytes', async () => {
    const uop = encodeUop(fork, { dst_idx: 0, src_idx: 0, wgt_idx: 0 });
    const run = async (op: number, imm: number, acc: number[]) => {
      const prog = [loadUop(1), loadAcc(1), alu(op, imm, 1, 1, { push_next_dep: 1 }), store(1, { pop_prev_dep: 1, push_prev_dep: 1 }), { ...FINISH, pop_next_dep: 1 }];
      const r = await createFsimTarget().run({ bundle: bundle(fork, prog, acc, [uop]), sink: nullSink });
      return [...new Int8Array(r.outputs[0]!.bytes.buffer, r.outputs[0]!.bytes.byteOffset, 4)];
    };
    expect(await run(4, 5, [-9, 3, 7, -5])).toEqual([-5, 3, 5, -5]);
    expect(await run(5, -7, [1, 2, 3, 4])).toEqual([-7, -7, -7, -7]);
    // 0x1ff has low byte -1: -1 · 3 = -3; 10 · 3 = 30.
    expect(await run(6, 3, [0x1ff, 10, 0, -2])).toEqual([-3, 30, 0, -6]);
  });

  it('reports each distinct ACC row an ALU instruction wrote once, before its retire', async () => {
    const uop = encodeUop(small, { dst_idx: 0, src_idx: 0, wgt_idx: 0 });
    // Two iterations over ACC rows 0 and 1, then the same rows again through iter_out.
    const prog = [loadUop(1), loadAcc(2), alu(2, 1, 1, 2, { iter_out: 2, dst_factor_out: 0 }), FINISH];
    const sink = collectingSink();
    await fsim.run({ bundle: bundle(small, prog, [0, 0, 0, 0, 10, 10, 10, 10], [uop]), sink });
    const aluWrites = sink.got.writes.filter((w) => w.pc === 2);
    expect(aluWrites.map((w) => w.addr)).toEqual([0, 1]);
    expect([...new Int32Array(aluWrites[1]!.data.buffer)]).toEqual([12, 12, 12, 12]);
    expect(sink.got.retires.map((r) => r.pc)).toEqual([0, 1, 2, 3]);
  });
});

describe('fault specs', () => {
  it('parse, and reject bad text with a message naming the problem', () => {
    expect(parseFault('alu-op:pc=12,op=2')).toEqual({ kind: 'alu-op', pc: 12, op: 2 });
    // The refusal shows how each fault is written, parameters included.
    expect(() => parseFault('flip:pc=1')).toThrow(
      'unknown fault "flip"; known: alu-op:pc=N,op=N, gemm-lane:pc=N,lane=N, wgt-row:pc=N,row=N, pad-off-by-one:pc=N, drop-token:pc=N',
    );
    expect(() => parseFault('alu-op:pc=1')).toThrow(/missing parameter op=N/);
    expect(() => parseFault('drop-token:pc=1,lane=2')).toThrow(/unknown parameter "lane"/);
  });
});

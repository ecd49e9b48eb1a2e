/**
 * The builder: programs it emits run on fsim and give the golden result (including a
 * double-buffered schedule with two virtual threads), the upstream token/NOP rules, micro-kernel
 * reuse, and every refusal with the instruction it names.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/fixtures.js';
import type { VtaParams } from '../config/config.js';
import type { ProgramBundle } from '../bundle/bundle.js';
import { decodeProgram } from '../isa/codec.js';
import { NO_DEPS, type Insn } from '../isa/insn.js';
import { MEM_ID } from '../isa/layout.js';
import { matmulInt8, truncateToInt8 } from '../golden/index.js';
import { createFsimTarget } from '../../targets/fsim/fsim-target.js';
import { nullSink } from '../../targets/fsim/testing.js';
import { ProgramBuilder } from './program-builder.js';
import { ProgramError } from './program-error.js';
import { packBlocked, tilesOf } from './tensor-layout.js';
import { VirtualThreads } from './virtual-threads.js';

const small = resolveConfig('small'); // 1×4×4; INP/WGT/ACC/UOP depth 256
const fork = resolveConfig('small-fork');

async function runOnFsim(bundle: ProgramBundle): Promise<Uint8Array> {
  const r = await createFsimTarget().run({ bundle, sink: nullSink });
  expect(r.status, r.message).toBe('ok');
  return r.outputs[0]!.bytes;
}

/** Deterministic int8 test data: a small linear congruential sequence. */
function int8Data(n: number, seed: number): Int8Array {
  let s = seed;
  return Int8Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) >>> 0), (s >>> 16) % 256) - 128);
}

/** Matrices for C = A · Wᵀ, packed for the configuration. */
function matrices(p: VtaParams, rows: number, inner: number, cols: number, seed: number) {
  const a = int8Data(rows * inner, seed);
  const w = int8Data(cols * inner, seed + 1);
  const t = tilesOf(p);
  return {
    a,
    w,
    inp: packBlocked(a, { n: rows, c: inner, ...t.inp }, 1),
    wgt: packBlocked(w, { n: cols, c: inner, ...t.wgt }, 1),
    expected: packBlocked(truncateToInt8(matmulInt8(a, w, rows, inner, cols)), { n: rows, c: cols, ...t.out }, 1),
  };
}

function decoded(bundle: ProgramBundle): Insn[] {
  const buf = bundle.buffers.find((b) => b.role === 'insn')!;
  return decodeProgram(bundle.params, buf.bytes);
}

describe('program builder on fsim', () => {
  it('one GEMM tile: load, reset, accumulate, store equals the golden matmul', async () => {
    const p = small;
    const m = matrices(p, 1, 8, 4, 1); // 1 row tile, 2 inner tiles, 1 output tile
    const b = new ProgramBuilder(p);
    const inp = b.alloc('inp', 'inp', m.inp);
    const wgt = b.alloc('wgt', 'wgt', m.wgt);
    const out = b.alloc('out', 'out', m.expected.length);
    b.output(out);
    b.at('gemm');
    b.load('inp', 0, { buffer: inp, rows: 1, cols: 2 });
    b.load('wgt', 0, { buffer: wgt, rows: 1, cols: 2 });
    b.depPush('load', 'compute');
    b.depPop('load', 'compute');
    b.gemm({ uops: [{ dst: 0 }] }, { reset: true });
    b.gemm({ uops: [{ dst: 0, src: 0, wgt: 0 }], loops: [{ count: 2, src: 1, wgt: 1 }] });
    b.depPush('compute', 'store');
    b.depPop('compute', 'store');
    b.store(0, { buffer: out, rows: 1, cols: 1 });
    const bundle = b.finish();
    expect(await runOnFsim(bundle)).toEqual(m.expected);
    expect(bundle.sourceMap.every((s) => s !== null)).toBe(true);
  });

  it('a double-buffered schedule (two virtual threads, alternating SRAM halves) gives the golden result without deadlock', async () => {
    for (const name of ['small', 'default', 'rect-8x16']) {
      const p = resolveConfig(name);
      // An odd number of row tiles: the last turn has one thread, and slots must still alternate.
      const rowTiles = 5;
      const innerTiles = 3;
      const rows = rowTiles * p.batch;
      const m = matrices(p, rows, innerTiles * p.blockIn, p.blockOut, 7);
      const b = new ProgramBuilder(p);
      const inp = b.alloc('inp', 'inp', m.inp);
      const wgt = b.alloc('wgt', 'wgt', m.wgt);
      const out = b.alloc('out', 'out', m.expected.length);
      b.output(out);
      const vt = new VirtualThreads(b, 2);
      const half = (slot: number) => slot * innerTiles; // INP and WGT slot bases
      vt.begin();
      // One output row tile per thread turn: each phase works on the SRAM slot the protocol hands out.
      for (let r = 0; r < rowTiles; r += 2) {
        const turn = [r, r + 1].filter((x) => x < rowTiles);
        turn.forEach((row, v) => {
          b.at('matmul', { row, vthread: v });
          vt.load((s) => {
            b.load('inp', half(s), { buffer: inp, offset: row * innerTiles, rows: 1, cols: innerTiles });
            b.load('wgt', half(s), { buffer: wgt, rows: 1, cols: innerTiles });
          });
        });
        turn.forEach((row, v) => {
          b.at('matmul', { row, vthread: v });
          const acc = vt.acquireAcc();
          vt.compute((s) => {
            b.gemm({ uops: [{ dst: acc }] }, { reset: true });
            b.gemm({ uops: [{ dst: acc, src: half(s), wgt: half(s) }], loops: [{ count: innerTiles, src: 1, wgt: 1 }] });
          });
        });
        turn.forEach((row, v) => {
          b.at('matmul', { row, vthread: v });
          vt.store((acc) => b.store(acc, { buffer: out, offset: row, rows: 1, cols: 1 }));
        });
      }
      vt.end();
      const bundle = b.finish();
      expect(await runOnFsim(bundle), name).toEqual(m.expected);
      expect(bundle.sourceMap.some((s) => s?.loop?.vthread === 1)).toBe(true);
    }
  });
});

describe('dependency tokens, upstream style', () => {
  function skeleton(build: (b: ProgramBuilder) => void): Insn[] {
    const b = new ProgramBuilder(small);
    const data = b.alloc('inp', 'inp', 64);
    (b as unknown as { data: typeof data }).data = data;
    build(b);
    return decoded(b.finish());
  }
  const inpLoad = (b: ProgramBuilder) => b.load('inp', 0, { buffer: b.dram.buffers[0]!, rows: 1, cols: 1 });

  it('DepPush sets the flag on the last instruction of its module, else appends a NOP; DepPop waits for the next instruction', () => {
    const insns = skeleton((b) => {
      inpLoad(b);
      b.depPush('load', 'compute'); // on the load
      b.depPush('load', 'compute'); // flag taken: a load NOP
      b.depPop('load', 'compute');
      b.depPop('load', 'compute'); // second pending pop: a compute NOP for the first
      b.gemm({ uops: [{ dst: 0 }] }, { reset: true }); // LOAD UOP takes the pending pop
    });
    expect(insns[0]).toMatchObject({ opcode: 0, memory_type: MEM_ID.INP, x_size: 1, push_next_dep: 1 });
    expect(insns[1]).toMatchObject({ opcode: 0, memory_type: MEM_ID.INP, x_size: 0, push_next_dep: 1 });
    expect(insns[2]).toMatchObject({ opcode: 0, memory_type: MEM_ID.UOP, x_size: 0, pop_prev_dep: 1 });
    expect(insns[3]).toMatchObject({ opcode: 0, memory_type: MEM_ID.UOP, x_size: 1, pop_prev_dep: 1 });
    expect(insns[4]).toMatchObject({ opcode: 2, reset_reg: 1, pop_prev_dep: 0 });
    // finish: store NOP pushes st→cmp, load NOP pushes ld→cmp, compute NOP pops both, FINISH plain.
    expect(insns.slice(5)).toMatchObject([
      { opcode: 1, x_size: 0, push_prev_dep: 1 },
      { opcode: 0, memory_type: MEM_ID.INP, x_size: 0, push_next_dep: 1 },
      { opcode: 0, memory_type: MEM_ID.UOP, x_size: 0, pop_prev_dep: 1, pop_next_dep: 1 },
      { opcode: 3, ...NO_DEPS },
    ]);
  });

  it('reuses a resident micro-kernel and reloads after eviction by wrap-around', () => {
    const p = small; // uop depth 256
    const b = new ProgramBuilder(p);
    const k = { uops: [{ dst: 0 }, { dst: 1 }] };
    const big = { uops: Array.from({ length: 255 }, (_, i) => ({ dst: i })) };
    b.gemm(k, { reset: true }); // LOAD UOP [0,2) + GEMM
    b.gemm(k, { reset: true }); // resident: GEMM only
    b.gemm(big, { reset: true }); // does not fit after 2: wraps to 0, evicts k
    b.gemm(k, { reset: true }); // reloaded at 255? no: 255 + 2 > 256 wraps to 0 again
    const insns = decoded(b.finish());
    const uopLoads = insns.filter((i) => i.opcode === 0 && i.memory_type === MEM_ID.UOP && i.x_size > 0);
    expect(uopLoads.map((i) => (i.opcode === 0 ? [i.sram_base, i.x_size] : []))).toEqual([
      [0, 2],
      [0, 255],
      [0, 2],
    ]);
    const gemms = insns.filter((i) => i.opcode === 2);
    expect(gemms.map((g) => (g.opcode === 2 ? [g.uop_bgn, g.uop_end] : []))).toEqual([
      [0, 2],
      [0, 2],
      [0, 255],
      [0, 2],
    ]);
  });
});

describe('refusals name the instruction and the reason', () => {
  function refusal(p: VtaParams, build: (b: ProgramBuilder) => void): ProgramError {
    const b = new ProgramBuilder(p);
    try {
      build(b);
      b.finish();
    } catch (e) {
      expect(e).toBeInstanceOf(ProgramError);
      return e as ProgramError;
    }
    throw new Error('the builder accepted the program');
  }
  const buf = (b: ProgramBuilder, bytes = 4096) => b.alloc(`d${b.dram.buffers.length}`, 'inp', bytes);

  it('scratchpad overflow: INP load, ACC via a GEMM loop, UOP kernel, STORE', () => {
    let e = refusal(small, (b) => {
      const d = buf(b);
      b.load('inp', 0, { buffer: d, rows: 1, cols: 1 });
      b.at('conv2d', { oc: 1 });
      b.load('inp', 250, { buffer: d, rows: 2, cols: 4 }); // 250 + 8 > 256
    });
    expect(e.index).toBe(1);
    expect(e.message).toBe('instruction #1 (conv2d oc=1): INP scratchpad overflow: LOAD INP of 8 elements from 250 reaches index 257, depth is 256');
    e = refusal(small, (b) => b.gemm({ uops: [{ dst: 10 }], loops: [{ count: 3, dst: 130 }] }, { reset: true }));
    expect(e.message).toMatch(/^instruction #0: ACC scratchpad overflow: GEMM destination index reaches 270, depth is 256/);
    e = refusal(small, (b) => b.gemm({ uops: [{ dst: 0, src: 200 }], loops: [{ count: 2, src: 60 }] }));
    expect(e.message).toMatch(/INP scratchpad overflow: GEMM input index reaches 260, depth is 256/);
    e = refusal(small, (b) => b.alu('add', { uops: Array.from({ length: 257 }, (_, i) => ({ dst: i % 200 })) }, { imm: 1 }));
    expect(e.message).toMatch(/UOP scratchpad overflow: a kernel of 257 micro-ops exceeds the depth 256/);
    e = refusal(small, (b) => b.store(200, { buffer: buf(b), rows: 8, cols: 8 }));
    expect(e.message).toMatch(/ACC scratchpad overflow: STORE of 64 elements from 200/);
  });

  it('fields out of their bit widths: loop count, factor, padding, micro-op index', () => {
    let e = refusal(small, (b) => b.alu('add', { uops: [{ dst: 0 }], loops: [{ count: 1, dst: 0 }, { count: 16384, dst: 0 }] }, { imm: 1 }));
    expect(e.message).toBe('instruction #1: field iter_in = 16384 does not fit in 14 bits'); // #0 is the LOAD UOP
    e = refusal(small, (b) => b.gemm({ uops: [{ dst: 0 }], loops: [{ count: 1, dst: 300 }] }, { reset: true }));
    expect(e.message).toMatch(/field dst_factor_out = 300 does not fit in 8 bits/);
    e = refusal(small, (b) => b.load('inp', 0, { buffer: buf(b), rows: 1, cols: 1 }, { top: 16 }));
    expect(e.message).toBe('instruction #0: field y_pad_0 = 16 does not fit in 4 bits');
    e = refusal(small, (b) => b.alu('add', { uops: [{ dst: 0 }] }, { imm: 40000 }));
    expect(e.message).toMatch(/field imm = 40000 does not fit in 16 bits \(signed\)/);
    e = refusal(small, (b) => b.load('inp', 0, { buffer: buf(b, 4), rows: 2, cols: 1 }));
    expect(e.message).toBe('instruction #0: transfer reaches byte 8 of DRAM buffer "d0" (4 bytes)');
  });

  it('token imbalance: a push never popped, a pop never pushed', () => {
    let e = refusal(small, (b) => {
      b.load('inp', 0, { buffer: buf(b), rows: 1, cols: 1 });
      b.depPush('load', 'compute');
    });
    expect(e.index).toBe(0);
    expect(e.message).toMatch(/token imbalance: pushes load→compute but that token is never popped \(2 pushes, 1 pops\)/);
    e = refusal(small, (b) => {
      b.depPop('store', 'compute');
      b.gemm({ uops: [{ dst: 0 }] }, { reset: true });
    });
    expect(e.index).toBe(0); // the LOAD UOP took the pending pop
    expect(e.message).toMatch(/token imbalance: pops store→compute but that token is never pushed \(1 pushes, 2 pops\)/);
  });

  it('balanced tokens that wait on each other: deadlock', () => {
    const e = refusal(small, (b) => {
      const d = buf(b);
      b.depPop('compute', 'load');
      b.load('inp', 0, { buffer: d, rows: 1, cols: 1 }); // waits for compute…
      b.depPush('load', 'compute');
      b.depPop('load', 'compute');
      b.gemm({ uops: [{ dst: 0 }] }, { reset: true }); // …which waits for load
      b.depPush('compute', 'load');
    });
    expect(e.message).toBe('instruction #0: deadlock: #0 (load) waits on compute→load; #1 (compute) waits on load→compute');
  });

  it('dependency flags invalid for the module, and queues that do not exist', () => {
    const loadInp: Insn = { ...NO_DEPS, opcode: 0, memory_type: MEM_ID.INP, sram_base: 0, dram_base: 1, is_pad_min_value: 0, y_size: 1, x_size: 1, x_stride: 1, y_pad_0: 0, y_pad_1: 0, x_pad_0: 0, x_pad_1: 0 };
    let e = refusal(small, (b) => {
      buf(b);
      b.raw({ ...loadInp, pop_prev_dep: 1 });
    });
    expect(e.message).toBe('instruction #0: flag pop_prev_dep is invalid for the load module (it has no such queue)');
    e = refusal(small, (b) => b.raw({ ...loadInp, opcode: 1, memory_type: MEM_ID.OUT, push_next_dep: 1 }));
    expect(e.message).toMatch(/flag push_next_dep is invalid for the store module/);
    e = refusal(small, (b) => b.depPush('load', 'store'));
    expect(e.message).toBe('instruction #0: there is no token queue from load to store (queues: load↔compute, compute↔store)');
    e = refusal(small, (b) => b.raw({ ...NO_DEPS, opcode: 3, pop_next_dep: 1 }));
    expect(e.message).toMatch(/FINISH must not pop tokens/);
  });

  it('ALU: immediates with a source other than the destination, opcodes missing from the set', () => {
    let e = refusal(small, (b) => b.alu('add', { uops: [{ dst: 0, src: 1 }] }, { imm: 1 }));
    expect(e.message).toBe('instruction #0: immediate ALU micro-op with source 1 ≠ destination 0');
    e = refusal(fork, (b) => b.alu('mul', { uops: [{ dst: 0 }] }, { imm: 1 }));
    expect(e.message).toBe('instruction #0: ALU operation mul does not exist in the fork opcode set');
    e = refusal(small, (b) => b.alu('mul8', { uops: [{ dst: 0 }] }, { imm: 1 }));
    expect(e.message).toMatch(/mul8 does not exist in the upstream opcode set/);
  });
});

/**
 * fsim's WebAssembly kernels against independent expectations: GEMM sums and ALU results computed
 * here lane by lane (from the operations' definitions, including int32 wrap-around and the shift
 * rule), the exact crash message of an out-of-range index, and — over seeded random programs on
 * every fixture configuration — the JavaScript loops, event for event.
 */
import { describe, expect, it } from 'vitest';
import type { VtaParams } from '../../runtime/config/config.js';
import { fixtureConfigNames, resolveConfig } from '../../runtime/config/fixtures.js';
import { encodeUop } from '../../runtime/isa/codec.js';
import { NO_DEPS, type Insn } from '../../runtime/isa/insn.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { ALU_FNS, AluOp, aluOpOf } from './alu-ops.js';
import { runFsim } from './fsim-target.js';
import { Scratchpads } from './sram.js';
import { collectingSink, nullSink, TEST_ADDR, testBundle } from './testing.js';

const p = resolveConfig('default'); // 1×16×16: ACC rows of 16 int32 lanes
const mem = { ...NO_DEPS, is_pad_min_value: 0, y_pad_0: 0, y_pad_1: 0, x_pad_0: 0, x_pad_1: 0 };
const FINISH: Insn = { ...NO_DEPS, opcode: 3 };
const load = (type: number, elemBytes: number, addr: number, n: number): Insn =>
  ({ ...mem, opcode: 0, memory_type: type, sram_base: 0, dram_base: addr / elemBytes, y_size: 1, x_size: n, x_stride: n }) as Insn;
const loadUops = (n: number) => load(0, 4, TEST_ADDR.uop, n);
const loadInp = (n: number) => load(2, p.elemBytes.inp, TEST_ADDR.inp, n);
const loadWgt = (n: number) => load(1, p.elemBytes.wgt, TEST_ADDR.wgt, n);
const loadAcc = (n: number) => load(3, p.elemBytes.acc, TEST_ADDR.acc, n);
const loops = { reset_reg: 0, uop_bgn: 0, uop_end: 1, iter_out: 1, iter_in: 1, dst_factor_out: 0, dst_factor_in: 0, src_factor_out: 0, src_factor_in: 0 };
const gemm = (extra: Partial<Insn> = {}) => ({ ...NO_DEPS, opcode: 2, ...loops, wgt_factor_out: 0, wgt_factor_in: 0, ...extra }) as Insn;
const alu = (op: number, useImm: number, imm: number) => ({ ...NO_DEPS, opcode: 4, ...loops, alu_opcode: op, use_imm: useImm, imm }) as Insn;

/** Run with events (not iterations, which always take the JavaScript loops); kernels on or off. */
function run(bundle: ProgramBundle, kernels: boolean) {
  const sink = collectingSink(false);
  const result = runFsim({ bundle, sink }, undefined, kernels);
  return { result, writes: sink.got.writes, retires: sink.got.retires };
}

/** The final ACC row `row` as reported by instruction `pc`'s write events. */
function accRow(writes: ReturnType<typeof run>['writes'], pc: number, row: number): number[] {
  const w = writes.find((e) => e.stream === 'sram.acc' && e.pc === pc && e.addr === row);
  if (!w) throw new Error(`no write of ACC row ${row} by #${pc}`);
  return [...new Int32Array(w.data.buffer, w.data.byteOffset, w.data.byteLength / 4)];
}

describe('WebAssembly kernels', () => {
  it('exist for every fixture configuration (so the comparisons below compare two paths)', () => {
    for (const name of fixtureConfigNames()) expect(new Scratchpads(resolveConfig(name)).kernels, name).toBeDefined();
    expect(new Scratchpads(p, false).kernels).toBeUndefined();
  });

  it('GEMM: int8 products summed per output lane and added to ACC with int32 wrap-around', () => {
    const inp = Array.from({ length: 16 }, (_, k) => (k % 2 ? -128 : 127 - k));
    const wgt = Array.from({ length: 256 }, (_, i) => ((i * 37) % 256) - 128); // [o][k], every value in range
    const acc = Array.from({ length: 16 }, (_, o) => (o % 3 === 0 ? 0x7fffff00 : -o * 1000));
    const exact = acc.map((init, o) => {
      let sum = init;
      for (let k = 0; k < 16; k++) sum += inp[k]! * wgt[o * 16 + k]!;
      return sum;
    });
    expect(exact.some((v) => v > 0x7fffffff)).toBe(true); // the data does make some lane wrap
    const expected = exact.map((v) => v | 0); // as the hardware adder wraps
    const uops = [encodeUop(p, { dst_idx: 0, src_idx: 0, wgt_idx: 0 })];
    const b = testBundle(p, [loadUops(1), loadInp(1), loadWgt(1), loadAcc(1), gemm(), FINISH], { uops, inp, wgt, acc });
    for (const kernels of [true, false]) expect(accRow(run(b, kernels).writes, 4, 0), `kernels ${kernels}`).toEqual(expected);
  });

  it('GEMM with reset zeroes the rows it visits and counts no operations', () => {
    const uops = [encodeUop(p, { dst_idx: 1, src_idx: 0, wgt_idx: 0 })];
    const acc = Array.from({ length: 32 }, (_, i) => i + 1);
    const b = testBundle(p, [loadUops(1), loadAcc(2), gemm({ reset_reg: 1 }), FINISH], { uops, acc });
    const r = run(b, true);
    expect(accRow(r.writes, 2, 1)).toEqual(new Array(16).fill(0));
    expect(r.writes.some((w) => w.pc === 2 && w.addr === 0)).toBe(false);
    expect(r.result.counters.gemmOps).toBe(0);
  });

  for (const [buffer, depth, uop, factor] of [
    ['ACC', p.accDepth, { dst_idx: p.accDepth - 1, src_idx: 0, wgt_idx: 0 }, { dst_factor_out: 1 }],
    ['INP', p.inpDepth, { dst_idx: 0, src_idx: p.inpDepth - 1, wgt_idx: 0 }, { src_factor_out: 1 }],
    ['WGT', p.wgtDepth, { dst_idx: 0, src_idx: 0, wgt_idx: p.wgtDepth - 1 }, { wgt_factor_out: 1 }],
  ] as const) {
    it(`GEMM whose second iteration reaches ${buffer} index ${depth} crashes naming it`, () => {
      const b = testBundle(p, [loadUops(1), gemm({ iter_out: 2, ...factor }), FINISH], { uops: [encodeUop(p, uop)] });
      for (const kernels of [true, false]) {
        const r = run(b, kernels);
        expect(r.result.status).toBe('crash');
        expect(r.result.message).toBe(`instruction #1: ${buffer} index ${depth} is beyond the buffer depth ${depth}`);
        expect(r.retires.map((x) => x.pc)).toEqual([0]);
      }
    });
  }

  // Operand A (ACC row 0) and tensor operand B (row 1): extremes, signs, bytes that sign-extend.
  const A = [-0x80000000, 0x7fffffff, -1, 0, 1, 127, 128, 255, -129, 1000, -1000, 65535, -65536, 3, -3, 0x1234567];
  const B = [1, -1, 0x7fffffff, -0x80000000, 0, 255, -255, 7, 31, -31, 32, -32, 5, 0x180, -2, 16];
  const upstream = resolveConfig('default');
  const fork = resolveConfig('small-fork');
  const shifts = [0, 1, 7, 31, 32, 40, -1, -7, -31, -32, -33];
  const cases: { cfg: VtaParams; opcode: number; imm?: number }[] = [];
  for (const cfg of [upstream, fork]) {
    for (let opcode = 0; opcode < 8; opcode++) {
      if (aluOpOf(cfg, opcode) === undefined) continue;
      cases.push({ cfg, opcode });
      const imms = aluOpOf(cfg, opcode) === AluOp.Shr ? shifts : [-32768, -3, 0, 200, 32767];
      for (const imm of imms) cases.push({ cfg, opcode, imm });
    }
  }
  it.each(cases.map((c) => [c.cfg === fork ? 'fork' : 'upstream', c.opcode, c.imm ?? 'tensor', c] as const))(
    'ALU (%s opcodes) %i with %s: each lane as the operation defines it',
    (_set, _op, _form, { cfg, opcode, imm }) => {
      const lanes = cfg.batch * cfg.blockOut;
      const a = A.slice(0, lanes);
      const bRow = B.slice(0, lanes);
      const op = aluOpOf(cfg, opcode)!;
      const expected = a.map((x, k) => ALU_FNS[op](x, imm ?? bRow[k]!));
      const uops = [encodeUop(cfg, { dst_idx: 0, src_idx: 1, wgt_idx: 0 })];
      const insns = [
        load(0, 4, TEST_ADDR.uop, 1),
        load(3, cfg.elemBytes.acc, TEST_ADDR.acc, 2),
        alu(opcode, imm === undefined ? 0 : 1, imm ?? 0),
        FINISH,
      ];
      const b = testBundle(cfg, insns, { uops, acc: [...a, ...bRow] });
      for (const kernels of [true, false]) expect(accRow(run(b, kernels).writes, 2, 0), `kernels ${kernels}`).toEqual(expected);
    },
  );

  // Unwatched, a one-micro-op ALU takes the generated path and the kernel without a loop nest;
  // the result is read back through STORE, which keeps each lane's low byte.
  it.each(cases.map((c) => [c.cfg === fork ? 'fork' : 'upstream', c.opcode, c.imm ?? 'tensor', c] as const))(
    'unwatched one-micro-op ALU (%s opcodes) %i with %s: the low byte of each lane as the operation defines it',
    (_set, _op, _form, { cfg, opcode, imm }) => {
      const lanes = cfg.batch * cfg.blockOut;
      const a = A.slice(0, lanes);
      const bRow = B.slice(0, lanes);
      const op = aluOpOf(cfg, opcode)!;
      const expected = a.map((x, k) => (ALU_FNS[op](x, imm ?? bRow[k]!) << 24) >> 24);
      // dst row 1, src row 0: the micro-op's indices matter, not just row 0.
      const uops = [encodeUop(cfg, { dst_idx: 1, src_idx: 0, wgt_idx: 0 })];
      const store = { ...mem, opcode: 1, memory_type: 4, sram_base: 1, dram_base: TEST_ADDR.out / cfg.elemBytes.out, y_size: 1, x_size: 1, x_stride: 1 } as Insn;
      const insns = [
        load(0, 4, TEST_ADDR.uop, 1),
        load(3, cfg.elemBytes.acc, TEST_ADDR.acc, 2),
        { ...alu(opcode, imm === undefined ? 0 : 1, imm ?? 0), push_next_dep: 1 },
        { ...store, pop_prev_dep: 1, push_prev_dep: 1 },
        { ...FINISH, pop_next_dep: 1 },
      ];
      const bundle = testBundle(cfg, insns, { uops, acc: [...bRow, ...a], outBytes: lanes });
      const r = runFsim({ bundle, sink: nullSink }, undefined, true);
      expect(r.status, r.message).toBe('ok');
      expect([...new Int8Array(r.outputs[0]!.bytes.buffer, r.outputs[0]!.bytes.byteOffset, lanes)]).toEqual(expected);
      expect(r.counters.aluOps).toBe(1);
      // Cycles (cost.ts: 1 per iteration, 2 with a tensor operand, + 4) and the rest as the JavaScript loops count them.
      expect(r.counters).toEqual(run(bundle, false).result.counters);
    },
  );

  it('ALU spot values worked by hand', () => {
    const lanes = [-0x80000000, 100, -7, 0x7fffffff];
    const row = (opcode: number, imm: number) => {
      const uops = [encodeUop(fork, { dst_idx: 0, src_idx: 0, wgt_idx: 0 })];
      const b = testBundle(fork, [load(0, 4, TEST_ADDR.uop, 1), load(3, 16, TEST_ADDR.acc, 1), alu(opcode, 1, imm), FINISH], { uops, acc: lanes });
      return accRow(run(b, true).writes, 2, 0);
    };
    expect(row(2, 1)).toEqual([-0x7fffffff, 101, -6, -0x80000000]); // ADD wraps at the top
    expect(row(3, 2)).toEqual([-0x20000000, 25, -2, 0x1fffffff]); // SHR is arithmetic
    expect(row(3, -1)).toEqual([0, 200, -14, -2]); // negative amount shifts left
    expect(row(3, 40)).toEqual([-1, 0, -1, 0]); // ≥ 32 saturates to sign fill
    expect(row(3, -40)).toEqual([0, 0, 0, 0]); // ≤ −32 gives 0
    expect(row(4, 50)).toEqual([-50, 50, -7, 50]); // CLP into [−50, 50]
    expect(row(6, -2)).toEqual([0, -200, 14, 2]); // MUL8: low bytes 0, 100, −7, −1
  });

  it('a run starts from zeroed scratchpads even when the previous run left values in them', () => {
    const store = { ...mem, opcode: 1, memory_type: 4, sram_base: 0, dram_base: TEST_ADDR.out / p.elemBytes.out, y_size: 1, x_size: 1, x_stride: 1 } as Insn;
    const acc = Array.from({ length: 16 }, (_, k) => k + 1);
    const dirty = testBundle(p, [loadAcc(1), FINISH], { acc });
    // FINISH waits for the store's token: without it the compute module would finish first.
    const clean = testBundle(p, [{ ...store, push_prev_dep: 1 }, { ...FINISH, pop_next_dep: 1 }], { outBytes: 16 });
    for (let i = 0; i < 3; i++) {
      expect(run(dirty, true).result.status).toBe('ok');
      const out = run(clean, true).result.outputs[0]!.bytes;
      expect([...out]).toEqual(new Array(16).fill(0));
    }
  });

  it.each(fixtureConfigNames())('random programs on %s: kernels and JavaScript loops agree event for event', (name) => {
    const cfg = resolveConfig(name);
    for (let seed = 0; seed < 8; seed++) {
      const bundle = buildWorkload('random', { config: cfg, seed });
      const [k, js] = [run(bundle, true), run(bundle, false)];
      expect(k.result.status, `seed ${seed}`).toBe(js.result.status);
      expect(k.result.counters, `seed ${seed}`).toEqual(js.result.counters);
      expect(k.result.outputs, `seed ${seed}`).toEqual(js.result.outputs);
      expect(k.writes, `seed ${seed}`).toEqual(js.writes);
      expect(k.retires, `seed ${seed}`).toEqual(js.retires);
    }
  });

  it.each(fixtureConfigNames())('random programs on %s: unwatched (the generated ALU path, alu-fast.ts) they end as the JavaScript loops do', (name) => {
    const cfg = resolveConfig(name);
    let aluInsns = 0;
    for (let seed = 0; seed < 12; seed++) {
      const bundle = buildWorkload('random', { config: cfg, seed });
      const fast = runFsim({ bundle, sink: nullSink }, undefined, true);
      const js = run(bundle, false).result;
      expect(fast.status, `seed ${seed}`).toBe(js.status);
      expect(fast.message, `seed ${seed}`).toBe(js.message);
      expect(fast.counters, `seed ${seed}`).toEqual(js.counters);
      expect(fast.outputs, `seed ${seed}`).toEqual(js.outputs);
      aluInsns += fast.counters.aluOps;
    }
    expect(aluInsns).toBeGreaterThan(0);
  });

  it('unwatched ALU: the shift rule, wrap-around and an out-of-range row, as worked by hand', () => {
    const lanes = [-0x80000000, 100, -7, 0x7fffffff];
    const store = { ...mem, opcode: 1, memory_type: 4, sram_base: 0, dram_base: TEST_ADDR.out / fork.elemBytes.out, y_size: 1, x_size: 1, x_stride: 1 } as Insn;
    const outRow = (opcode: number, imm: number, dst = 0) => {
      const uops = [encodeUop(fork, { dst_idx: dst, src_idx: 0, wgt_idx: 0 })];
      const insns = [load(0, 4, TEST_ADDR.uop, 1), load(3, 16, TEST_ADDR.acc, 1), { ...alu(opcode, 1, imm), ...(dst ? { iter_out: 2, dst_factor_out: 1 } : {}), push_next_dep: 1 }, { ...store, pop_prev_dep: 1, push_prev_dep: 1 }, { ...FINISH, pop_next_dep: 1 }];
      const r = runFsim({ bundle: testBundle(fork, insns, { uops, acc: lanes, outBytes: 4 }), sink: nullSink }, undefined, true);
      return r.status === 'ok' ? [...new Int8Array(r.outputs[0]!.bytes.buffer, r.outputs[0]!.bytes.byteOffset, 4)] : r.message;
    };
    // STORE narrows to the low byte of each lane.
    expect(outRow(2, 1)).toEqual([1, 101, -6, 0]); // ADD wraps at the top: 0x80000000 → low byte 0
    expect(outRow(3, 2)).toEqual([0, 25, -2, -1]); // SHR is arithmetic
    expect(outRow(3, -1)).toEqual([0, -56, -14, -2]); // negative amount shifts left (200 → −56)
    expect(outRow(3, 40)).toEqual([-1, 0, -1, 0]); // ≥ 32 saturates to sign fill
    expect(outRow(3, -40)).toEqual([0, 0, 0, 0]); // ≤ −32 gives 0
    // The second iteration of a nest starting at the last row reaches one past it.
    expect(outRow(2, 1, fork.accDepth - 1)).toBe(`instruction #2: ACC index ${fork.accDepth} is beyond the buffer depth ${fork.accDepth}`);
  });
});

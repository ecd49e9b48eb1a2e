/**
 * The DRAM image is copied only when written: a run must never change the bundle it was given,
 * including when the bundle's bytes are Node Buffers (whose slice() would share memory).
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { NO_DEPS, type Insn } from '../../runtime/isa/insn.js';
import { Dram } from './dram.js';
import { runFsim } from './fsim-target.js';
import { nullSink, TEST_ADDR, testBundle } from './testing.js';

const p = resolveConfig('small'); // ACC element: 4 int32 lanes; OUT element: 4 bytes
const mem = { ...NO_DEPS, is_pad_min_value: 0, y_pad_0: 0, y_pad_1: 0, x_pad_0: 0, x_pad_1: 0 };
const loadAcc = { ...mem, opcode: 0, memory_type: 3, sram_base: 0, dram_base: TEST_ADDR.acc / 16, y_size: 1, x_size: 2, x_stride: 2 } as Insn;
const store = { ...mem, opcode: 1, memory_type: 4, sram_base: 0, dram_base: TEST_ADDR.out / 4, y_size: 1, x_size: 2, x_stride: 2, pop_prev_dep: 1, push_prev_dep: 1 } as Insn;

describe('DRAM image', () => {
  it('a STORE changes the run’s outputs, never the bundle; a second run sees the original bytes', () => {
    // An empty ALU passes a token to the store, whose token FINISH waits for.
    const prog = [loadAcc, { ...NO_DEPS, opcode: 4, reset_reg: 0, uop_bgn: 0, uop_end: 0, iter_out: 0, iter_in: 0, dst_factor_out: 0, dst_factor_in: 0, src_factor_out: 0, src_factor_in: 0, alu_opcode: 2, use_imm: 1, imm: 0, push_next_dep: 1 } as Insn, store, { ...NO_DEPS, opcode: 3, pop_next_dep: 1 } as Insn];
    const bundle = testBundle(p, prog, { acc: [1, 2, 3, 4, -1, -2, 300, 7], outBytes: 8 });
    const out = bundle.buffers.find((b) => b.role === 'out')!;
    // As Node Buffers, so a shared slice would show up as a changed bundle.
    for (const b of bundle.buffers) b.bytes = Buffer.from(b.bytes);
    for (let i = 0; i < 2; i++) {
      const r = runFsim({ bundle, sink: nullSink });
      expect(r.status, r.message).toBe('ok');
      expect([...r.outputs[0]!.bytes]).toEqual([1, 2, 3, 4, 0xff, 0xfe, 300 & 0xff, 7]);
      expect([...out.bytes]).toEqual(new Array(8).fill(0));
    }
  });

  it('reads return copies and views of unwritten buffers stay the bundle’s bytes', () => {
    const bytes = Uint8Array.from([1, 2, 3, 4]);
    const dram = new Dram([{ name: 'a', role: 'other', addr: 0x100, bytes }]);
    const copy = dram.read(0x101, 2);
    copy[0] = 99;
    expect([...bytes]).toEqual([1, 2, 3, 4]);
    dram.span(0x100, 4, true)![0] = 42;
    expect(bytes[0]).toBe(1);
    expect([...dram.read(0x100, 2)]).toEqual([42, 2]);
  });
});

/**
 * Cycle budgets of our RTL (simulated cycles from the VCR counter, deterministic — not wall time):
 * GEMM and ALU start one micro-op iteration per cycle, so adding an instruction of N iterations
 * to a program costs at most 1.05·N cycles plus a small fixed overhead, and at least N.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgramBundle } from '../../../runtime/bundle/bundle.js';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import { encodeUop } from '../../../runtime/isa/codec.js';
import type { Insn } from '../../../runtime/isa/insn.js';
import { createTsimTarget, type TsimTarget } from '../target.js';
import { bundleOf, finishInsn, gemmInsn, memInsn, RecordingSink } from '../testing/bundles.js';

const params = resolveConfig('default');
const UOPS = 16;
const ITER_OUT = 8;
const ITER_IN = 32;
const N = UOPS * ITER_OUT * ITER_IN;
const OVERHEAD = 16;
let tsim: TsimTarget;

beforeAll(async () => {
  tsim = createTsimTarget({ config: 'default' });
  await tsim.prepare(params);
}, 600_000);
afterAll(async () => tsim.close());

/** LOAD UOP (UOPS distinct micro-ops), the instructions under test, FINISH. */
function program(body: Insn[]): ProgramBundle {
  const b = bundleOf(params, [memInsn(0, 0, { dram_base: 0x2000 / 4, x_size: UOPS, x_stride: UOPS }), ...body, finishInsn()]);
  const uops = new Uint8Array(UOPS * 4);
  const view = new DataView(uops.buffer);
  for (let u = 0; u < UOPS; u++) view.setUint32(u * 4, encodeUop(params, { dst_idx: u, src_idx: u, wgt_idx: u }), true);
  b.buffers.push({ name: 'uop', role: 'uop', addr: 0x2000, bytes: uops });
  return b;
}

async function cycles(body: Insn[]): Promise<number> {
  const r = await tsim.run({ bundle: program(body), sink: new RecordingSink(false), limits: { maxCycles: 10 * N, timeoutMs: 120_000 } });
  expect(r.status, r.message).toBe('ok');
  return r.counters.cycles;
}

const loops = { uop_bgn: 0, uop_end: UOPS, iter_out: ITER_OUT, iter_in: ITER_IN, dst_factor_out: 16, dst_factor_in: 1 };
const alu = (use_imm: number): Insn =>
  ({ ...gemmInsn(loops), opcode: 4, src_factor_out: 1, src_factor_in: 16, alu_opcode: 2, use_imm, imm: 3 }) as Insn;

describe('our RTL cycle budgets (default configuration)', () => {
  it.each([
    ['GEMM', gemmInsn({ ...loops, src_factor_out: 1, src_factor_in: 16, wgt_factor_in: 1 })],
    ['GEMM reset', gemmInsn({ ...loops, reset_reg: 1 })],
    ['ALU with an immediate', alu(1)],
    ['ALU with two tensor operands', alu(0)],
  ] as const)('%s: N iterations cost between N and 1.05·N + overhead cycles', async (_name, insn) => {
    const base = await cycles([]);
    const extra = (await cycles([insn])) - base;
    expect(extra).toBeGreaterThanOrEqual(N);
    expect(extra).toBeLessThanOrEqual(1.05 * N + OVERHEAD);
  }, 120_000);
});

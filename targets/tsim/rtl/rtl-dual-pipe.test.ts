/**
 * The compute module's two pipes (vta_compute.sv, DualPipe on the default configuration), with
 * fsim as the golden model: ALU and ACC resets of one ACC slot run beside a long GEMM on the
 * other, programs whose pipes share ACC rows (every hazard kind) still give fsim's results and
 * fsim's SRAM write and iteration events, token pushes keep their queues' program order, and
 * seeded random programs (runtime/workloads/random-program.ts, as the regression suites use)
 * agree with fsim. Cycles come from the simulator (deterministic).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProgramBundle } from '../../../runtime/bundle/bundle.js';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import { randomProgram } from '../../../runtime/workloads/random-program.js';
import { createFsimTarget } from '../../fsim/fsim-target.js';
import type { Target } from '../../../runtime/contract/target.js';
import { createTsimTarget, type TsimTarget } from '../target.js';
import { RecordingSink } from '../testing/bundles.js';
import { ALU, alu, dualPipeProgram, gemm, reset, rowUops, type DualPipeProgram } from '../testing/dual-pipe-programs.js';

const params = resolveConfig('default');
const limits = { maxCycles: 2_000_000, timeoutMs: 120_000 };
let tsim: TsimTarget;
let fsim: Target;

beforeAll(async () => {
  tsim = createTsimTarget({ config: 'default', idleCycles: 20_000 });
  fsim = createFsimTarget();
  await tsim.prepare(params);
}, 600_000);
afterAll(async () => tsim.close());

/** Events as sortable lines (the order of writes within one instruction may differ). */
function eventLines(sink: RecordingSink): string[] {
  return sink.events.map((e) => `${e.kind} ${e.stream ?? e.module} pc=${e.pc} @${e.addr} ${Buffer.from(e.data).toString('hex')}`).sort();
}

/** Runs on both targets; outputs and every event (iterations included) must be fsim's. */
async function againstFsim(bundle: ProgramBundle, label: string): Promise<{ sink: RecordingSink; cycles: number }> {
  const ts = new RecordingSink(true, true);
  const fs = new RecordingSink(true, true);
  const rt = await tsim.run({ bundle, sink: ts, limits });
  const rf = await fsim.run({ bundle, sink: fs, limits });
  expect(rf.status, `fsim, ${label}: ${rf.message}`).toBe('ok');
  expect(rt.status, `tsim, ${label}: ${rt.message}`).toBe('ok');
  const hex = (r: typeof rt) => r.outputs.map((o) => Buffer.from(o.bytes).toString('hex'));
  expect(hex(rt), `outputs, ${label}`).toEqual(hex(rf));
  const lines = eventLines(ts);
  expect(lines.length, label).toBeGreaterThan(bundle.insnCount);
  expect(lines, `events, ${label}`).toEqual(eventLines(fs));
  return { sink: ts, cycles: rt.counters.cycles };
}

const retireCycle = (sink: RecordingSink, pc: number, module: string): number => sink.events.find((e) => e.kind === 'retire' && e.pc === pc && e.module === module)!.cycle;
const lastWriteCycle = (sink: RecordingSink, pc: number): number => Math.max(...sink.events.filter((e) => e.kind === 'write' && e.stream === 'sram.acc' && e.pc === pc).map((e) => e.cycle));

// ---- (1) the conv lowering's pattern: a long GEMM on slot 1 (rows 32..47), requantisation (SHR,
// MAX, MIN with immediates) of slot 0 (rows 0..15), its store, then the next tile's reset of slot 0.
const GEMM_ITERS = 16 * 16 * 16;
const SIDE_ITERS = 4 * 512; // ALU x3 and the reset, 512 iterations each
const slotUops = [...rowUops(16, 32, 0), ...rowUops(16, 0, 0)];
const side = { uop_bgn: 16, uop_end: 32, iter_out: 4, iter_in: 8 };
function overlapProgram(sideWork: boolean): DualPipeProgram {
  // Without side work the same instructions have zero iterations (nothing to do, same tokens).
  const s = sideWork ? side : { ...side, iter_out: 0 };
  return {
    uops: slotUops,
    body: [
      gemm({ uop_bgn: 0, uop_end: 16, iter_out: 16, iter_in: 16, push_prev_dep: 1 }),
      alu(ALU.SHR, { ...s, imm: 1 }),
      alu(ALU.MAX, { ...s, imm: -3 }),
      alu(ALU.MIN, { ...s, imm: 1000 }),
      reset(s),
    ],
    // Slot 0 after its requantisation; then everything, GEMM rows included (the store's reads of
    // rows 32..47 must wait for the GEMM although RESET released it early).
    stores: [
      { after: 3, sramBase: 0, rows: 16 },
      { after: 4, sramBase: 0, rows: 64 },
    ],
  };
}

describe('two compute pipes (default configuration)', () => {
  it('ALU x3, their store and a reset of slot 0 run beside a GEMM on slot 1: fsim results and events, most side iterations hidden', async () => {
    const full = dualPipeProgram(params, overlapProgram(true));
    const { sink, cycles } = await againstFsim(full.bundle, 'overlap');
    const { cycles: gemmOnly } = await againstFsim(dualPipeProgram(params, overlapProgram(false)).bundle, 'GEMM only');
    // One pipe would add every side iteration (2048) to the GEMM's 4096; two hide at least 80 %.
    expect(gemmOnly).toBeGreaterThan(GEMM_ITERS);
    expect(cycles - gemmOnly).toBeLessThan(0.2 * SIDE_ITERS);
    // The store of slot 0 (released by ALU MIN's early push) finished while the GEMM still ran.
    expect(retireCycle(sink, full.storePc[0]!, 'store')).toBeLessThan(lastWriteCycle(sink, full.bodyPc[0]!));
  }, 120_000);

  it('a push waits for an older instruction that owes one on the same queue', async () => {
    // GEMM (long, pipe A) and a short ALU (pipe B) both push CMP->ST; the first STORE reads rows
    // nobody computes, so only the token order keeps it after the GEMM.
    const prog: DualPipeProgram = {
      uops: [...rowUops(16, 32, 0), ...rowUops(16, 0, 0)],
      body: [gemm({ uop_bgn: 0, uop_end: 16, iter_out: 16, iter_in: 16 }), alu(ALU.SHR, { uop_bgn: 16, uop_end: 32, iter_out: 2, iter_in: 2, imm: 2 })],
      stores: [
        { after: 0, sramBase: 48, rows: 16, popBy: 2 },
        { after: 1, sramBase: 0, rows: 16 },
      ],
    };
    const built = dualPipeProgram(params, prog);
    const { sink } = await againstFsim(built.bundle, 'push order');
    expect(retireCycle(sink, built.storePc[0]!, 'store')).toBeGreaterThan(lastWriteCycle(sink, built.bodyPc[0]!));
    // The ALU itself ran beside the GEMM: its writes are long before the GEMM's last.
    expect(lastWriteCycle(sink, built.bodyPc[1]!)).toBeLessThan(lastWriteCycle(sink, built.bodyPc[0]!) - 1000);
  }, 120_000);

  // ---- (2) pipes sharing ACC rows: the younger waits, results stay fsim's.
  const long = { iter_out: 16, iter_in: 16 };
  const conflicts: [string, DualPipeProgram][] = [
    [
      'RAW, GEMM then ALU on overlapping rows (0..15 / 8..23)',
      { uops: [...rowUops(16, 0, 0), ...rowUops(16, 8, 0)], body: [gemm({ uop_bgn: 0, uop_end: 16, ...long }), alu(ALU.SHR, { uop_bgn: 16, uop_end: 32, iter_out: 2, iter_in: 4, imm: 1 })], stores: [{ after: 1, sramBase: 0, rows: 64 }] },
    ],
    [
      'WAR, ALU reading rows 0..15 as its tensor operand, then a GEMM writing them',
      {
        uops: [...rowUops(16, 40, 0), ...rowUops(16, 0, 0)],
        body: [alu(ALU.ADD, { uop_bgn: 0, uop_end: 16, ...long, use_imm: 0 }), gemm({ uop_bgn: 16, uop_end: 32, iter_out: 2, iter_in: 2 })],
        stores: [{ after: 1, sramBase: 0, rows: 64 }],
      },
    ],
    [
      'WAW, GEMM on rows 0..15 then a reset of rows 10..25',
      { uops: [...rowUops(16, 0, 0), ...rowUops(16, 10, 0)], body: [gemm({ uop_bgn: 0, uop_end: 16, ...long }), reset({ uop_bgn: 16, uop_end: 32 })], stores: [{ after: 1, sramBase: 0, rows: 64 }] },
    ],
    [
      // A footprint cannot wrap in a program fsim accepts (it rejects ACC indices past the depth;
      // the RTL would take the whole buffer): this one ends on the last row, beside a GEMM there.
      'a footprint up to the last ACC row (rows 2032..2047) beside a GEMM on rows 2044..2047',
      {
        uops: [...rowUops(4, params.accDepth - 4, 0), { dst_idx: params.accDepth - 16, src_idx: 0, wgt_idx: 0 }],
        body: [gemm({ uop_bgn: 0, uop_end: 4, iter_out: 32, iter_in: 32 }), alu(ALU.SHR, { uop_bgn: 4, uop_end: 5, iter_out: 2, iter_in: 8, dst_factor_out: 8, dst_factor_in: 1, imm: 3 })],
        extraAcc: { sramBase: params.accDepth - 16, rows: 16 },
        stores: [{ after: 1, sramBase: params.accDepth - 16, rows: 16 }],
      },
    ],
    [
      'RAW through the tensor operand: GEMM writes rows 0..15, an ALU adds them into rows 40..55',
      { uops: [...rowUops(16, 0, 0), ...rowUops(16, 40, 0)], body: [gemm({ uop_bgn: 0, uop_end: 16, ...long }), alu(ALU.ADD, { uop_bgn: 16, uop_end: 32, iter_out: 2, iter_in: 2, use_imm: 0 })], stores: [{ after: 1, sramBase: 0, rows: 64 }] },
    ],
    [
      'ALU then GEMM accumulating into the ALU rows (RAW and WAW)',
      { uops: [...rowUops(16, 0, 0), ...rowUops(16, 0, 0)], body: [alu(ALU.SHR, { uop_bgn: 0, uop_end: 16, ...long, imm: 1 }), gemm({ uop_bgn: 16, uop_end: 32, iter_out: 2, iter_in: 2 })], stores: [{ after: 1, sramBase: 0, rows: 64 }] },
    ],
  ];
  it.each(conflicts)('%s: fsim results and events', async (label, prog) => {
    await againstFsim(dualPipeProgram(params, prog).bundle, label);
  }, 120_000);

  // ---- (4) constrained-random programs: GEMM and three ALUs over 24 shared ACC rows with token
  // hand-offs, so the pipes meet on rows all the time.
  it('seeded random programs: fsim results and events for 300 seeds', async () => {
    for (let seed = 1; seed <= 300; seed++) await againstFsim(randomProgram(params, seed), `random seed ${seed}`);
  }, 900_000);
});

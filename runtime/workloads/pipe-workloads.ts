/**
 * `pipe:*` — programs aimed at the two-pipe compute module's bookkeeping (targets/tsim/rtl:
 * vta_compute_dual, vta_acc_footprint, vta_retire_queue), where a wrong footprint or an early
 * token push changes results only when GEMM and ALU overlap in a particular way. Each is small
 * (a few hundred to a thousand cycles) and checked against pipeGolden (sequential order). On a
 * one-pipe design they are ordinary programs.
 *
 *   pipe:alu-src-footprint  an ALU whose tensor operand walks rows with src_factor_in = 3 over
 *                           4 inner iterations (extent 3·3 = 9, not 3 + 3) runs on one pipe while
 *                           a younger GEMM writes the last source row on the other: the GEMM must
 *                           wait for the ALU, whose later iterations read that row again.
 *   pipe:early-load-push    six one-iteration ALUs move the retire queue's head near its end; a
 *                           long GEMM reads INP, two ALUs run beside it, the second releasing an
 *                           INP reload (CMP->LD): its push must wait for the GEMM although the
 *                           queue has wrapped and the entry right before it is an ALU.
 */
import type { BuilderWorkload } from './workload-kit.js';
import { pipeProgram, type PipeProgram } from './pipe-programs.js';

const aluSrcFootprint: PipeProgram = {
  uops: [
    { dst_idx: 0, src_idx: 32, wgt_idx: 0 },
    { dst_idx: 41, src_idx: 0, wgt_idx: 0 },
  ],
  steps: [
    // dst rows 0..3, src rows 32, 35, 38, 41 — sixteen times over.
    { kind: 'alu', op: 'add', loops: { uop_bgn: 0, uop_end: 1, iter_out: 16, iter_in: 4, dst_factor_in: 1, src_factor_in: 3 } },
    { kind: 'gemm', loops: { uop_bgn: 1, uop_end: 2, iter_out: 1, iter_in: 1 } },
    { kind: 'store', sramBase: 0, rows: 64 },
  ],
};

/** One-iteration ALUs on row 48 that only advance the retire queue. */
const LEAD = 6;
const earlyLoadPush: PipeProgram = {
  uops: [
    ...Array.from({ length: 16 }, (_, i) => ({ dst_idx: i, src_idx: i, wgt_idx: i })),
    { dst_idx: 48, src_idx: 0, wgt_idx: 0 },
    { dst_idx: 32, src_idx: 0, wgt_idx: 0 },
    { dst_idx: 36, src_idx: 0, wgt_idx: 0 },
  ],
  steps: [
    ...Array.from({ length: LEAD }, () => ({ kind: 'alu' as const, op: 'add' as const, loops: { uop_bgn: 16, uop_end: 17, iter_out: 1, iter_in: 1 }, imm: 1 })),
    // Rows 0..15 from INP rows 0..15, 64 times: about 1000 cycles.
    { kind: 'gemm', loops: { uop_bgn: 0, uop_end: 16, iter_out: 8, iter_in: 8 } },
    { kind: 'alu', op: 'max', loops: { uop_bgn: 17, uop_end: 18, iter_out: 1, iter_in: 4, dst_factor_in: 1 }, imm: -1000 },
    { kind: 'alu', op: 'shr', loops: { uop_bgn: 18, uop_end: 19, iter_out: 1, iter_in: 4, dst_factor_in: 1 }, imm: 2 },
    { kind: 'reload-inp' },
    // Pops the reload's LD->CMP and releases the store of every row.
    { kind: 'alu', op: 'add', loops: { uop_bgn: 16, uop_end: 17, iter_out: 1, iter_in: 1 }, imm: 1 },
    { kind: 'store', sramBase: 0, rows: 64 },
  ],
};

function workload(name: string, description: string, prog: PipeProgram): BuilderWorkload {
  return { name, description, build: (p, seed, params) => pipeProgram(p, prog, { name, seed, params }) };
}

/** The family's programs by workload name. */
export const PIPE_PROGRAMS: Readonly<Record<string, PipeProgram>> = {
  'pipe:alu-src-footprint': aluSrcFootprint,
  'pipe:early-load-push': earlyLoadPush,
};

const DESCRIPTIONS: Record<keyof typeof PIPE_PROGRAMS, string> = {
  'pipe:alu-src-footprint': 'ALU with a strided tensor operand beside a younger GEMM writing its last source row (two-pipe footprint), golden sequential result',
  'pipe:early-load-push': 'CMP->LD push of an ALU beside a long GEMM after the retire queue wrapped, releasing an INP reload (two-pipe push order), golden sequential result',
};

export const PIPE_WORKLOADS: readonly BuilderWorkload[] = Object.entries(PIPE_PROGRAMS).map(([name, prog]) => workload(name, DESCRIPTIONS[name]!, prog));

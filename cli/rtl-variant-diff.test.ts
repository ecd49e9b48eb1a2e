/**
 * Each seeded RTL bug (fixtures/rtl-variants/) is caught by `diff fsim tsim:<variant>`, and the
 * report names the instruction and buffer the bug lives in. The expected instruction is found
 * here by scanning the decoded program for the first instruction of the buggy kind — independent
 * of the divergence engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { insnBytes } from '../runtime/bundle/bundle.js';
import { decodeProgram } from '../runtime/isa/codec.js';
import type { Insn } from '../runtime/isa/insn.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { createTarget } from '../targets/registry.js';
import { diffTargets } from '../tracer/diff-targets.js';
import { makeTraceSpec } from '../tracer/spec.js';
import { TraceStore } from '../tracer/store/trace-store.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-rtl-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cases: [variant: string, workload: string, buggy: (i: Insn) => boolean, stream: string][] = [
  // micro-op address staged late: the first GEMM with several micro-ops
  ['uop-late', 'gemm_multi_uop', (i) => i.opcode === 2 && !i.reset_reg && i.uop_end - i.uop_bgn > 1, 'sram.acc'],
  // operands swapped for SHR with a tensor operand
  ['alu-swap', 'alu_shr_tensor', (i) => i.opcode === 4 && i.alu_opcode === 3 && !i.use_imm, 'sram.acc'],
  // padding rows after the data written with 1: the first INP load with y_pad_1
  ['pad-value', 'load_inp_pad_y1', (i) => i.opcode === 0 && i.memory_type === 2 && i.y_pad_1 > 0, 'sram.inp'],
];

describe('seeded RTL bugs are caught by diff fsim tsim:<variant>', () => {
  it.each(cases)('%s on vec:%s', async (variant, workload, buggy, stream) => {
    const bundle = buildWorkload(`vec:${workload}`);
    const pc = decodeProgram(bundle.params, insnBytes(bundle)).findIndex(buggy);
    expect(pc).toBeGreaterThanOrEqual(0);
    const store = TraceStore.open(join(dir, `${variant}.db`));
    try {
      const { report } = await diffTargets({
        targets: ['fsim', `tsim:${variant}`],
        createTarget,
        bundle,
        spec: makeTraceSpec({ mode: 'digest' }),
        store,
        limits: { maxCycles: 1_000_000, timeoutMs: 120_000 },
      });
      expect(report.values).toBe('diverge');
      expect(report.first!.pc).toBe(pc);
      expect(report.first!.stream).toBe(stream);
      // The buggy run completes, with outputs that differ from the golden result.
      expect(report.runs.map((r) => r.status)).toEqual(['ok', 'mismatch']);
    } finally {
      store.close();
    }
  }, 600_000);

  it('clean tsim agrees with fsim on the same programs', async () => {
    const store = TraceStore.open(join(dir, 'clean.db'));
    try {
      for (const [, workload] of cases) {
        const { report } = await diffTargets({ targets: ['fsim', 'tsim'], createTarget, bundle: buildWorkload(`vec:${workload}`), spec: makeTraceSpec({ mode: 'sram' }), store });
        expect(report.values, workload).toBe('agree');
      }
    } finally {
      store.close();
    }
  }, 600_000);
});

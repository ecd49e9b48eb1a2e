/**
 * The report's hints against seeded RTL bugs (fixtures/rtl-variants/): `diff fsim tsim:<variant>`
 * must give the hint the bug's nature implies — padding written as 1 is off by +1, a load that
 * reads the next DRAM row holds the expected row one row length up, an 8-bit ADD is a truncation
 * — and none for bugs with no such pattern (swapped shift operands, a late micro-op).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { insnBytes } from '../runtime/bundle/bundle.js';
import { decodeProgram } from '../runtime/isa/codec.js';
import type { MemInsn } from '../runtime/isa/insn.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { createTarget } from '../targets/registry.js';
import { diffTargets } from '../tracer/diff-targets.js';
import { makeTraceSpec } from '../tracer/spec.js';
import { TraceStore } from '../tracer/store/trace-store.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-rtl-hints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function diff(variant: string, workload: string) {
  const store = TraceStore.open(join(dir, `${variant}.db`));
  try {
    const bundle = buildWorkload(`vec:${workload}`);
    const { report } = await diffTargets({
      targets: ['fsim', `tsim:${variant}`],
      createTarget,
      bundle,
      spec: makeTraceSpec({ mode: 'digest' }),
      store,
      limits: { maxCycles: 1_000_000, timeoutMs: 120_000 },
    });
    return { report, program: decodeProgram(bundle.params, insnBytes(bundle)) };
  } finally {
    store.close();
  }
}

describe('hints for seeded RTL bugs', () => {
  it('pad-value: the y_pad_1 rows are off by +1', async () => {
    const { report } = await diff('pad-value', 'load_inp_pad_y1');
    expect(report.first!.stream).toBe('sram.inp');
    expect(report.first!.hint).toMatchObject({ kind: 'offset', amount: 1 });
  }, 600_000);

  it('load-next-row: the first INP row holds the expected row one row length up', async () => {
    const { report, program } = await diff('load-next-row', 'load_inp_2d_stride');
    const pc = program.findIndex((i) => i.opcode === 0 && (i as MemInsn).memory_type === 2);
    const load = program[pc] as MemInsn;
    expect(report.first!.pc).toBe(pc);
    expect(report.first!.hint).toMatchObject({ kind: 'address', amount: load.x_pad_0 + load.x_size + load.x_pad_1, writtenBy: pc });
  }, 600_000);

  it('add-lo8: the sums truncated to 8 bits', async () => {
    const { report } = await diff('add-lo8', 'alu_add_tensor');
    expect(report.first!.disasm).toMatch(/^ALU ADD/);
    expect(report.first!.hint).toMatchObject({ kind: 'truncation', amount: 8 });
  }, 600_000);

  it.each([
    ['alu-swap', 'alu_shr_tensor'],
    ['uop-late', 'gemm_multi_uop'],
  ])('%s on vec:%s: no pattern, no hint', async (variant, workload) => {
    const { report } = await diff(variant, workload);
    expect(report.first!.lanes!.differing.length).toBeGreaterThan(1);
    expect(report.first!.hint).toBeNull();
  }, 600_000);
});

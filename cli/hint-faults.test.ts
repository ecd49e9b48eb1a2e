/**
 * The report's hints against seeded bugs: fsim carrying one corruption of a known kind is diffed
 * against clean fsim, and the hint must name that kind with the fault's own amount (the fault's
 * parameter, not anything the engine computed). A scrambled row gets no hint.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWorkload } from '../runtime/workloads/index.js';
import { createTarget } from '../targets/registry.js';
import { diffTargets } from '../tracer/diff-targets.js';
import { renderTextReport } from '../tracer/report/text-report.js';
import { makeTraceSpec } from '../tracer/spec.js';
import { TraceStore } from '../tracer/store/trace-store.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-hint-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// vec:matmul_blocked_4x4, from its disassembly (vta-trace bundle show):
//   #3  LOAD WGT sram 0 <- 2x2 elements      #4 GEMM uop [0,2) iter 2x2 onto ACC 0..3
//   #7  GEMM (the second K block) onto ACC 0..3      #8 ALU SHR imm 7 over ACC 0..3
const MATMUL = 'vec:matmul_blocked_4x4';

async function diff(fault: string, mode = 'digest') {
  const store = TraceStore.open(join(dir, `${fault.replace(/[^a-z0-9]/gi, '_')}-${mode}.db`));
  try {
    return (await diffTargets({ targets: ['fsim', `fsim+${fault}`], createTarget, bundle: buildWorkload(MATMUL), spec: makeTraceSpec({ mode }), store })).report;
  } finally {
    store.close();
  }
}

describe('hints name the seeded corruption', () => {
  it.each([
    ['acc-offset:pc=4,by=5', 4, 'offset', 5],
    ['acc-negate:pc=4', 4, 'sign', undefined],
    ['acc-truncate:pc=4,bits=8', 4, 'truncation', 8],
    ['acc-truncate:pc=4,bits=16', 4, 'truncation', 16],
    ['acc-shift:pc=4,by=3', 4, 'shift', 3],
    ['acc-rotate:pc=4,by=2', 4, 'lanes-rotated', 2],
    // LOAD WGT #3's element 0 holds the row meant for element 1: the expected row one address up.
    ['load-offset:pc=3,by=1', 3, 'address', 1],
    ['load-offset:pc=3,by=2', 3, 'address', 2],
  ])('%s: instruction #%i, hint %s (%s)', async (fault, pc, kind, amount) => {
    const r = await diff(fault);
    expect(r.first!.pc).toBe(pc);
    expect(r.first!.hint).toMatchObject({ kind, ...(amount === undefined ? {} : { amount }) });
    expect(renderTextReport(r)).toContain(`  hint     ${r.first!.hint!.text}`);
  });

  it('a lost write (ALU #8 leaves ACC as #7 wrote it): stale, written by #7 — from stored events too', async () => {
    for (const mode of ['digest', 'sram']) {
      const r = await diff('acc-stale:pc=8', mode);
      expect([r.first!.pc, r.first!.stream], mode).toEqual([8, 'sram.acc']);
      expect(r.first!.hint, mode).toMatchObject({ kind: 'stale', writtenBy: 7 });
    }
  });

  it('a scrambled row gets no hint, in text or JSON', async () => {
    const r = await diff('acc-scramble:pc=4,seed=1');
    expect(r.first!.pc).toBe(4);
    expect(r.first!.lanes!.differing.length).toBe(16);
    expect(r.first!.hint).toBeNull();
    expect(renderTextReport(r)).not.toMatch(/^ {2}hint/m);
  });
});

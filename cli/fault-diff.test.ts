/**
 * The proof that the divergence engine finds what it claims: fsim carrying one seeded bug is
 * diffed against clean fsim, and the report must name exactly the injected instruction, buffer,
 * address and lane. Expectations are derived by hand from the program's disassembly (listed in
 * comments), not from the engine.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeInsn } from '../runtime/isa/codec.js';
import type { MemInsn } from '../runtime/isa/insn.js';
import { insnBytes } from '../runtime/bundle/bundle.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { createTarget } from '../targets/registry.js';
import { diffTargets } from '../tracer/diff-targets.js';
import { makeTraceSpec } from '../tracer/spec.js';
import { TraceStore } from '../tracer/store/trace-store.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-fault-diff-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function diff(workload: string, fault: string, mode = 'digest') {
  const store = TraceStore.open(join(dir, `${fault.replace(/[^a-z0-9]/gi, '_')}.db`));
  try {
    const bundle = buildWorkload(workload);
    return await diffTargets({ targets: ['fsim', `fsim+${fault}`], createTarget, bundle, spec: makeTraceSpec({ mode }), store });
  } finally {
    store.close();
  }
}

// vec:matmul_blocked_4x4, from its disassembly:
//   #3  LOAD WGT sram 0 <- 2x2 elements (WGT rows 0..3)      #4 GEMM uop [0,2) iter 2x2, acc +2/+1
//   #8  ALU SHR imm 7 over ACC 0..3                             #11 STORE, pushes st→cmp
//   #12 LOAD ACC, pops st→cmp
const MATMUL = 'vec:matmul_blocked_4x4';

describe('seeded fsim bugs are named exactly', () => {
  it('one flipped GEMM lane: instruction #4, sram.acc, the first ACC row it writes, lane 3 only', async () => {
    const { report } = await diff(MATMUL, 'gemm-lane:pc=4,lane=3');
    expect(report.values).toBe('diverge');
    const f = report.first!;
    expect([f.pc, f.stream, f.buffer, f.addr, f.kind]).toEqual([4, 'sram.acc', 'acc', 0, 'value']);
    expect(f.lanes!.differing).toEqual([3]);
    expect(f.disasm).toMatch(/^GEMM/);
  });

  it('a corrupted weight row: instruction #3, sram.wgt, element 1, lane 0', async () => {
    const { report } = await diff(MATMUL, 'wgt-row:pc=3,row=1', 'sram');
    const f = report.first!;
    expect([f.pc, f.stream, f.buffer, f.addr]).toEqual([3, 'sram.wgt', 'wgt', 1]);
    expect(f.lanes!.differing).toEqual([0]);
    // The 256-lane rows in the context show lane 0 and the two after it, then a gap.
    expect(f.context).toMatch(/^-#3 sram\.wgt @1 \[-?\d+ -?\d+ -?\d+ …\]$/m);
    expect(f.context).toMatch(/^\+#3 sram\.wgt @1 \[-?\d+ -?\d+ -?\d+ …\]$/m);
  });

  it('a wrong ALU opcode (SHR→ADD) at #8: sram.acc element 0, with lanes differing', async () => {
    const { report } = await diff(MATMUL, 'alu-op:pc=8,op=2');
    const f = report.first!;
    expect([f.pc, f.stream, f.addr]).toEqual([8, 'sram.acc', 0]);
    expect(f.lanes!.differing.length).toBeGreaterThan(0);
    expect(f.disasm).toMatch(/^ALU SHR/);
  });

  it('padding off by one: the first data element of the padded load becomes padding', async () => {
    const name = 'load_inp_pad_all4';
    const bundle = buildWorkload(`vec:${name}`);
    const raw = insnBytes(bundle);
    // Find the padded INP load and compute where its first data element sits in SRAM.
    let pc = -1;
    let insn: MemInsn | undefined;
    for (let k = 0; k < bundle.insnCount; k++) {
      const i = decodeInsn(bundle.params, raw, k * 16) as MemInsn;
      if (i.opcode === 0 && i.memory_type === 2 && i.x_pad_0 > 0) {
        pc = k;
        insn = i;
        break;
      }
    }
    expect(pc).toBeGreaterThanOrEqual(0);
    const rowLen = insn!.x_pad_0 + insn!.x_size + insn!.x_pad_1;
    const firstData = insn!.sram_base + insn!.y_pad_0 * rowLen + insn!.x_pad_0;
    const { report } = await diff(`vec:${name}`, `pad-off-by-one:pc=${pc}`, 'sram');
    const f = report.first!;
    expect([f.pc, f.stream, f.addr]).toEqual([pc, 'sram.inp', firstData]);
  });

  it('a dropped token is reported as a deadlock naming the blocked instruction and queue', async () => {
    const { report } = await diff(MATMUL, 'drop-token:pc=11');
    const bad = report.runs.find((r) => r.target === 'fsim+drop-token:pc=11')!;
    expect(bad.status).toBe('deadlock');
    expect(bad.blocked).toContainEqual({ pc: 12, module: 'compute', queue: 'st2cmp' });
    expect(report.first!.pc).toBe(12);
    expect(report.first!.kind).toBe('missing');
  });

  it('a fault on an instruction it cannot affect is refused, not reported as agreeing values', async () => {
    // #10 is an ALU MIN: a GEMM-lane fault there would do nothing, and "values agree" would read
    // as the engine missing the bug.
    await expect(diff(MATMUL, 'gemm-lane:pc=10,lane=0')).rejects.toThrow(/instruction #10 is ALU MIN; gemm-lane needs a GEMM/);
  });
});

import { describe, expect, it } from 'vitest';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import { MemoryRecordSink, Recorder } from '../../tracer/recorder.js';
import { makeTraceSpec } from '../../tracer/spec.js';
import { checkFaultReaches } from './fault-reach.js';
import { parseFault, type Fault } from './faults.js';
import { runFsim } from './fsim-target.js';

// vec:matmul_blocked_4x4 on default (vta-trace bundle show): #0 LOAD UOP, #1 LOAD ACC, #2 LOAD INP
// 2x2, #3 LOAD WGT 2x2 (push ld→cmp), #4 GEMM (accumulates; pop, push), #8 ALU SHR (no tokens),
// #11 STORE; 46 instructions; ACC elements of 1×16 lanes.
const bundle = (await buildWorkload('vec:matmul_blocked_4x4', { config: resolveConfig('default'), seed: 0 })) as ProgramBundle;

/** Per-instruction digests and the status of an fsim run, with or without a fault. */
function digests(fault?: Fault) {
  const out = new MemoryRecordSink();
  const r = new Recorder(makeTraceSpec({ mode: 'digest' }), bundle.insnCount, out);
  const status = runFsim({ bundle, sink: r }, fault).status;
  r.finish();
  return { status, insn: out.chunks.flatMap((c) => Array.from(c.insnDigests)) };
}

describe('a seeded fault must be able to fire in the program', () => {
  const clean = digests();

  it.each([
    'gemm-lane:pc=4,lane=3',
    'alu-op:pc=8,op=2',
    'wgt-row:pc=3,row=3',
    'pad-off-by-one:pc=2',
    'acc-offset:pc=4,by=1',
    'acc-negate:pc=8',
    'acc-truncate:pc=4,bits=8',
    'acc-shift:pc=4,by=2',
    'acc-rotate:pc=4,by=1',
    'acc-stale:pc=8',
    'acc-scramble:pc=4,seed=3',
    'load-offset:pc=2,by=1',
  ])(
    '%s is accepted, and the first instruction whose digest differs is the one it names',
    (text) => {
      const fault = parseFault(text);
      expect(() => checkFaultReaches(fault, bundle)).not.toThrow();
      const faulty = digests(fault);
      const firstDiff = faulty.insn.findIndex((d, i) => d !== clean.insn[i]);
      // Two 32-bit lanes per instruction.
      expect(Math.floor(firstDiff / 2)).toBe(fault.pc);
    },
  );

  it('drop-token on an instruction that pushes is accepted, and the run deadlocks', () => {
    const fault = parseFault('drop-token:pc=3');
    expect(() => checkFaultReaches(fault, bundle)).not.toThrow();
    expect(digests(fault).status).toBe('deadlock');
  });

  it.each([
    ['gemm-lane:pc=46,lane=3', /the program has 46 instructions \(#0–#45\)/],
    ['gemm-lane:pc=3,lane=3', /instruction #3 is LOAD WGT; gemm-lane needs a GEMM/],
    ['gemm-lane:pc=4,lane=16', /16 lanes \(0–15\), not lane 16/],
    ['alu-op:pc=4,op=2', /instruction #4 is GEMM; alu-op needs an ALU instruction/],
    ['wgt-row:pc=2,row=0', /instruction #2 is LOAD INP; wgt-row needs a LOAD WGT/],
    ['wgt-row:pc=3,row=4', /writes 4 WGT elements \(rows 0–3\), not row 4/],
    ['pad-off-by-one:pc=11', /instruction #11 is STORE OUT; pad-off-by-one needs a LOAD/],
    ['drop-token:pc=8', /instruction #8 is ALU SHR; drop-token needs an instruction that pushes a token/],
    ['acc-offset:pc=3,by=1', /instruction #3 is LOAD WGT; acc-offset needs a GEMM or ALU/],
    ['acc-offset:pc=4,by=0', /by=0 changes nothing/],
    ['acc-truncate:pc=4,bits=32', /bits=32 must be 1–31/],
    ['acc-shift:pc=4,by=0', /by=0 must be 1–31/],
    ['acc-rotate:pc=4,by=16', /multiple of the 16 ACC lanes/],
    ['load-offset:pc=4,by=1', /instruction #4 is GEMM; load-offset needs a LOAD that loads data/],
    ['load-offset:pc=3,by=4', /LOAD #3 writes 4 elements; by=4 wraps to itself/],
  ])('%s is refused: %s', (text, message) => {
    expect(() => checkFaultReaches(parseFault(text), bundle)).toThrow(message);
  });
});

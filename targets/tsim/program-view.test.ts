/** Module sequences, profiler-style counters and token-deadlock detection, on hand-made programs. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { staticCounters, tokenDeadlock, viewProgram } from './program-view.js';
import { bundleOf, finishInsn, gemmInsn, memInsn } from './testing/bundles.js';

const p = resolveConfig('default');

describe('program view', () => {
  const prog = [
    memInsn(0, 2, { x_size: 2, y_size: 3, push_next_dep: 1 }), // 0 load INP → ld2cmp
    memInsn(0, 0, { x_size: 4 }), // 1 load UOP: compute
    gemmInsn({ pop_prev_dep: 1, iter_out: 2, iter_in: 3, uop_end: 2, push_next_dep: 1 }), // 2 compute → cmp2st
    memInsn(1, 4, { x_size: 5, pop_prev_dep: 1 }), // 3 store
    finishInsn(), // 4 compute
  ];
  const view = viewProgram(bundleOf(p, prog));

  it('assigns instructions to modules as moduleOf does', () => {
    expect(view.pcs).toEqual({ load: [0], compute: [1, 2, 4], store: [3] });
  });

  it('counts bytes and iterations of retired instructions only', () => {
    const all = staticCounters(p, view, { load: 1, compute: 3, store: 1 });
    expect(all.bytes).toEqual({ uop: 16, inp: 6 * 16, wgt: 0, acc: 0, out: 5 * 16 });
    expect(all.gemmOps).toBe(2 * 3 * 2);
    const some = staticCounters(p, view, { load: 1, compute: 1, store: 0 });
    expect(some.bytes).toEqual({ uop: 16, inp: 96, wgt: 0, acc: 0, out: 0 });
    expect(some.gemmOps).toBe(0);
  });

  it('calls a stall a deadlock only when every waiting module lacks a token', () => {
    // Nothing retired on load: compute's GEMM (after the uop load) needs ld2cmp... but load still
    // has work and needs no token, so this is no deadlock.
    expect(tokenDeadlock(view, { load: 0, compute: 1, store: 0 })).toBeUndefined();
    // Load retired and pushed ld2cmp: GEMM could run; store waits on cmp2st, but compute is not blocked.
    expect(tokenDeadlock(view, { load: 1, compute: 1, store: 0 })).toBeUndefined();
    const stuck = viewProgram(bundleOf(p, [gemmInsn({ pop_next_dep: 1 }), memInsn(1, 4, { pop_prev_dep: 1 }), finishInsn()]));
    expect(tokenDeadlock(stuck, { load: 0, compute: 0, store: 0 })).toEqual([
      { pc: 0, module: 'compute', queue: 'st2cmp' },
      { pc: 1, module: 'store', queue: 'cmp2st' },
    ]);
  });
});

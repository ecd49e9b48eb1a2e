/**
 * The VCR counter checks against fsim's counts (vcr-counters.ts), on hand-made values: exact
 * counters name themselves and both values, bounds hold at their edges and fail past them, and a
 * design that declares nothing comparable is not checked at all.
 */
import { describe, expect, it } from 'vitest';
import { emptyCounters, type Counters } from '../../runtime/contract/target.js';
import { HARNESS_CYCLE_SLACK, vcrCounterProblems, type VcrCounters } from './vcr-counters.js';
import { parseProbeMap } from './probe-map.js';
import { readFileSync } from 'node:fs';
import { repoPath } from '../../runtime/repo.js';

const ALL = ['cycles', 'acc_row_writes', 'busy_load', 'busy_compute', 'busy_store', 'gemm_iterations', 'alu_iterations', 'read_beats', 'write_beats'];

/** fsim of a 3-instruction program: 10 GEMM + 2 reset iterations, 5 ALU; 64 INP/WGT bytes, 32 out. */
function fsim(): Counters {
  return { ...emptyCounters(), insns: { load: 1, compute: 1, store: 1 }, bytes: { uop: 8, inp: 32, wgt: 32, acc: 0, out: 32 }, gemmOps: 10, aluOps: 5, accRowWrites: 17 };
}

/** A run that satisfies every rule: 3 instructions fetched (6 beats of 8 bytes), 32 bytes written (4). */
function vcr(values: Record<string, number> = {}, opts: Partial<VcrCounters> = {}): VcrCounters {
  return {
    harnessCycles: 200,
    values: { cycles: 180, acc_row_writes: 17, busy_load: 8, busy_compute: 9, busy_store: 4, gemm_iterations: 10, alu_iterations: 5, read_beats: 6, write_beats: 4, ...values },
    compared: ALL,
    beatBytes: 8,
    traceUnit: false,
    ...opts,
  };
}

describe('VCR counters against fsim', () => {
  it('agree: no problem at the edges of every bound', () => {
    expect(vcrCounterProblems(vcr(), fsim())).toEqual([]);
    expect(vcrCounterProblems(vcr({ cycles: 200 - HARNESS_CYCLE_SLACK, busy_load: 136 }), fsim())).toEqual([]);
  });

  it('exact counters name the counter, what it read and what fsim counted', () => {
    expect(vcrCounterProblems(vcr({ acc_row_writes: 12 }), fsim())).toEqual(['VCR counter acc_row_writes reads 12, fsim counts 17 ACC row writes by GEMM and ALU iterations']);
    expect(vcrCounterProblems(vcr({ gemm_iterations: 12 }), fsim())[0]).toMatch(/^VCR counter gemm_iterations reads 12, fsim counts 10 /);
    expect(vcrCounterProblems(vcr({ alu_iterations: 4 }), fsim())[0]).toMatch(/^VCR counter alu_iterations reads 4, fsim counts 5 /);
  });

  it('cycles within the harness count and its slack', () => {
    const stuck = vcrCounterProblems(vcr({ cycles: 0 }), fsim());
    expect(stuck[0]).toMatch(/^VCR counter cycles reads 0, below 136 \(the harness counted 200 cycles/);
    // Every busy counter is then above the cycles counter too.
    expect(stuck.slice(1)).toEqual([expect.stringMatching(/^VCR counter busy_load reads 8, above 0 /), expect.stringMatching(/busy_compute/), expect.stringMatching(/busy_store/)]);
    expect(vcrCounterProblems(vcr({ cycles: 201 }), fsim())[0]).toMatch(/^VCR counter cycles reads 201, above 200 /);
  });

  it('beats and busy counters: lower bounds from the bytes and rows fsim moved, busy at most cycles', () => {
    expect(vcrCounterProblems(vcr({ read_beats: 5 }), fsim())[0]).toMatch(/^VCR counter read_beats reads 5, below 6 \(the 3 instructions fetched/);
    expect(vcrCounterProblems(vcr({ write_beats: 3 }), fsim())[0]).toMatch(/^VCR counter write_beats reads 3, below 4 /);
    expect(vcrCounterProblems(vcr({ busy_store: 3 }), fsim())[0]).toMatch(/^VCR counter busy_store reads 3, below 4 /);
    expect(vcrCounterProblems(vcr({ busy_compute: 8 }), fsim())[0]).toMatch(/^VCR counter busy_compute reads 8, below 9 \(fsim wrote 17 ACC rows, at most 2 a cycle\)/);
    // One pipe with the trace unit: 17 rows need 17 cycles.
    expect(vcrCounterProblems(vcr({ busy_compute: 16 }, { traceUnit: true }), fsim())[0]).toMatch(/below 17 /);
    expect(vcrCounterProblems(vcr({ busy_load: 181 }), fsim())[0]).toMatch(/^VCR counter busy_load reads 181, above 180 /);
  });

  it('only what the design declares comparable is checked', () => {
    expect(vcrCounterProblems(vcr({ acc_row_writes: 0, cycles: 0, read_beats: 0 }, { compared: [] }), fsim())).toEqual([]);
    expect(vcrCounterProblems(vcr({ acc_row_writes: 0, cycles: 0 }, { compared: ['cycles'] }), fsim())).toHaveLength(1);
  });
});

describe('probe map compareCounters', () => {
  const ours = JSON.parse(readFileSync(repoPath('fixtures', 'probe-maps', 'vta-trace-rtl.json'), 'utf8'));
  it('our RTL declares all its counters comparable', () => {
    expect(parseProbeMap(ours, 'x').compareCounters).toEqual(ALL);
  });
  it('a name that is no counter is an error naming the entry', () => {
    expect(() => parseProbeMap({ ...ours, compareCounters: ['cycles', 'beats'] }, 'm.json')).toThrow(/compareCounters\[1\].*must name cycles, acc_row_writes or one of counters .*got "beats"/);
  });
});

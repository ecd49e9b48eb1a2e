/**
 * regress judges what a design says about its own run (judge.ts observerFailure): on small-trace
 * the trace unit's records against fsim's board digests, and the VCR counters against fsim's
 * counts. Two mutants that changed nothing else the commit suite compared (issue 21 survivors #184
 * and #3, rebuilt here as patches of the same lines) now fail their case, naming the instruction
 * (the first record, of LOAD ACC at pc 0: the mutant swaps the unit's ACC-mask test, and LOAD ACC
 * is the program's first instruction) or the counter with both values; the RTL as it is passes.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../runtime/repo.js';
import { caseProblems, observerFailure } from './judge.js';
import type { CaseSpec } from './suites.js';
import { runTarget } from './workers/run-target.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-observer-'));

/** A patch of one line of our RTL (the line must be there, once). */
function patchOf(file: string, from: string, to: string): string {
  const rel = `targets/tsim/rtl/${file}`;
  const src = readFileSync(repoPath(rel), 'utf8');
  expect(src.split(from)).toHaveLength(2);
  const path = join(dir, `${file}.patch`);
  writeFileSync(path, createTwoFilesPatch(`a/${rel}`, `b/${rel}`, src, src.replace(from, to), '', '', { context: 3 }));
  return path;
}

const spec = (targets: string[]): CaseSpec => ({ id: 'alu:add-tensor#1@small-trace', workload: 'alu:add-tensor', config: 'small-trace', seed: 1, targets, golden: true });

async function judge(tsim: string) {
  const s = spec(['fsim', tsim]);
  const runs = await Promise.all(s.targets.map((target) => runTarget({ kind: 'run', spec: s, target, compare: 'digests' })));
  return { runs, problems: caseProblems(s, runs), observed: observerFailure(s, runs) };
}

describe('regress judges trace-unit records and VCR counters', () => {
  it('the RTL as it is: records and counters agree with fsim', async () => {
    const { runs, problems, observed } = await judge('tsim');
    expect(problems).toEqual([]);
    expect(observed).toBeUndefined();
    // One record per instruction on both sides, and the counters were there to check.
    expect(runs[1]!.boardRecords!.length).toBe(runs[0]!.boardRecords!.length);
    expect(runs[0]!.boardRecords!.length).toBeGreaterThan(0);
    expect(runs[1]!.vcr!.compared).toContain('acc_row_writes');
  }, 600_000);

  it('#184 (the unit digests ACC rows wrongly): outputs and digests agree, the record of pc 0 does not', async () => {
    const { problems, observed } = await judge(`tsim=${patchOf('vta_trace_unit.sv', 'AccMask == 1', 'AccMask != 1')}`);
    expect(problems).toEqual([]);
    expect(observed).toMatchObject({ signature: 'compute board.record', pc: 0 });
    expect(observed!.reason).toMatch(/trace-unit record of #0 differs from fsim's board digest: unit compute 0x[0-9a-f]{8}, fsim compute 0x[0-9a-f]{8}/);
  }, 600_000);

  it('#3 (ACC row writes of pipe 0 not counted): the counter is named with both values', async () => {
    const { problems, observed } = await judge(`tsim=${patchOf('vta_vcr.sv', "regs_d[9]  = regs_q[9] + 32'(ev_acc_wr_i[0]) + 32'(ev_acc_wr_i[1]);", "regs_d[9]  = regs_q[9] + 32'(ev_acc_wr_i[1]);")}`);
    expect(problems).toEqual([]);
    // alu:add-tensor: one ALU instruction of 6 iterations (independently: 1 uop × 6 rows), single pipe.
    expect(observed).toEqual({ signature: 'vcr acc_row_writes', reason: expect.stringMatching(/VCR counter acc_row_writes reads 0, fsim counts 6 ACC row writes/) });
  }, 600_000);
});

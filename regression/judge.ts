/**
 * The verdict of a case from its targets' runs (main side, no I/O): every target must end ok,
 * match the golden result when the case has one, and give the same outputs (and, when compared,
 * the same instruction digests) as the first target, the reference.
 */
import { vcrCounterProblems } from '../targets/tsim/vcr-counters.js';
import { boardMismatchText, firstBoardMismatch } from './board-compare.js';
import type { CaseSpec } from './suites.js';
import type { RunTaskResult } from './workers/tasks.js';

export function caseProblems(spec: CaseSpec, runs: RunTaskResult[]): string[] {
  const problems: string[] = [];
  const ref = runs[0]!;
  runs.forEach((r, i) => {
    const o = r.outcome;
    const name = spec.targets[i]!;
    if (o.status !== 'ok') problems.push(`${name} ended ${o.status}${o.message ? `: ${o.message}` : ''}`);
    else if (r.goldenMismatch) problems.push(`${name} outputs differ from the golden result`);
    else if (i > 0 && ref.outcome.status === 'ok' && r.outputsHash !== ref.outputsHash) problems.push(`${name} outputs differ from ${spec.targets[0]}`);
    else if (i > 0 && ref.outcome.status === 'ok' && o.digest !== undefined && ref.outcome.digest !== undefined && o.digest !== ref.outcome.digest) {
      problems.push(`${name} instruction digests differ from ${spec.targets[0]} (outputs agree)`);
    }
  });
  return problems;
}

/**
 * For a case whose targets agree on outputs and digests: what a design says about its own run
 * against what the reference (fsim) predicts — a TRACE_UNIT configuration's trace-unit records
 * against fsim's board digests (first differing instruction named), and the VCR counters the
 * design declares comparable against fsim's counts (targets/tsim/vcr-counters.ts). The tracer
 * sees none of this (the effects agree), so the failure carries its own signature and pc.
 */
export function observerFailure(spec: CaseSpec, runs: RunTaskResult[]): { reason: string; signature: string; pc?: number } | undefined {
  const ref = runs[0]!;
  const refName = spec.targets[0]!;
  if (ref.outcome.status !== 'ok') return undefined;
  for (let i = 1; i < runs.length; i++) {
    const r = runs[i]!;
    const name = spec.targets[i]!;
    if (r.outcome.status !== 'ok') continue;
    if (r.boardRingError) return { reason: `${name} trace-unit ring: ${r.boardRingError}`, signature: 'trace ring' };
    if (ref.boardRecords && r.boardRecords) {
      const m = firstBoardMismatch(ref.boardRecords, r.boardRecords, r.boardRingWrapped === true);
      if (m) return { reason: boardMismatchText(name, refName, m), signature: `${(m.got ?? m.want)!.module} board.record`, pc: m.pc };
    }
    if (r.vcr && ref.outcome.counters && refName.startsWith('fsim')) {
      const problems = vcrCounterProblems(r.vcr, ref.outcome.counters);
      if (problems.length) return { reason: problems.map((p) => `${name} ${p}`).join('; '), signature: `vcr ${/counter (\w+)/.exec(problems[0]!)?.[1] ?? 'counters'}` };
    }
  }
  return undefined;
}

/**
 * The verdict of a case from its targets' runs (main side, no I/O): every target must end ok,
 * match the golden result when the case has one, and give the same outputs (and, when compared,
 * the same instruction digests) as the first target, the reference.
 */
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

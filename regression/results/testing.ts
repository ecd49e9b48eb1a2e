/** Hand-made suite runs for tests of the results database, perf and merge. */
import type { CaseResult } from '../case-result.js';
import type { StoredCaseSpec, SuiteRunMeta } from './suite-run.js';

export function suiteRunMeta(over: Partial<SuiteRunMeta> & { commit: string; commitTime: string }): SuiteRunMeta {
  const { commit, commitTime, ...rest } = over;
  return {
    runKey: `${commit}-${Math.random()}`,
    suite: 'commit',
    compare: 'outputs',
    git: { commit, dirty: false, branch: 'main', commitTime },
    machine: 'test-machine',
    jobs: { fsim: 1, tsim: 1 },
    startedAt: commitTime,
    finishedAt: commitTime,
    seconds: 1,
    ...rest,
  };
}

export function caseSpec(id: string): StoredCaseSpec {
  return { id, workload: id.split('@')[0]!, config: id.split('@')[1] ?? 'default', seed: 0 };
}

/** A passing case whose targets took the given cycle counts. */
export function passingCase(id: string, cycles: Record<string, number>): CaseResult {
  return { id, verdict: 'pass', outcomes: Object.entries(cycles).map(([target, c]) => ({ target, status: 'ok', cycles: c })), seconds: 0.01 };
}

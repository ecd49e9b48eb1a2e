/**
 * Append one suite run with all its cases and per-target outcomes, in one transaction: a file
 * holds whole suite runs or none of a run.
 */
import type { CaseResult } from '../case-result.js';
import { withBusyRetry } from '../../tracer/store/busy.js';
import type { ResultsDbHandle } from './open.js';
import type { StoredCaseSpec, SuiteRunMeta } from './suite-run.js';

export function appendSuiteRun(db: ResultsDbHandle, meta: SuiteRunMeta, specs: StoredCaseSpec[], results: CaseResult[]): number {
  const specById = new Map(specs.map((s) => [s.id, s]));
  const insRun = db.prepare(`INSERT INTO suite_runs
    (run_key, suite, shard_index, shard_count, filter, tsim_variant, compare, git_commit, git_dirty, git_branch, commit_time,
     machine, jobs_json, started_at, finished_at, seconds, case_count)
    VALUES (@runKey, @suite, @shardIndex, @shardCount, @filter, @tsimVariant, @compare, @commit, @dirty, @branch, @commitTime,
     @machine, @jobs, @startedAt, @finishedAt, @seconds, @caseCount)`);
  const insCase = db.prepare(`INSERT INTO cases
    (suite_run_id, case_id, workload, config, seed, params_json, verdict, reason, signature, divergence_json, seconds, known_json)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const insTarget = db.prepare(`INSERT INTO case_targets
    (suite_run_id, case_id, position, target, status, cycles, counters_json, digest, message, board, design_hash)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  const write = db.transaction((): number => {
    const runId = Number(
      insRun.run({
        runKey: meta.runKey,
        suite: meta.suite,
        shardIndex: meta.shard?.index ?? null,
        shardCount: meta.shard?.count ?? null,
        filter: meta.filter ?? null,
        tsimVariant: meta.tsimVariant ?? null,
        compare: meta.compare,
        commit: meta.git.commit ?? null,
        dirty: meta.git.dirty ? 1 : 0,
        branch: meta.git.branch ?? null,
        commitTime: meta.git.commitTime ?? null,
        machine: meta.machine,
        jobs: JSON.stringify(meta.jobs),
        startedAt: meta.startedAt,
        finishedAt: meta.finishedAt,
        seconds: meta.seconds,
        caseCount: results.length,
      }).lastInsertRowid,
    );
    for (const r of results) {
      const s = specById.get(r.id);
      if (!s) throw new Error(`results of case ${r.id}, which is not among the suite's cases`);
      const params = s.params && Object.keys(s.params).length > 0 ? JSON.stringify(s.params) : null;
      insCase.run(runId, r.id, s.workload, s.config, s.seed, params, r.verdict, r.reason ?? null, r.signature ?? null, r.divergence ? JSON.stringify(r.divergence) : null, r.seconds, r.known ? JSON.stringify(r.known) : null);
      r.outcomes.forEach((o, position) => {
        // Cycles of a run that did not end normally mean little; kept in the row, never in perf.
        insTarget.run(runId, r.id, position, o.target, o.status, o.cycles, o.counters ? JSON.stringify(o.counters) : null, o.digest ?? null, o.message ?? null, o.board ?? null, o.designHash ?? null);
      });
    }
    return runId;
  });
  return withBusyRetry(() => write.immediate());
}

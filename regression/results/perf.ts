/**
 * Cycle counts across commits: for every case and target, one point per commit (the newest suite
 * run of that commit wins), commits ordered by commit time; a step between consecutive points
 * larger than the threshold is a change worth a look. Only runs that ended ok count: the cycles of
 * a hang or crash say nothing about performance.
 */
import { columnOrNull } from './columns.js';
import type { ResultsDbHandle } from './open.js';

/** One commit as perf sees it: a dirty work tree is its own point, after the clean commit. */
export interface PerfCommit {
  commit: string | null;
  dirty: boolean;
  /** Commit time, or the run's start time outside a git checkout. */
  time: string;
  /** Short label: 10 hex digits, "+" when dirty. */
  label: string;
}

export interface PerfChange {
  caseId: string;
  target: string;
  from: PerfCommit;
  to: PerfCommit;
  before: number;
  after: number;
  /** (after − before) / before × 100. */
  percent: number;
  /**
   * For a target spread over the boards file (fpga:*): the boards of the two points, when they
   * differ. A step that coincides with a board change may be the board, not the commit.
   */
  boards?: { from: string; to: string };
}

export interface PerfSeries {
  caseId: string;
  target: string;
  /** Cycles per commit, aligned with PerfTrend.commits; null where the case did not run (or not ok). */
  cycles: (number | null)[];
  /** The board that ran each point (fpga:*), else null; aligned like cycles. */
  boards: (string | null)[];
  changes: PerfChange[];
}

export interface PerfTrend {
  commits: PerfCommit[];
  series: PerfSeries[];
  changes: PerfChange[];
}

export interface PerfQuery {
  /** Keep cases whose id matches (ids name the workload and config: "random#7@small"). */
  caseFilter?: RegExp;
  /** Flag steps of more than this many percent (either direction). */
  thresholdPct: number;
}

interface Row {
  git_commit: string | null;
  git_dirty: number;
  time: string;
  case_id: string;
  target: string;
  cycles: number;
  board: string | null;
}

const commitKey = (commit: string | null, dirty: boolean) => `${commit ?? '(no commit)'}${dirty ? '+' : ''}`;

export function cycleTrend(db: ResultsDbHandle, q: PerfQuery): PerfTrend {
  // Oldest first; within one commit, older suite runs first so that the newest one overwrites.
  // A file of schema version 1 or 2 (read as it is) has no board column.
  const board = columnOrNull(db, 'case_targets', 'board', 't.');
  const rows = db
    .prepare(
      `SELECT r.git_commit, r.git_dirty, coalesce(r.commit_time, r.started_at) AS time, t.case_id, t.target, t.cycles, ${board}
       FROM case_targets t JOIN suite_runs r ON r.id = t.suite_run_id
       WHERE t.status = 'ok' AND t.cycles IS NOT NULL
       ORDER BY julianday(time), r.git_dirty, julianday(r.started_at), r.id`,
    )
    .all() as Row[];
  const commits: PerfCommit[] = [];
  const commitIndex = new Map<string, number>();
  const values = new Map<string, Map<number, { cycles: number; board: string | null }>>();
  for (const r of rows) {
    if (q.caseFilter && !q.caseFilter.test(r.case_id)) continue;
    const key = commitKey(r.git_commit, r.git_dirty === 1);
    let ci = commitIndex.get(key);
    if (ci === undefined) {
      ci = commits.length;
      commitIndex.set(key, ci);
      commits.push({ commit: r.git_commit, dirty: r.git_dirty === 1, time: r.time, label: `${r.git_commit?.slice(0, 10) ?? '(none)'}${r.git_dirty ? '+' : ''}` });
    }
    const sk = `${r.case_id}\u0000${r.target}`;
    if (!values.has(sk)) values.set(sk, new Map());
    values.get(sk)!.set(ci, { cycles: r.cycles, board: r.board });
  }
  const series: PerfSeries[] = [];
  for (const [sk, byCommit] of [...values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [caseId, target] = sk.split('\u0000') as [string, string];
    const cycles = commits.map((_, i) => byCommit.get(i)?.cycles ?? null);
    const boards = commits.map((_, i) => byCommit.get(i)?.board ?? null);
    series.push({ caseId, target, cycles, boards, changes: stepsBeyond(caseId, target, commits, cycles, boards, q.thresholdPct) });
  }
  return { commits, series, changes: series.flatMap((s) => s.changes) };
}

/** Steps between consecutive commits at which the series has a value (gaps are skipped over). */
function stepsBeyond(caseId: string, target: string, commits: PerfCommit[], cycles: (number | null)[], boards: (string | null)[], thresholdPct: number): PerfChange[] {
  const out: PerfChange[] = [];
  let prev = -1;
  cycles.forEach((c, i) => {
    if (c === null) return;
    if (prev >= 0) {
      const before = cycles[prev]!;
      const percent = before === 0 ? (c === 0 ? 0 : Infinity) : ((c - before) / before) * 100;
      if (Math.abs(percent) > thresholdPct) {
        const [from, to] = [boards[prev], boards[i]];
        const boardChange = from && to && from !== to ? { boards: { from, to } } : {};
        out.push({ caseId, target, from: commits[prev]!, to: commits[i]!, before, after: c, percent, ...boardChange });
      }
    }
    prev = i;
  });
  return out;
}

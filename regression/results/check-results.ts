/**
 * Whether a results database opened for reading (perf, merge inputs) holds what its schema says
 * (docs/results-schema.md), checked before its rows are used or copied: every table and column,
 * JSON columns that parse, numbers where numbers belong. SQLite does the scanning (typeof,
 * json_valid), so a file of thousands of cases costs milliseconds. The first problem is one line
 * "<file>: not a valid results database: <table> row <rowid>, <column>: <what>".
 */
import { isDamagedFileError, isSqliteError, sqliteProblem } from '../../tracer/store/sqlite-problem.js';
import { tableColumns } from './columns.js';
import { ResultsDbError } from './errors.js';
import type { ResultsDbHandle } from './open.js';

/** Columns of each table that every schema version has (later ones may be missing: read as NULL). */
const REQUIRED: Record<string, string[]> = {
  suite_runs: ['id', 'run_key', 'suite', 'compare', 'git_commit', 'git_dirty', 'machine', 'jobs_json', 'started_at', 'finished_at', 'seconds', 'case_count'],
  cases: ['suite_run_id', 'case_id', 'workload', 'config', 'seed', 'verdict', 'seconds'],
  case_targets: ['suite_run_id', 'case_id', 'position', 'target', 'status', 'cycles', 'counters_json'],
};

/** [table, column, SQL condition a valid row meets, what it must be]. Columns a file lacks are skipped. */
const ROW_RULES: [string, string, string, string][] = [
  ['suite_runs', 'jobs_json', 'json_valid(jobs_json)', 'JSON'],
  ['suite_runs', 'git_dirty', "typeof(git_dirty) = 'integer' AND git_dirty IN (0, 1)", '0 or 1'],
  ['suite_runs', 'started_at', "typeof(started_at) = 'text'", 'text'],
  ['suite_runs', 'run_key', "typeof(run_key) = 'text'", 'text'],
  ['suite_runs', 'commit_time', "commit_time IS NULL OR typeof(commit_time) = 'text'", 'text or NULL'],
  ['suite_runs', 'git_commit', "git_commit IS NULL OR typeof(git_commit) = 'text'", 'text or NULL'],
  ['cases', 'params_json', 'params_json IS NULL OR json_valid(params_json)', 'JSON or NULL'],
  ['cases', 'divergence_json', 'divergence_json IS NULL OR json_valid(divergence_json)', 'JSON or NULL'],
  ['cases', 'seed', "typeof(seed) = 'integer'", 'an integer'],
  ['case_targets', 'counters_json', 'counters_json IS NULL OR json_valid(counters_json)', 'JSON or NULL'],
  ['case_targets', 'cycles', "cycles IS NULL OR (typeof(cycles) = 'integer' AND cycles >= 0)", 'a non-negative integer or NULL'],
  ['case_targets', 'case_id', "typeof(case_id) = 'text'", 'text'],
  ['case_targets', 'target', "typeof(target) = 'text'", 'text'],
  ['case_targets', 'status', "typeof(status) = 'text'", 'text'],
  ['case_targets', 'board', "board IS NULL OR typeof(board) = 'text'", 'text or NULL'],
];

export function checkResultsDb(db: ResultsDbHandle, file: string): void {
  const fail = (problem: string): never => {
    throw new ResultsDbError(`${file}: not a valid results database: ${problem}`);
  };
  readingResults(file, () => {
    const columns = new Map(Object.keys(REQUIRED).map((t) => [t, new Set(tableColumns(db, t))]));
    for (const [table, required] of Object.entries(REQUIRED)) {
      const have = columns.get(table)!;
      if (have.size === 0) fail(`table ${table} is missing`);
      const missing = required.filter((c) => !have.has(c));
      if (missing.length) fail(`table ${table} lacks column ${missing.join(', ')}`);
    }
    for (const [table, column, valid, what] of ROW_RULES) {
      if (!columns.get(table)!.has(column)) continue;
      const bad = db.prepare(`SELECT rowid AS row, quote(${column}) AS value FROM ${table} WHERE NOT coalesce(${valid}, 0) LIMIT 1`).get() as { row: number; value: string } | undefined;
      if (bad) fail(`${table} row ${bad.row}, ${column}: expected ${what}, found ${bad.value.length > 40 ? `${bad.value.slice(0, 39)}…` : bad.value}`);
    }
  });
}

/** Run a read of a results database: SQLite failures become one line naming the file. */
export function readingResults<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (e) {
    if (isDamagedFileError(e)) throw new ResultsDbError(`${file}: not a valid results database: ${sqliteProblem(e as Error & { code: string })}`);
    if (isSqliteError(e)) throw new ResultsDbError(`${file}: cannot use results database: ${sqliteProblem(e)}`);
    throw e;
  }
}

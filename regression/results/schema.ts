/**
 * The results database schema (documented for any SQLite client in docs/results-schema.md): one
 * row per suite run (which commit, machine, suite and shard), one per case, one per target of a
 * case. Bump RESULTS_SCHEMA_VERSION on any incompatible change; a file of another version is
 * refused with a message saying which side is newer.
 */
export const RESULTS_SCHEMA_VERSION = 5;
/**
 * `vta-trace mutate` (regression/mutation/): one row per scored mutant, keyed by the sources it
 * mutates (their hash), the suite, its cases (a hash of their ids: a case added to the suite
 * scores every mutant again) and the mutant's stable key, so a re-run skips what is scored;
 * one row per case of the unmutated design's baseline run (its time orders the cases cheapest first).
 */
const MUTATION_SQL = `
CREATE TABLE IF NOT EXISTS mutants (
  sources_hash TEXT NOT NULL,
  suite        TEXT NOT NULL,
  cases_hash   TEXT NOT NULL,
  mutant_key   TEXT NOT NULL,
  file         TEXT NOT NULL,
  module       TEXT NOT NULL,
  line         INTEGER NOT NULL,
  operator     TEXT NOT NULL,
  original     TEXT NOT NULL,
  replacement  TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('killed', 'survived', 'timeout', 'build error')),
  case_id      TEXT,
  signature    TEXT,
  divergence_json TEXT,
  cases_run    INTEGER NOT NULL,
  seconds      REAL NOT NULL,
  scored_at    TEXT NOT NULL,
  PRIMARY KEY (sources_hash, suite, cases_hash, mutant_key)
);
CREATE TABLE IF NOT EXISTS mutation_baselines (
  sources_hash TEXT NOT NULL,
  suite        TEXT NOT NULL,
  case_id      TEXT NOT NULL,
  seconds      REAL NOT NULL,
  outputs_hash TEXT NOT NULL,
  digest       TEXT,
  PRIMARY KEY (sources_hash, suite, case_id)
);
`;

/** The cases table's columns (also what the version 3 → 4 upgrade copies into). */
const CASES_COLUMNS = `
  suite_run_id    INTEGER NOT NULL REFERENCES suite_runs(id),
  case_id         TEXT NOT NULL,
  workload        TEXT NOT NULL,
  config          TEXT NOT NULL,
  seed            INTEGER NOT NULL,
  params_json     TEXT,
  verdict         TEXT NOT NULL CHECK (verdict IN ('pass', 'known', 'fail', 'error')),
  reason          TEXT,
  signature       TEXT,
  divergence_json TEXT,
  known_json      TEXT,
  seconds         REAL NOT NULL,
  PRIMARY KEY (suite_run_id, case_id)
`;

/** The case_targets table's columns (likewise). */
const CASE_TARGETS_COLUMNS = `
  suite_run_id  INTEGER NOT NULL,
  case_id       TEXT NOT NULL,
  position      INTEGER NOT NULL,
  target        TEXT NOT NULL,
  status        TEXT NOT NULL,
  cycles        INTEGER,
  counters_json TEXT,
  digest        TEXT,
  message       TEXT,
  board         TEXT,
  design_hash   TEXT,
  PRIMARY KEY (suite_run_id, case_id, position),
  FOREIGN KEY (suite_run_id, case_id) REFERENCES cases(suite_run_id, case_id)
`;

/**
 * What each older version lacks, oldest first: version 1 had no cases.params_json, version 2 no
 * case_targets.board, version 3 no verdict `known`, cases.known_json nor case_targets.design_hash
 * (the verdict's CHECK cannot be altered in place: both case tables are copied into new ones).
 * An older file is upgraded in place (every step from its version on) when opened for writing,
 * and read as it is otherwise: readers treat a missing column as NULL.
 */
export const RESULTS_UPGRADES: readonly { from: number; sql: string }[] = [
  { from: 1, sql: 'ALTER TABLE cases ADD COLUMN params_json TEXT' },
  { from: 2, sql: 'ALTER TABLE case_targets ADD COLUMN board TEXT' },
  {
    from: 3,
    // Both tables are moved aside, made anew, copied and dropped, child first: renaming a parent
    // rewrites its children's foreign keys, so both move together and no child loses its parent.
    sql: `ALTER TABLE case_targets RENAME TO case_targets_v3;
ALTER TABLE cases RENAME TO cases_v3;
CREATE TABLE cases (${CASES_COLUMNS});
CREATE TABLE case_targets (${CASE_TARGETS_COLUMNS});
INSERT INTO cases (suite_run_id, case_id, workload, config, seed, params_json, verdict, reason, signature, divergence_json, seconds)
  SELECT suite_run_id, case_id, workload, config, seed, params_json, verdict, reason, signature, divergence_json, seconds FROM cases_v3;
INSERT INTO case_targets (suite_run_id, case_id, position, target, status, cycles, counters_json, digest, message, board)
  SELECT suite_run_id, case_id, position, target, status, cycles, counters_json, digest, message, board FROM case_targets_v3;
DROP TABLE case_targets_v3;
DROP TABLE cases_v3;
CREATE INDEX IF NOT EXISTS case_targets_by_case ON case_targets (case_id, target);`,
  },
  { from: 4, sql: MUTATION_SQL },
];
/** PRAGMA application_id of a results database: ASCII "VTAR" (a trace database is "VTAT"). */
export const RESULTS_APPLICATION_ID = 0x56544152;

export const RESULTS_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS suite_runs (
  id           INTEGER PRIMARY KEY,
  run_key      TEXT NOT NULL UNIQUE,
  suite        TEXT NOT NULL,
  shard_index  INTEGER,
  shard_count  INTEGER,
  filter       TEXT,
  tsim_variant TEXT,
  compare      TEXT NOT NULL,
  git_commit   TEXT,
  git_dirty    INTEGER NOT NULL,
  git_branch   TEXT,
  commit_time  TEXT,
  machine      TEXT NOT NULL,
  jobs_json    TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  finished_at  TEXT NOT NULL,
  seconds      REAL NOT NULL,
  case_count   INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS cases (${CASES_COLUMNS});
CREATE TABLE IF NOT EXISTS case_targets (${CASE_TARGETS_COLUMNS});
CREATE INDEX IF NOT EXISTS case_targets_by_case ON case_targets (case_id, target);
${MUTATION_SQL}`;

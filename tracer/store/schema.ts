/**
 * The trace database schema (documented for any SQLite client in docs/trace-schema.md). Bump
 * SCHEMA_VERSION on any incompatible change; a database of a version this program neither writes
 * nor can upgrade (SCHEMA_UPGRADES) is refused with a message saying which side is newer.
 */
// 2: board records (the board_records table, runs.host_events and runs.board_source).
// Later, within version 2: runs.digest_version (added to older files when opened for writing,
// see addedColumns; a run without it that has digests has version-1 digests).
// 3: events rows may store addrs and cycles in their compact forms (compact-columns.ts).
// 4: what produced a run: runs.git_dirty (the checkout had changes) and runs.design_json (the
// design a simulator ran: label, description file, hash of its sources).
// 5: what LOADs read: the dram.load stream (id 11, a row in streams) and runs.dram_reads (whether
// the run's target reports those reads).
export const SCHEMA_VERSION = 5;

/**
 * How an older file becomes the current version, one step per version: it is read as it is and
 * upgraded in place when opened for writing. 2 → 3 changes no table: version 3 only adds row
 * forms a version-2 reader would misread, so the number alone keeps older readers away.
 */
export const SCHEMA_UPGRADES: readonly { from: number; sql: string }[] = [
  { from: 2, sql: '' },
  // Older runs get NULL: not known whether their checkout was dirty, nor which design they ran.
  { from: 3, sql: 'ALTER TABLE runs ADD COLUMN git_dirty INTEGER; ALTER TABLE runs ADD COLUMN design_json TEXT;' },
  // Older runs get NULL (not known whether their target reported reads: they stored none).
  { from: 4, sql: "ALTER TABLE runs ADD COLUMN dram_reads INTEGER; INSERT OR IGNORE INTO streams (id, name) VALUES (11, 'dram.load');" },
];

/**
 * Page size of a new file. SQLite writes each page of a commit to the WAL as its own frame (two
 * write calls each), so sram-mode runs, which commit megabytes, go faster with larger pages
 * (conv:C10, 100 interleaved rounds: median 10.7 ms with 4 KiB, 10.0 with 8 KiB, 9.1 with 16
 * KiB); but every commit also rewrites whole pages for a few changed bytes (the run's row, page
 * 1), and with 16 KiB the untraced (outputs-mode) run got 2–3% slower (8 KiB: within the noise).
 */
export const PAGE_SIZE = 8192;

/**
 * Columns added without a version bump: additive, so a file with them stays readable and writable
 * by every vta-trace of this schema version, and a file without them gets them when opened for
 * writing. Each is [table, column, declaration].
 */
export const ADDED_COLUMNS: readonly (readonly [string, string, string])[] = [['runs', 'digest_version', 'INTEGER']];
/** PRAGMA application_id of a trace database: ASCII "VTAT". */
export const APPLICATION_ID = 0x56544154;

export const RUN_STATUSES = ['running', 'ok', 'mismatch', 'crash', 'hang', 'deadlock', 'timeout', 'interrupted'] as const;
export type StoredRunStatus = (typeof RUN_STATUSES)[number];

/**
 * Where a run's board records (runtime/contract/board-digest.ts) came from: read from the on-board trace
 * unit's ring, or computed by the tracer from the run's own events.
 */
export const BOARD_SOURCES = ['trace-unit', 'events'] as const;
export type BoardSource = (typeof BOARD_SOURCES)[number];

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS streams (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS bundles (
  hash            TEXT PRIMARY KEY,
  insn_count      INTEGER NOT NULL,
  config_json     TEXT NOT NULL,
  program         BLOB NOT NULL,
  outputs_json    TEXT NOT NULL,
  workload_json   TEXT,
  bundle_path     TEXT
);
CREATE TABLE IF NOT EXISTS source_map (
  bundle_hash TEXT NOT NULL REFERENCES bundles(hash),
  pc          INTEGER NOT NULL,
  op          TEXT NOT NULL,
  loop_json   TEXT,
  note        TEXT,
  PRIMARY KEY (bundle_hash, pc)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS expected_outputs (
  bundle_hash TEXT NOT NULL REFERENCES bundles(hash),
  name        TEXT NOT NULL,
  bytes       BLOB NOT NULL,
  PRIMARY KEY (bundle_hash, name)
);
CREATE TABLE IF NOT EXISTS runs (
  id            INTEGER PRIMARY KEY,
  target        TEXT NOT NULL,
  config_name   TEXT,
  config_hash   TEXT NOT NULL,
  bundle_hash   TEXT NOT NULL REFERENCES bundles(hash),
  git_commit    TEXT,
  trace_mode    TEXT NOT NULL,
  trace_spec    TEXT NOT NULL,
  digest_scope  TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN (${RUN_STATUSES.map((s) => `'${s}'`).join(', ')})),
  message       TEXT,
  blocked_json  TEXT,
  counters_json TEXT,
  module_cycles_json TEXT,
  insn_count    INTEGER NOT NULL,
  event_count   INTEGER NOT NULL DEFAULT 0,
  started_at    TEXT NOT NULL,
  finished_at   TEXT,
  host          TEXT,
  pid           INTEGER,
  host_events   INTEGER NOT NULL DEFAULT 1,
  board_source  TEXT CHECK (board_source IN (${BOARD_SOURCES.map((s) => `'${s}'`).join(', ')})),
  digest_version INTEGER,
  git_dirty     INTEGER,
  design_json   TEXT,
  dram_reads    INTEGER
);
CREATE TABLE IF NOT EXISTS events (
  id       INTEGER PRIMARY KEY,
  run_id   INTEGER NOT NULL REFERENCES runs(id),
  pc       INTEGER NOT NULL,
  stream   INTEGER NOT NULL REFERENCES streams(id),
  part     INTEGER NOT NULL,
  n        INTEGER NOT NULL,
  elem_len INTEGER NOT NULL,
  addrs    BLOB NOT NULL,
  cycles   BLOB NOT NULL,
  data     BLOB NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS events_by_run_pc ON events (run_id, pc, stream, part);
CREATE TABLE IF NOT EXISTS digests (
  run_id       INTEGER NOT NULL REFERENCES runs(id),
  chunk        INTEGER NOT NULL,
  first_pc     INTEGER NOT NULL,
  count        INTEGER NOT NULL,
  lo           INTEGER NOT NULL,
  hi           INTEGER NOT NULL,
  insn_digests BLOB NOT NULL,
  present      BLOB NOT NULL,
  PRIMARY KEY (run_id, chunk)
);
CREATE TABLE IF NOT EXISTS board_records (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  seq    INTEGER NOT NULL,
  pc     INTEGER NOT NULL,
  module INTEGER NOT NULL,
  digest INTEGER NOT NULL,
  PRIMARY KEY (run_id, seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS outputs (
  run_id INTEGER NOT NULL REFERENCES runs(id),
  name   TEXT NOT NULL,
  addr   INTEGER NOT NULL,
  bytes  BLOB NOT NULL,
  PRIMARY KEY (run_id, name)
);
CREATE TABLE IF NOT EXISTS divergences (
  id          INTEGER PRIMARY KEY,
  created_at  TEXT NOT NULL,
  run_ids     TEXT NOT NULL,
  verdict     TEXT NOT NULL,
  pc          INTEGER,
  stream      TEXT,
  addr        INTEGER,
  report_json TEXT NOT NULL
);
`;

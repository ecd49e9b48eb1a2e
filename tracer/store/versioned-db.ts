/**
 * Opening an SQLite file that belongs to vta-trace and carries its own schema version (the trace
 * database, the regression results database): WAL so readers never wait for a writer, a busy
 * timeout because several processes share one file, then schema creation or a version check
 * (an older version the kind knows how to upgrade is read as it is, and upgraded in place when
 * opened for writing). Anything else is refused with a message naming the file.
 */
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { prepareOutputFile } from '../../runtime/files/output-path.js';
import { withBusyRetry } from './busy.js';
import { isDamagedFileError, isSqliteError, sqliteProblem } from './sqlite-problem.js';

export type Db = Database.Database;

/** What one kind of file is, and the errors a user sees for it. */
export interface VersionedDbKind {
  /** e.g. "trace database": used in messages. */
  noun: string;
  applicationId: number;
  schemaVersion: number;
  /** Create the schema in an empty file (called inside a write transaction). */
  create(db: Db): void;
  /** What an empty file opened only for reading lacks, e.g. "no runs recorded". */
  emptyReason: string;
  /** Extra words after the application id of a foreign file, e.g. ": a trace database". */
  foreignHint?(applicationId: number): string;
  error(message: string): Error;
  versionError(file: string, found: number, supported: number): Error;
  /**
   * Older versions this program still reads, oldest first: step `from` takes a file from version
   * `from` to `from + 1` (its SQL may be empty). Such a file is read as it is, and upgraded in
   * place, every step from its version on, when opened for writing.
   */
  upgrades?: readonly { from: number; sql: string }[];
  /** Page size of a file this creates (SQLite's 4096 otherwise). An existing file keeps its own. */
  pageSize?: number;
}

export function openVersionedDb(file: string, readonly: boolean, kind: VersionedDbKind, tuneWritable?: (db: Db) => void): Db {
  const inMemory = file === ':memory:' || file === '';
  // Missing folders are created, and a directory, a device (a link to /dev/null) or a read-only
  // place is refused before SQLite sees it: it would fail later, with less to say.
  if (!readonly && !inMemory) prepareOutputFile(file, kind.noun, { needsWritableFolder: true });
  if (readonly && !inMemory && !isRegularFile(file)) throw kind.error(`${file}: not a valid ${kind.noun}: not a regular file`);
  let db: Db;
  try {
    db = new Database(file, { readonly });
  } catch (e) {
    throw kind.error(`${file}: cannot open ${kind.noun}: ${isSqliteError(e) ? sqliteProblem(e, file) : (e as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 30000');
    if (!readonly) {
      // Before WAL: a file in WAL mode can no longer change its page size.
      if (kind.pageSize) db.pragma(`page_size = ${kind.pageSize}`);
      withBusyRetry(() => db.pragma('journal_mode = WAL'));
      // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
      db.pragma('synchronous = NORMAL');
      tuneWritable?.(db);
    }
    checkOrCreateSchema(db, file, readonly, kind);
  } catch (e) {
    db.close();
    if (!isSqliteError(e)) throw e;
    if (isDamagedFileError(e)) throw kind.error(`${file}: not a valid ${kind.noun}: not an SQLite database, or damaged (${sqliteProblem(e)})`);
    throw kind.error(`${file}: cannot open ${kind.noun}: ${sqliteProblem(e, file)}`);
  }
  return db;
}

function isRegularFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    // Missing: the caller's own check says so (or SQLite does).
    return true;
  }
}

function checkOrCreateSchema(db: Db, file: string, readonly: boolean, kind: VersionedDbKind): void {
  // One read transaction, so the three answers come from the same snapshot: read one by one, a
  // process creating the file beside us could commit in between (no application id yet, but
  // tables already), and the file would look foreign.
  const read = db.transaction(() => ({
    appId: db.pragma('application_id', { simple: true }) as number,
    version: db.pragma('user_version', { simple: true }) as number,
    tables: (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n,
  }));
  let state = read();
  if (state.tables === 0 && state.appId === 0) {
    if (readonly) throw kind.error(`${file}: empty database, ${kind.emptyReason}`);
    // Several processes may create the same fresh file at once: create under the write lock, idempotently.
    withBusyRetry(() =>
      db
        .transaction(() => {
          kind.create(db);
          db.pragma(`application_id = ${kind.applicationId}`);
          db.pragma(`user_version = ${kind.schemaVersion}`);
        })
        .immediate(),
    );
    state = read();
  }
  if (state.appId !== kind.applicationId) {
    throw kind.error(`${file}: not a vta-trace ${kind.noun} (application_id ${state.appId}${kind.foreignHint?.(state.appId) ?? ''})`);
  }
  if (state.version === kind.schemaVersion) return;
  if (!upgradable(kind, state.version)) throw kind.versionError(file, state.version, kind.schemaVersion);
  if (!readonly) upgrade(db, kind);
}

/** Whether every step from `version` to the current one is known. */
function upgradable(kind: VersionedDbKind, version: number): boolean {
  if (version >= kind.schemaVersion) return false;
  for (let v = version; v < kind.schemaVersion; v++) if (!kind.upgrades?.some((u) => u.from === v)) return false;
  return true;
}

/** Run the missing steps under the write lock, once: another process may be upgrading the same file. */
function upgrade(db: Db, kind: VersionedDbKind): void {
  withBusyRetry(() =>
    db
      .transaction(() => {
        const found = db.pragma('user_version', { simple: true }) as number;
        if (found === kind.schemaVersion) return;
        for (const step of kind.upgrades ?? []) if (step.from >= found && step.sql) db.exec(step.sql);
        db.pragma(`user_version = ${kind.schemaVersion}`);
      })
      .immediate(),
  );
}

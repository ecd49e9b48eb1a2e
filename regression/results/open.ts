/**
 * Opening a results database the way the trace store opens its own (tracer/store/open.ts): WAL
 * so that `perf` can read while a suite appends, a busy timeout because shards on one machine
 * may append to the same file, then schema creation or a version check. Anything that is not a
 * results database of this version is refused naming the file.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { withBusyRetry } from '../../tracer/store/busy.js';
import { ResultsDbError, ResultsSchemaVersionError } from './errors.js';
import { RESULTS_APPLICATION_ID, RESULTS_SCHEMA_SQL, RESULTS_SCHEMA_VERSION } from './schema.js';

export type ResultsDbHandle = Database.Database;

/** Where `regress` appends and `perf` reads when no --results is given (relative to the working directory). */
export const DEFAULT_RESULTS_FILE = '.cache/results.db';

export interface OpenResultsOptions {
  /** For commands that only read (perf, merge inputs): refuse a missing file, never write. */
  readonly?: boolean;
}

export function openResultsDb(file: string, opts: OpenResultsOptions = {}): ResultsDbHandle {
  const readonly = opts.readonly ?? false;
  if (readonly && !existsSync(file)) throw new ResultsDbError(`${file}: no such results database (run \`vta-trace regress --results ${file}\` first)`);
  if (!readonly && file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  let db: ResultsDbHandle;
  try {
    db = new Database(file, { readonly });
  } catch (e) {
    throw new ResultsDbError(`${file}: cannot open results database: ${(e as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 30000');
    if (!readonly) {
      withBusyRetry(() => db.pragma('journal_mode = WAL'));
      db.pragma('synchronous = NORMAL');
    }
    checkOrCreateSchema(db, file, readonly);
  } catch (e) {
    db.close();
    if (e instanceof ResultsDbError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') throw new ResultsDbError(`${file}: not an SQLite database (or damaged): ${(e as Error).message}`);
    throw e;
  }
  return db;
}

function checkOrCreateSchema(db: ResultsDbHandle, file: string, readonly: boolean): void {
  const read = () => ({
    appId: db.pragma('application_id', { simple: true }) as number,
    version: db.pragma('user_version', { simple: true }) as number,
    tables: (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n,
  });
  let state = read();
  if (state.tables === 0 && state.appId === 0) {
    if (readonly) throw new ResultsDbError(`${file}: empty database, no suite runs recorded`);
    // Shards on one machine may create the same fresh file at once: create under the write lock, idempotently.
    withBusyRetry(() =>
      db
        .transaction(() => {
          db.exec(RESULTS_SCHEMA_SQL);
          db.pragma(`application_id = ${RESULTS_APPLICATION_ID}`);
          db.pragma(`user_version = ${RESULTS_SCHEMA_VERSION}`);
        })
        .immediate(),
    );
    state = read();
  }
  if (state.appId !== RESULTS_APPLICATION_ID) {
    throw new ResultsDbError(`${file}: not a vta-trace results database (application_id ${state.appId}${state.appId === 0x56544154 ? ': a trace database' : ''})`);
  }
  if (state.version !== RESULTS_SCHEMA_VERSION) throw new ResultsSchemaVersionError(file, state.version, RESULTS_SCHEMA_VERSION);
}

/**
 * Opening a results database with the trace store's mechanism (tracer/store/versioned-db.ts): WAL
 * so that `perf` can read while a suite appends, a busy timeout because shards on one machine
 * may append to the same file, then schema creation or a version check, and the upgrade of an
 * older version (RESULTS_UPGRADES). Anything else is refused naming the file.
 */
import { existsSync } from 'node:fs';
import { APPLICATION_ID as TRACE_APPLICATION_ID } from '../../tracer/store/schema.js';
import { openVersionedDb, type Db, type VersionedDbKind } from '../../tracer/store/versioned-db.js';
import { checkResultsDb } from './check-results.js';
import { ResultsDbError, ResultsSchemaVersionError } from './errors.js';
import { RESULTS_APPLICATION_ID, RESULTS_SCHEMA_SQL, RESULTS_SCHEMA_VERSION, RESULTS_UPGRADES } from './schema.js';

export type ResultsDbHandle = Db;

/** Where `regress` appends and `perf` reads when no --results is given (relative to the working directory). */
export const DEFAULT_RESULTS_FILE = '.cache/results.db';

export interface OpenResultsOptions {
  /** For commands that only read (perf, merge inputs): refuse a missing file, never write. */
  readonly?: boolean;
}

const RESULTS_DB: VersionedDbKind = {
  noun: 'results database',
  applicationId: RESULTS_APPLICATION_ID,
  schemaVersion: RESULTS_SCHEMA_VERSION,
  create: (db) => db.exec(RESULTS_SCHEMA_SQL),
  emptyReason: 'no suite runs recorded',
  foreignHint: (appId) => (appId === TRACE_APPLICATION_ID ? ': a trace database' : ''),
  error: (message) => new ResultsDbError(message),
  versionError: (file, found, supported) => new ResultsSchemaVersionError(file, found, supported),
  // An older version: readers use it as it is (a column it lacks reads as NULL); a writer upgrades
  // it in place first, so old results stay in the same file beside new ones.
  upgrades: RESULTS_UPGRADES,
};

export function openResultsDb(file: string, opts: OpenResultsOptions = {}): ResultsDbHandle {
  const readonly = opts.readonly ?? false;
  if (readonly && !existsSync(file)) throw new ResultsDbError(`${file}: no such results database (run \`vta-trace regress --results ${file}\` first)`);
  // A file opened for writing gets its missing folders there (tracer/store/versioned-db.ts).
  const db = openVersionedDb(file, readonly, RESULTS_DB);
  if (readonly) {
    // Before a reader uses a row of it (perf) or copies one (merge).
    try {
      checkResultsDb(db, file);
    } catch (e) {
      db.close();
      throw e;
    }
  }
  return db;
}

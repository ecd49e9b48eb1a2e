/**
 * Opening a results database with the trace store's mechanism (tracer/store/versioned-db.ts): WAL
 * so that `perf` can read while a suite appends, a busy timeout because shards on one machine
 * may append to the same file, then schema creation or a version check. Anything that is not a
 * results database of this version is refused naming the file.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { APPLICATION_ID as TRACE_APPLICATION_ID } from '../../tracer/store/schema.js';
import { withBusyRetry } from '../../tracer/store/busy.js';
import { openVersionedDb, type Db, type VersionedDbKind } from '../../tracer/store/versioned-db.js';
import { ResultsDbError, ResultsSchemaVersionError } from './errors.js';
import { RESULTS_APPLICATION_ID, RESULTS_SCHEMA_SQL, RESULTS_SCHEMA_VERSION, RESULTS_UPGRADABLE_VERSION, RESULTS_UPGRADE_FROM_1 } from './schema.js';

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
};

export function openResultsDb(file: string, opts: OpenResultsOptions = {}): ResultsDbHandle {
  const readonly = opts.readonly ?? false;
  if (readonly && !existsSync(file)) throw new ResultsDbError(`${file}: no such results database (run \`vta-trace regress --results ${file}\` first)`);
  if (!readonly && file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  try {
    return openVersionedDb(file, readonly, RESULTS_DB);
  } catch (e) {
    if (!versionFound(e, RESULTS_UPGRADABLE_VERSION)) throw e;
  }
  // A file of the previous version: readers use it as it is (nothing they read changed); a writer
  // upgrades it in place first, so old results stay in the same file beside new ones.
  try {
    const db = openVersionedDb(file, readonly, { ...RESULTS_DB, schemaVersion: RESULTS_UPGRADABLE_VERSION });
    if (!readonly) upgrade(db);
    return db;
  } catch (e) {
    // Another process upgraded the file between the two opens.
    if (versionFound(e, RESULTS_SCHEMA_VERSION)) return openVersionedDb(file, readonly, RESULTS_DB);
    throw e;
  }
}

const versionFound = (e: unknown, version: number) => e instanceof ResultsSchemaVersionError && e.found === version;

/** Add what version 2 added, under the write lock and only once (another process may be upgrading the same file). */
function upgrade(db: Db): void {
  withBusyRetry(() =>
    db
      .transaction(() => {
        if ((db.pragma('user_version', { simple: true }) as number) !== RESULTS_UPGRADABLE_VERSION) return;
        db.exec(RESULTS_UPGRADE_FROM_1);
        db.pragma(`user_version = ${RESULTS_SCHEMA_VERSION}`);
      })
      .immediate(),
  );
}

/**
 * Opening a trace database (tracer/store/versioned-db.ts does the WAL, locking and version
 * check shared with the results database). Anything that is not a trace database of this
 * version is refused with a message naming the file.
 */
import { existsSync } from 'node:fs';
import { STREAMS } from '../events.js';
import { SchemaVersionError, TraceStoreError } from '../errors.js';
import { APPLICATION_ID, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
import { openVersionedDb, type Db, type VersionedDbKind } from './versioned-db.js';

export type { Db };

export interface OpenOptions {
  /** Refuse to create the file (for commands that only read). */
  mustExist?: boolean;
  readonly?: boolean;
}

const TRACE_DB: VersionedDbKind = {
  noun: 'trace database',
  applicationId: APPLICATION_ID,
  schemaVersion: SCHEMA_VERSION,
  create(db) {
    db.exec(SCHEMA_SQL);
    const ins = db.prepare('INSERT OR IGNORE INTO streams (id, name) VALUES (?, ?)');
    STREAMS.forEach((s, i) => ins.run(i, s));
  },
  emptyReason: 'no runs recorded',
  error: (message) => new TraceStoreError(message),
  versionError: (file, found, supported) => new SchemaVersionError(file, found, supported),
};

export function openTraceDb(file: string, opts: OpenOptions = {}): Db {
  if ((opts.mustExist || opts.readonly) && file !== ':memory:' && !existsSync(file)) {
    throw new TraceStoreError(`${file}: no such trace database (record runs first, or pass --db FILE)`);
  }
  // Checkpoint (and fsync) every 64 MiB of WAL instead of every 4 MiB: measured 2.7× more
  // events/s on a long sram-mode run (see bench/tracer.ts), at no cost to crash safety.
  return openVersionedDb(file, opts.readonly ?? false, TRACE_DB, (db) => db.pragma('wal_autocheckpoint = 16384'));
}

/**
 * Opening a trace database (tracer/store/versioned-db.ts does the WAL, locking, version check
 * and upgrades shared with the results database). Anything that is not a trace database of
 * this version, or of an older one it upgrades (SCHEMA_UPGRADES), is refused with a message
 * naming the file.
 */
import { existsSync } from 'node:fs';
import { STREAMS } from '../../runtime/contract/events.js';
import { SchemaVersionError, TraceStoreError } from '../errors.js';
import { ADDED_COLUMNS, APPLICATION_ID, PAGE_SIZE, SCHEMA_SQL, SCHEMA_UPGRADES, SCHEMA_VERSION } from './schema.js';
import { withBusyRetry } from './busy.js';
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
  upgrades: SCHEMA_UPGRADES,
  pageSize: PAGE_SIZE,
  create(db) {
    db.exec(SCHEMA_SQL);
    const ins = db.prepare('INSERT OR IGNORE INTO streams (id, name) VALUES (?, ?)');
    STREAMS.forEach((s, i) => ins.run(i, s));
  },
  emptyReason: 'no runs recorded',
  error: (message) => new TraceStoreError(message),
  versionError: (file, found, supported) => new SchemaVersionError(file, found, supported),
};

/** WAL bytes between automatic checkpoints. */
export const CHECKPOINT_BYTES = 64 << 20;

export function openTraceDb(file: string, opts: OpenOptions = {}): Db {
  if ((opts.mustExist || opts.readonly) && file !== ':memory:' && !existsSync(file)) {
    throw new TraceStoreError(`${file}: no such trace database (record runs first, or pass --db FILE)`);
  }
  // Checkpoint (and fsync) every 64 MiB of WAL instead of every 1000 pages: measured 2.7× more
  // events/s on a long sram-mode run (see bench/tracer.ts), at no cost to crash safety. The
  // setting counts pages, and files keep the page size they were created with.
  const db = openVersionedDb(file, opts.readonly ?? false, TRACE_DB, (db) =>
    db.pragma(`wal_autocheckpoint = ${CHECKPOINT_BYTES / (db.pragma('page_size', { simple: true }) as number)}`),
  );
  if (!opts.readonly) addMissingColumns(db);
  return db;
}

/** ADDED_COLUMNS a file of this version lacks (written before they existed), added in place. */
function addMissingColumns(db: Db): void {
  const has = (table: string, column: string) => (db.pragma(`table_info(${table})`) as { name: string }[]).some((c) => c.name === column);
  for (const [table, column, declaration] of ADDED_COLUMNS) {
    if (has(table, column)) continue;
    try {
      withBusyRetry(() => db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${declaration}`));
    } catch (e) {
      // Another process added it between the check and the ALTER.
      if (!has(table, column)) throw e;
    }
  }
}

/**
 * Opening a trace database: WAL, busy timeout, schema creation or version check. Anything that
 * is not a trace database of this version is refused with a message naming the file.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { STREAMS } from '../events.js';
import { SchemaVersionError, TraceStoreError } from '../errors.js';
import { withBusyRetry } from './busy.js';
import { APPLICATION_ID, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Refuse to create the file (for commands that only read). */
  mustExist?: boolean;
  readonly?: boolean;
}

export function openTraceDb(file: string, opts: OpenOptions = {}): Db {
  if ((opts.mustExist || opts.readonly) && file !== ':memory:' && !existsSync(file)) {
    throw new TraceStoreError(`${file}: no such trace database (record runs first, or pass --db FILE)`);
  }
  let db: Db;
  try {
    db = new Database(file, { readonly: opts.readonly ?? false });
  } catch (e) {
    throw new TraceStoreError(`${file}: cannot open trace database: ${(e as Error).message}`);
  }
  try {
    db.pragma('busy_timeout = 30000');
    if (!opts.readonly) {
      withBusyRetry(() => db.pragma('journal_mode = WAL'));
      // NORMAL is durable across process crashes in WAL mode (only an OS crash can lose the last commits).
      db.pragma('synchronous = NORMAL');
      // Checkpoint (and fsync) every 64 MiB of WAL instead of every 4 MiB: measured 2.7× more
      // events/s on a long sram-mode run (see bench/tracer.ts), at no cost to crash safety.
      db.pragma('wal_autocheckpoint = 16384');
    }
    checkOrCreateSchema(db, file, opts.readonly ?? false);
  } catch (e) {
    db.close();
    if (e instanceof TraceStoreError) throw e;
    const code = (e as { code?: string }).code;
    if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT') {
      throw new TraceStoreError(`${file}: not an SQLite database (or damaged): ${(e as Error).message}`);
    }
    throw e;
  }
  return db;
}

function checkOrCreateSchema(db: Db, file: string, readonly: boolean): void {
  const read = () => ({
    appId: db.pragma('application_id', { simple: true }) as number,
    version: db.pragma('user_version', { simple: true }) as number,
    tables: (db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE type = 'table'").get() as { n: number }).n,
  });
  let state = read();
  if (state.tables === 0 && state.appId === 0) {
    if (readonly) throw new TraceStoreError(`${file}: empty database, no runs recorded`);
    // Several processes may create the same fresh file at once: create under the write lock, idempotently.
    withBusyRetry(() =>
      db
        .transaction(() => {
          db.exec(SCHEMA_SQL);
          const ins = db.prepare('INSERT OR IGNORE INTO streams (id, name) VALUES (?, ?)');
          STREAMS.forEach((s, i) => ins.run(i, s));
          db.pragma(`application_id = ${APPLICATION_ID}`);
          db.pragma(`user_version = ${SCHEMA_VERSION}`);
        })
        .immediate(),
    );
    state = read();
  }
  if (state.appId !== APPLICATION_ID) {
    throw new TraceStoreError(`${file}: not a vta-trace trace database (application_id ${state.appId})`);
  }
  if (state.version !== SCHEMA_VERSION) throw new SchemaVersionError(file, state.version, SCHEMA_VERSION);
}

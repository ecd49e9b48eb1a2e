/**
 * SQLite's failures in words, for the one line a user sees. better-sqlite3 throws SqliteError
 * with an extended result code (SQLITE_FULL, SQLITE_IOERR_WRITE, …); the code says more about
 * what to do than SQLite's own message ("disk I/O error"), so both are given.
 */
import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { oneLine } from '../../runtime/errors.js';

/** Whether `e` came from SQLite (better-sqlite3's SqliteError carries a SQLITE_* code). */
export function isSqliteError(e: unknown): e is Error & { code: string } {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string' && (e as unknown as { code: string }).code.startsWith('SQLITE_');
}

/** Whether the file's content, not its surroundings, is at fault (a damaged or foreign file). */
export function isDamagedFileError(e: unknown): boolean {
  if (!isSqliteError(e)) return false;
  return /^SQLITE_(CORRUPT|NOTADB|FORMAT|MISMATCH|RANGE|TOOBIG|SCHEMA)/.test(e.code) || (e.code === 'SQLITE_ERROR' && /no such (table|column)|malformed/.test(e.message));
}

/** Whether the file system holding `file` has no block left for an ordinary user. */
function noSpaceLeft(file: string): boolean {
  try {
    return statfsSync(dirname(resolve(file))).bavail === 0;
  } catch {
    return false;
  }
}

/**
 * What went wrong, e.g. "the disk is full (SQLITE_FULL)". With the file, an I/O error on a file
 * system without free space says so too (SQLite reports a full disk as SQLITE_IOERR_SHMSIZE
 * when it cannot grow the -shm file).
 */
export function sqliteProblem(e: Error & { code: string }, file?: string): string {
  const c = e.code;
  const full = c.startsWith('SQLITE_FULL') || (c.startsWith('SQLITE_IOERR') && file !== undefined && noSpaceLeft(file));
  const words = full
    ? 'the disk is full'
    : c.startsWith('SQLITE_READONLY')
      ? 'read-only (file system, permissions or a read-only open)'
      : c.startsWith('SQLITE_IOERR')
        ? `I/O error: ${oneLine(e.message)} (is it a regular file on a working disk?)`
        : c.startsWith('SQLITE_CANTOPEN')
          ? `cannot open: ${oneLine(e.message)}`
          : oneLine(e.message);
  return `${words} (${c})`;
}

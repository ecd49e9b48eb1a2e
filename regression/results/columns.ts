/** The columns a table of a results database has: files of older schema versions lack some (schema.ts, RESULTS_UPGRADES). */
import type { ResultsDbHandle } from './open.js';

export function tableColumns(db: ResultsDbHandle, table: string, schema = 'main'): string[] {
  return (db.prepare(`PRAGMA ${schema}.table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
}

/** `column`, or NULL under its name when this file's table lacks it (a reader of an older file). */
export function columnOrNull(db: ResultsDbHandle, table: string, column: string, prefix = ''): string {
  return tableColumns(db, table).includes(column) ? `${prefix}${column}` : `NULL AS ${column}`;
}

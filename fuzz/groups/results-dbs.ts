/**
 * Results databases: one of three suite runs at three commits, with cells of the wrong type or
 * shape (JSON columns cut, cycles as text or negative, the dirty flag out of range), rows
 * deleted, tables dropped, the schema version changed, or the file's bytes damaged. Read by
 * `perf` and `merge`.
 */
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { appendSuiteRun } from '../../regression/results/append.js';
import { openResultsDb } from '../../regression/results/open.js';
import { caseSpec, passingCase, suiteRunMeta } from '../../regression/results/testing.js';
import type { FuzzCase, FuzzGroup } from '../fuzz-case.js';
import type { Rng } from '../rng.js';
import { caseDir, damageBytes } from './files.js';

const COLUMNS: Record<string, string[]> = {
  suite_runs: ['jobs_json', 'git_dirty', 'started_at', 'commit_time', 'run_key', 'git_commit', 'seconds', 'case_count'],
  cases: ['params_json', 'divergence_json', 'seed', 'case_id', 'verdict', 'seconds'],
  case_targets: ['counters_json', 'cycles', 'case_id', 'target', 'status', 'board', 'position'],
};

function damageDb(rng: Rng, file: string): string {
  const db = new Database(file);
  try {
    const kind = rng.int(0, 9);
    if (kind < 7) {
      const table = rng.pick(Object.keys(COLUMNS));
      const column = rng.pick(COLUMNS[table]!);
      const rowids = db.prepare(`SELECT rowid FROM ${table}`).pluck().all() as number[];
      const value = rng.pick<unknown>(['{"fsim": ', 'x', -5, 2 ** 62, 0.25, null, Buffer.from([1, 2, 3]), JSON.stringify(rng.jsonValue()), 7]);
      try {
        db.prepare(`UPDATE ${table} SET ${column} = ? WHERE rowid = ?`).run(value as never, rng.pick(rowids));
      } catch {
        return `${table}.${column} refused by SQLite`;
      }
      return `${table}.${column} := ${Buffer.isBuffer(value) ? 'a BLOB' : JSON.stringify(value)}`;
    }
    if (kind === 7) {
      const table = rng.pick(Object.keys(COLUMNS));
      db.exec(`DELETE FROM ${table} WHERE rowid IN (SELECT rowid FROM ${table} ORDER BY random() LIMIT 2)`);
      return `rows of ${table} deleted`;
    }
    if (kind === 8) {
      const table = rng.pick(Object.keys(COLUMNS));
      db.exec(`DROP TABLE ${table}`);
      return `table ${table} dropped`;
    }
    const v = rng.pick([0, 1, 2, 9]);
    db.pragma(`user_version = ${v}`);
    return `user_version := ${v}`;
  } finally {
    db.close();
  }
}

export const resultsDbGroup: FuzzGroup = {
  name: 'results databases',
  prepare(dir) {
    const base = join(dir, 'results.db');
    const db = openResultsDb(base);
    ['2024-05-01T09:00:00Z', '2024-05-02T09:00:00Z', '2024-05-03T09:00:00Z'].forEach((t, i) => {
      const cases = [passingCase('gemm@small', { fsim: 400, tsim: 500 + 100 * i }), passingCase('alu@small', { fsim: 90, tsim: 100 })];
      appendSuiteRun(db, suiteRunMeta({ commit: `c${i}aaaaaaaaaa`, commitTime: t }), cases.map((c) => caseSpec(c.id)), cases);
    });
    db.close();
    return base;
  },
  make(rng, index, base, dir): FuzzCase {
    const d = caseDir(dir, index);
    const path = join(d, 'results.db');
    copyFileSync(base as string, path);
    const labels: string[] = [];
    if (rng.chance(0.15)) labels.push(damageBytes(rng, path, 100));
    else
      for (let k = rng.int(1, 2); k > 0; k--) {
        try {
          labels.push(damageDb(rng, path));
        } catch {
          // A step on a table an earlier step dropped.
          labels.push('(step not applicable)');
        }
      }
    const argv = rng.pick([
      ['perf', '--results', path],
      ['perf', '--results', path, '--all', '--json'],
      ['perf', '--results', path, '--threshold', '1', '--fail-on-change'],
      ['merge', join(d, 'merged.db'), path],
    ]);
    return { label: labels.join('; '), argv, names: [path] };
  },
};

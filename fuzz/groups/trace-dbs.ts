/**
 * Trace databases: a real one (two sram-mode fsim runs that agree, a digest-mode pair against a
 * seeded GEMM lane bug that diverges) with cells set to values of the wrong type or shape (JSON
 * columns cut or of another shape, counts larger than their BLOBs — one events row claiming
 * 10^8 events —, negative or huge numbers, BLOBs for text), rows deleted, tables dropped, the
 * schema version changed, or the file's bytes damaged. Read by `runs`, `show` and `diff --db`.
 */
import Database from 'better-sqlite3';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../cli-in-process.js';
import type { FuzzCase, FuzzGroup } from '../fuzz-case.js';
import type { Rng } from '../rng.js';
import { caseDir, damageBytes } from './files.js';

/** Columns worth damaging, per table (every JSON, count and BLOB column the readers use). */
const COLUMNS: Record<string, string[]> = {
  runs: ['counters_json', 'module_cycles_json', 'blocked_json', 'insn_count', 'event_count', 'status', 'target', 'bundle_hash', 'trace_spec', 'trace_mode', 'digest_scope', 'started_at', 'host_events', 'board_source', 'digest_version', 'config_hash'],
  events: ['n', 'elem_len', 'addrs', 'cycles', 'data', 'pc', 'stream', 'part'],
  digests: ['count', 'insn_digests', 'present', 'lo', 'hi', 'chunk', 'first_pc'],
  bundles: ['config_json', 'outputs_json', 'workload_json', 'program', 'insn_count', 'hash', 'bundle_path'],
  source_map: ['loop_json', 'op', 'note', 'pc'],
  outputs: ['bytes', 'addr', 'name'],
  expected_outputs: ['bytes', 'name'],
};

function cellValue(rng: Rng): { value: unknown; label: string } {
  switch (rng.int(0, 9)) {
    case 0:
      return { value: '{"cycles": 1', label: 'cut JSON' };
    case 1: {
      const v = JSON.stringify(rng.jsonValue());
      return { value: v, label: `JSON ${v}` };
    }
    case 2:
      return { value: 100_000_000, label: '10^8' };
    case 3:
      return { value: -1, label: '-1' };
    case 4:
      return { value: Buffer.from(rng.bytes(rng.int(0, 12))), label: 'a BLOB' };
    case 5:
      return { value: null, label: 'NULL' };
    case 6:
      return { value: 2 ** 62, label: '2^62' };
    case 7:
      return { value: 0.5, label: '0.5' };
    case 8:
      return { value: rng.text(), label: 'text' };
    default:
      return { value: rng.int(0, 300), label: 'a small integer' };
  }
}

function damageDb(rng: Rng, file: string): string {
  const db = new Database(file);
  try {
    const kind = rng.int(0, 19);
    if (kind < 15) {
      const table = rng.pick(Object.keys(COLUMNS));
      const column = rng.pick(COLUMNS[table]!);
      // source_map is WITHOUT ROWID: its rows are found by pc (every run here shares one bundle).
      const key = table === 'source_map' ? 'pc' : 'rowid';
      const rowids = db.prepare(`SELECT ${key} FROM ${table}`).pluck().all() as number[];
      if (!rowids.length) return `${table} is empty`;
      const { value, label } = cellValue(rng);
      try {
        db.prepare(`UPDATE ${table} SET ${column} = ? WHERE ${key} = ?`).run(value as never, rng.pick(rowids));
      } catch {
        return `${table}.${column} := ${label} refused by SQLite`;
      }
      return `${table}.${column} := ${label}`;
    }
    if (kind < 17) {
      const table = rng.pick(Object.keys(COLUMNS));
      const key = table === 'source_map' ? 'pc' : 'rowid';
      db.prepare(`DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} ORDER BY random() LIMIT ?)`).run(rng.int(1, 3));
      return `rows of ${table} deleted`;
    }
    if (kind === 17) {
      const table = rng.pick(Object.keys(COLUMNS));
      db.exec(`DROP TABLE ${table}`);
      return `table ${table} dropped`;
    }
    const v = rng.pick([0, 1, 2, 4, 99]);
    db.pragma(`user_version = ${v}`);
    return `user_version := ${v}`;
  } finally {
    db.close();
  }
}

export const traceDbGroup: FuzzGroup = {
  name: 'trace databases',
  async prepare(dir) {
    const base = join(dir, 'base.db');
    const small = ['--workload', 'gemm', '--config', 'small', '--db', base];
    for (const argv of [['diff', 'fsim', 'fsim', '--mode', 'sram', ...small], ['diff', 'fsim', 'fsim+gemm-lane:pc=4,lane=1', ...small]]) {
      const r = await runCli(argv);
      if (r.code !== 0 && r.code !== 1) throw new Error(`fuzz: cannot make the base trace database: ${r.err}`);
    }
    return base;
  },
  make(rng, index, base, dir): FuzzCase {
    const d = caseDir(dir, index);
    const path = join(d, 'trace.db');
    copyFileSync(base as string, path);
    const labels: string[] = [];
    if (rng.chance(0.15)) labels.push(damageBytes(rng, path, 100));
    else
      for (let k = rng.int(1, 3); k > 0; k--) {
        try {
          labels.push(damageDb(rng, path));
        } catch {
          // A step on a table an earlier step dropped.
          labels.push('(step not applicable)');
        }
      }
    const argv = rng.pick([
      ['runs', '--db', path],
      ['runs', '--db', path, '--json'],
      ['show', rng.pick(['1', '2', '3', 'last']), '--db', path],
      ['show', rng.pick(['1', '4']), '--db', path, '--stream', rng.pick(['sram', 'insn', 'dram'])],
      ['diff', '--db', path, '1', '2'],
      ['diff', '--db', path, '3', '4'],
    ]);
    return { label: labels.join('; '), argv, names: [path] };
  },
};

/**
 * merge: the two shards of a suite, each recorded by `vta-trace regress --shard i/2` into its own
 * file, merge into a database holding exactly the unsharded run's cases with the same verdicts and
 * cycle counts; merging a file again adds nothing; an input of another schema version is refused
 * and the output is left as it was.
 */
import Database from 'better-sqlite3';
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/testing/run-cli.js';
import { ResultsSchemaVersionError } from './errors.js';
import { mergeResultsDbs } from './merge.js';
import { RESULTS_SCHEMA_VERSION } from './schema.js';

type Row = { case_id: string; verdict: string; target: string; cycles: number };
const caseRows = (file: string): Row[] => {
  const db = new Database(file, { readonly: true });
  const rows = db
    .prepare('SELECT c.case_id, c.verdict, t.target, t.cycles FROM cases c JOIN case_targets t USING (suite_run_id, case_id) ORDER BY c.case_id, t.position')
    .all() as Row[];
  db.close();
  return rows;
};
const count = (file: string, table: string) => {
  const db = new Database(file, { readonly: true });
  const n = (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  db.close();
  return n;
};

describe('vta-trace merge', () => {
  it('two shard databases merge into the unsharded run’s case set', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vta-merge-'));
    const regress = (file: string, ...more: string[]) => runCli('regress', '--suite', 'smoke', '--filter', '^vec:.*alu', '--jobs', '1', '--json', '--results', join(dir, file), ...more);
    expect((await regress('whole.db')).code).toBe(0);
    expect((await regress('shard1.db', '--shard', '1/2', '--machine', 'ci-1')).code).toBe(0);
    expect((await regress('shard2.db', '--shard', '2/2', '--machine', 'ci-2')).code).toBe(0);
    const whole = caseRows(join(dir, 'whole.db'));
    expect(new Set(whole.map((r) => r.case_id)).size).toBeGreaterThanOrEqual(4);
    // Each shard alone is a strict part of the suite.
    expect(caseRows(join(dir, 'shard1.db')).length).toBeLessThan(whole.length);

    const merged = join(dir, 'merged.db');
    const r = await runCli('merge', merged, join(dir, 'shard1.db'), join(dir, 'shard2.db'));
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/merged 2 suite run\(s\) with \d+ case\(s\) into .*merged\.db/);
    expect(caseRows(merged)).toEqual(whole);
    const db = new Database(merged, { readonly: true });
    expect(db.prepare('SELECT machine, shard_index, shard_count FROM suite_runs ORDER BY id').all()).toEqual([
      { machine: 'ci-1', shard_index: 1, shard_count: 2 },
      { machine: 'ci-2', shard_index: 2, shard_count: 2 },
    ]);
    db.close();

    // The same suite runs again (a re-uploaded artifact, the output itself): nothing new.
    const again = mergeResultsDbs(merged, [join(dir, 'shard2.db'), merged, join(dir, 'shard1.db')]);
    expect(again.addedRuns).toBe(0);
    expect(count(merged, 'suite_runs')).toBe(2);
    expect(caseRows(merged)).toEqual(whole);
  });

  it('refuses an input of another schema version before writing anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vta-merge-'));
    const good = join(dir, 'good.db');
    expect((await runCli('regress', '--suite', 'smoke', '--filter', 'gemm_tile', '--jobs', '1', '--json', '--results', good)).code).toBe(0);
    const newer = join(dir, 'newer.db');
    copyFileSync(good, newer);
    const raw = new Database(newer);
    raw.pragma(`user_version = ${RESULTS_SCHEMA_VERSION + 1}`);
    raw.close();
    const out = join(dir, 'out.db');
    expect(() => mergeResultsDbs(out, [good, newer])).toThrow(ResultsSchemaVersionError);
    const r = await runCli('merge', out, good, newer);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`newer\\.db: results database schema version ${RESULTS_SCHEMA_VERSION + 1}, this vta-trace reads version ${RESULTS_SCHEMA_VERSION} \\(written by a newer vta-trace`));
    // good.db came first, yet nothing of it was merged.
    expect(() => count(out, 'suite_runs')).toThrow();
  });
});

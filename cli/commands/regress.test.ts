/**
 * `vta-trace regress` with a parametrised case: the filter matches its id literally, and the id
 * with its parameters is the JUnit test name and the results database key, the parameters stored
 * beside it as data.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

describe('vta-trace regress', () => {
  it('runs a scaled ResNet-18 layer of the commit suite by its id; JUnit and the results database name it with its parameters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vta-regress-cli-'));
    const [junit, results] = [join(dir, 'junit.xml'), join(dir, 'results.db')];
    const r = await runCli('regress', '--suite', 'commit', '--filter', '^conv:C4,scale=4#1@small$', '--jobs', '2', '--junit', junit, '--results', results, '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out).cases as { id: string; verdict: string }[]).map((c) => [c.id, c.verdict])).toEqual([['conv:C4,scale=4#1@small', 'pass']]);
    expect(readFileSync(junit, 'utf8')).toMatch(/<testcase classname="commit" name="conv:C4,scale=4#1@small" time="[0-9.]+"\/>/);
    const db = new Database(results, { readonly: true });
    expect(db.prepare('SELECT case_id, workload, config, seed, params_json, verdict FROM cases').all()).toEqual([
      { case_id: 'conv:C4,scale=4#1@small', workload: 'conv:C4', config: 'small', seed: 1, params_json: '{"scale":4}', verdict: 'pass' },
    ]);
    expect(db.prepare('SELECT target, status FROM case_targets ORDER BY position').all()).toEqual([
      { target: 'fsim', status: 'ok' },
      { target: 'tsim', status: 'ok' },
    ]);
    db.close();
  }, 120_000);
});

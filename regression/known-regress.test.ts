/**
 * regress with known differences (docs/known-differences.md) and with targets that cannot be set
 * up. A seeded fsim fault stands in for a design's accepted difference: with an entry describing
 * it the case is counted as known — not passed, not failed — in the console, JSON, JUnit and the
 * results database; without one it fails. A target that cannot be made is one error line.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-known-regress-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// vec:matmul_blocked_4x4 #4 is a GEMM; the fault flips lane 3 of the rows it writes.
const ARGS = ['regress', '--suite', 'smoke', '--targets', 'fsim,fsim+gemm-lane:pc=4,lane=3', '--filter', '^vec:matmul_(blocked_4x4|single_tile_requant)@', '--jobs', '1'];

describe('regress --known', () => {
  it('counts a case whose only divergence is known apart from passes and failures, everywhere', async () => {
    const known = join(dir, 'known.json');
    // The entry names matmul_blocked_4x4's #4 (GEMM iter 2x2); the other program's first divergence is another kind of instruction.
    writeFileSync(known, JSON.stringify({ format: 'vta-trace.known-differences/1', entries: [{ id: 'lane3', match: { insn: 'GEMM', fields: { iter_out: 2, iter_in: 2 } }, reason: 'lane 3 is a spare' }] }));
    const junit = join(dir, 'k.xml');
    const results = join(dir, 'k.db');
    const r = await runCli(...ARGS, '--known', known, '--junit', junit, '--results', results);
    expect(r.out).toMatch(/KNOWN \[lane3\] 1 case\(s\): lane 3 is a spare/);
    expect(r.out).toMatch(/2 cases: 0 passed, 1 known difference\(s\), 1 failed/);
    expect(r.code).toBe(1);
    const xml = readFileSync(junit, 'utf8');
    expect(xml).toMatch(/tests="2" failures="1" errors="0"/);
    expect(xml).toMatch(/name="vec:matmul_blocked_4x4@default"[^>]*>\s*<properties>\s*<property name="known-difference" value="lane3"\/>/);
    const db = new Database(results, { readonly: true });
    expect(db.prepare("SELECT case_id, verdict, json_extract(known_json, '$.id') AS id FROM cases ORDER BY case_id").all()).toEqual([
      { case_id: 'vec:matmul_blocked_4x4@default', verdict: 'known', id: 'lane3' },
      { case_id: 'vec:matmul_single_tile_requant@default', verdict: 'fail', id: null },
    ]);
    db.close();
    const json = JSON.parse((await runCli(...ARGS, '--known', known, '--json', '--no-results')).out).cases;
    expect(Object.fromEntries(json.map((c: { id: string; verdict: string }) => [c.id, c.verdict]))).toEqual({
      'vec:matmul_blocked_4x4@default': 'known',
      'vec:matmul_single_tile_requant@default': 'fail',
    });
    expect(json.find((c: { verdict: string }) => c.verdict === 'known').known).toEqual({ id: 'lane3', reason: 'lane 3 is a spare', link: null });
  }, 120_000);

  it('without an entry the same case fails', async () => {
    const r = await runCli(...ARGS, '--no-results');
    expect(r.out).toMatch(/2 cases: 0 passed, 2 failed/);
    expect(r.code).toBe(1);
  }, 120_000);

  it('an unknown tsim variant or design among the targets is one error line, before any case runs', async () => {
    for (const t of ['tsim:nosuchvariant', `tsim=${join(dir, 'missing.json')}`]) {
      const r = await runCli('regress', '--suite', 'smoke', '--targets', `fsim,${t}`, '--jobs', '1', '--no-results');
      expect(r.code).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/no RTL variant "nosuchvariant"|cannot read the design description/);
      expect(r.out).toBe('');
    }
  });

  it('a target the workers cannot make stops the suite with one error line, not a crash per case', async () => {
    const r = await runCli('regress', '--suite', 'smoke', '--targets', 'fsim,fsim+nosuchfault:pc=1', '--jobs', '2', '--no-results', '--no-progress');
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(/^vta-trace: target fsim\+nosuchfault:pc=1: unknown fault "nosuchfault"/)]);
    expect(r.out).not.toMatch(/worker crash/);
  }, 120_000);
});

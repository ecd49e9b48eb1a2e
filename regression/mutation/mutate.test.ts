/**
 * vta-trace mutate end to end on our RTL (one Verilator build of the small configuration): a
 * mutant the ALU case must catch (ADD computing A − B) is killed by it with an ALU signature, one
 * equivalent by construction (A + B written B + A) survives, the results land in the results
 * database, and a second run scores nothing new.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runMutation } from './engine.js';
import { aluAddMutants } from './testing/alu-add-mutants.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-mutate-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vta-trace mutate on our RTL', () => {
  const results = join(dir, 'results.db');
  const opts = { suite: 'smoke' as const, count: 2, seed: 1, filter: /^alu:add-tensor/, jobs: 1, resultsFile: results, select: aluAddMutants };

  it('kills the mutant the case sees, the equivalent one survives, and the database keeps both', async () => {
    const r = await runMutation(opts);
    const [sub, commuted] = r.mutants;
    expect(sub!.status).toBe('killed');
    expect(sub!.caseId).toBe('alu:add-tensor#1@small');
    expect(sub!.signature).toMatch(/^ALU ADD/);
    expect(commuted!.status).toBe('survived');
    expect(commuted!.patch).toContain('+      ALU_ADD: return b + a;');
    expect(r.summary).toMatchObject({ total: 2, killed: 1, survived: 1, buildErrors: 0, score: 0.5 });
    expect(r.scoredNow).toBe(2);
    const db = new Database(results, { readonly: true });
    const rows = db.prepare('SELECT mutant_key, status, case_id, operator, line FROM mutants ORDER BY mutant_key').all();
    db.close();
    expect(rows).toEqual([
      { mutant_key: 'test:add-commuted', status: 'survived', case_id: null, operator: 'swap', line: sub!.line },
      { mutant_key: 'test:add-to-sub', status: 'killed', case_id: 'alu:add-tensor#1@small', operator: 'swap', line: sub!.line },
    ]);
  }, 600_000);

  it('a second run scores nothing new and reports the same', async () => {
    const r = await runMutation(opts);
    expect(r.scoredNow).toBe(0);
    expect(r.buildSeconds).toBe(0);
    expect(r.mutants.map((m) => [m.status, m.cached])).toEqual([
      ['killed', true],
      ['survived', true],
    ]);
  }, 600_000);

  it('a reviewed equivalent survivor leaves the denominator; a reviewed mutant that is killed contradicts the review', async () => {
    const first = await runMutation(opts);
    const review = first.mutants.map((m) => ({ file: m.file, line: m.line, operator: m.operator, original: m.original, replacement: m.replacement, why: `judged ${m.key}` }));
    const r = await runMutation({ ...opts, equivalenceReview: review });
    const [sub, commuted] = r.mutants;
    expect(commuted!.equivalent).toBe('judged test:add-commuted');
    expect(sub!.equivalent).toBeUndefined();
    expect(sub!.reviewContradicted).toBe('judged test:add-to-sub');
    // 1 killed of 2 − 1 equivalent; no survivor left to fix.
    expect(r.summary).toMatchObject({ total: 2, killed: 1, survived: 0, equivalent: 1, score: 1 });
  }, 600_000);
});

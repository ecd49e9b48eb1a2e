/**
 * The equivalence review: entries are checked field by field (a typed error naming the entry and
 * field), matched to mutants by file, line, operator and text (whitespace inside the text aside),
 * and an entry that matches no mutant of the RTL is stale.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EquivalenceReviewError, loadEquivalenceReview, matchReview } from './equivalence-review.js';
import { repoPath } from '../../runtime/repo.js';
import { allMutants, ownRtlFiles } from '../../targets/tsim/mutation/rtl-mutants.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-eqreview-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
function file(json: unknown): string {
  const p = join(dir, `r${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(p, typeof json === 'string' ? json : JSON.stringify(json));
  return p;
}
const entry = { file: 'a.sv', line: 3, operator: 'swap', original: 'x < y', replacement: 'x <= y', why: 'ties give the same value' };

describe('equivalence review', () => {
  it('refuses a malformed file or entry, naming it', () => {
    expect(() => loadEquivalenceReview(join(dir, 'none.json'))).toThrow(/none\.json: no such file/);
    expect(() => loadEquivalenceReview(file('{'))).toThrow(EquivalenceReviewError);
    expect(() => loadEquivalenceReview(file({ entries: [] }))).toThrow(/expected \{ "mutants": \[ … \] \}/);
    expect(() => loadEquivalenceReview(file({ mutants: [entry, { ...entry, line: 0 }] }))).toThrow(/mutants\[1\]: "line" must be a positive integer, got 0/);
    expect(() => loadEquivalenceReview(file({ mutants: [{ ...entry, why: '' }] }))).toThrow(/mutants\[0\]: "why" must be a non-empty string/);
  });

  it('matches by file, line, operator and text; an entry matching nothing is stale', () => {
    const m = { file: 'a.sv', line: 3, operator: 'swap', original: 'x  <\n y', replacement: 'x <= y' };
    const moved = { ...m, line: 4 };
    const other = { ...m, replacement: 'x > y' };
    const gone = { ...entry, file: 'b.sv' };
    const { reviewed, stale } = matchReview([entry, gone], [m, moved, other], [m, moved, other]);
    expect([...reviewed.keys()]).toEqual([m]);
    expect(stale).toEqual([gone]);
  });

  it('every entry of the shipped review matches a mutant of our RTL (none is stale)', () => {
    const entries = loadEquivalenceReview(repoPath('fixtures', 'mutation', 'equivalent.json'));
    expect(entries.length).toBeGreaterThan(0);
    const { stale } = matchReview(entries, allMutants(ownRtlFiles()).all, []);
    expect(stale).toEqual([]);
  });
});

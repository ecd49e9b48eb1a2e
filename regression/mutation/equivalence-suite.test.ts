/**
 * `--equivalence-suite` on our RTL: a survivor of a small case set is run again on a larger
 * suite's cases. ADD computing A − B survives a program with no ALU ADD (alu:max-imm) but the
 * ALU ADD case kills it, so it is not "possibly equivalent" and says which case killed it;
 * ADD written B + A survives both and is listed as possibly equivalent.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runMutation } from './engine.js';
import { aluAddMutants } from './testing/alu-add-mutants.js';
import { suiteCases } from '../suites.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-mutate-equiv-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vta-trace mutate --equivalence-suite', () => {
  it('a survivor the larger suite kills is not possibly equivalent; one it does not kill is', async () => {
    const small = suiteCases('smoke').filter((c) => c.id === 'alu:max-imm#1@small');
    expect(small).toHaveLength(1);
    const r = await runMutation({ suite: 'smoke', count: 2, seed: 1, jobs: 1, resultsFile: join(dir, 'results.db'), select: aluAddMutants, cases: small, equivalenceSuite: 'smoke', filter: /^alu:add-tensor/ });
    const [sub, commuted] = r.mutants;
    expect(sub!.status).toBe('survived');
    expect(sub!.possiblyEquivalent).toBeFalsy();
    expect(sub!.reason).toMatch(/^killed by the smoke suite's alu:add-tensor#1@small \(ALU ADD/);
    expect(commuted!.status).toBe('survived');
    expect(commuted!.possiblyEquivalent).toBe(true);
    expect(r.summary).toMatchObject({ total: 2, killed: 0, survived: 2, possiblyEquivalent: 1 });
  }, 900_000);
});

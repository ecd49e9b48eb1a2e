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
import type { NumberedMutant } from '../../targets/tsim/mutation/instrument.js';
import type { MutantSet } from '../../targets/tsim/mutation/rtl-mutants.js';
import { runMutation } from './engine.js';
import { suiteCases } from '../suites.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-mutate-equiv-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The same two hand-made mutants of vta_alu_row.sv's `ALU_ADD: return a + b;` as mutate.test.ts (so its build is reused). */
function aluAdd(set: MutantSet): NumberedMutant[] {
  const f = set.files.find((x) => x.name === 'vta_alu_row.sv')!;
  const at = f.text.indexOf('a + b', f.text.indexOf('ALU_ADD:'));
  expect(at).toBeGreaterThan(0);
  const line = f.text.slice(0, at).split('\n').length;
  const base = { file: f.name, module: 'vta_alu_row', line, start: at, end: at + 5, original: 'a + b' };
  return [
    { ...base, id: 1, operator: 'swap', replacement: 'a - b', key: 'test:add-to-sub' },
    { ...base, id: 2, operator: 'swap', replacement: 'b + a', key: 'test:add-commuted' },
  ];
}

describe('vta-trace mutate --equivalence-suite', () => {
  it('a survivor the larger suite kills is not possibly equivalent; one it does not kill is', async () => {
    const small = suiteCases('smoke').filter((c) => c.id === 'alu:max-imm#1@small');
    expect(small).toHaveLength(1);
    const r = await runMutation({ suite: 'smoke', count: 2, seed: 1, jobs: 1, resultsFile: join(dir, 'results.db'), select: aluAdd, cases: small, equivalenceSuite: 'smoke', filter: /^alu:add-tensor/ });
    const [sub, commuted] = r.mutants;
    expect(sub!.status).toBe('survived');
    expect(sub!.possiblyEquivalent).toBeFalsy();
    expect(sub!.reason).toMatch(/^killed by the smoke suite's alu:add-tensor#1@small \(ALU ADD/);
    expect(commuted!.status).toBe('survived');
    expect(commuted!.possiblyEquivalent).toBe(true);
    expect(r.summary).toMatchObject({ total: 2, killed: 0, survived: 2, possiblyEquivalent: 1 });
  }, 900_000);
});

/**
 * The Yosys path scored against a suite, on our own RTL behind a design description
 * (fixtures/mutation/our-rtl/design.json) with one file Yosys 0.23 reads, the dependency token
 * queue (targets/tsim/rtl/vta_token_queue.sv): two of Yosys's mutants in one build under the
 * selector. `avail_o` stuck at 0 means no token ever arrives, so the GEMM case hangs: killed;
 * bit 15 of `count_q + 1` stuck at 0 matters only past 32767 tokens: survives. Both land in the
 * results database under the mutated line of the source, and a second run scores nothing new.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { repoPath } from '../../runtime/repo.js';
import type { YosysMutant } from '../../targets/tsim/mutation/yosys-mutants.js';
import { runYosysMutation } from './yosys-engine.js';

const haveYosys = spawnSync('yosys', ['-V']).status === 0;
const dir = mkdtempSync(join(tmpdir(), 'vta-yosys-mutate-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const source = readFileSync(repoPath('targets', 'tsim', 'rtl', 'vta_token_queue.sv'), 'utf8').split('\n');
const lineOf = (text: string) => source.findIndex((l) => l.includes(text)) + 1;

function pick(listed: YosysMutant[]): YosysMutant[] {
  const stuckAvail = listed.find((m) => m.mode === 'const0' && /-cell \$ne\S* -port Y -portbit 0 /.test(m.command));
  const stuckBit15 = listed.find((m) => m.mode === 'const0' && /-cell \$add\S* -port Y -portbit 15 /.test(m.command));
  expect(stuckAvail, listed.map((m) => m.command).join('\n')).toBeDefined();
  expect(stuckBit15, listed.map((m) => m.command).join('\n')).toBeDefined();
  return [stuckAvail!, stuckBit15!];
}

describe.skipIf(!haveYosys)('vta-trace mutate --design --verilog (Yosys mutants against a suite)', () => {
  const results = join(dir, 'results.db');
  const opts = {
    design: repoPath('fixtures', 'mutation', 'our-rtl', 'design.json'),
    verilog: ['vta_token_queue.sv'],
    top: 'vta_token_queue',
    suite: 'smoke' as const,
    count: 300,
    seed: 1,
    filter: /^gemm#1@small$/,
    jobs: 1,
    resultsFile: results,
    select: pick,
  };

  it('kills the mutant that stops the tokens, the one past 32767 tokens survives, the database keeps both', async () => {
    const r = await runYosysMutation(opts);
    const [avail, bit15] = r.mutants;
    expect(avail!.status).toBe('killed');
    expect(avail!.caseId).toBe('gemm#1@small');
    expect(avail!.signature).toMatch(/^hang/);
    expect(avail!).toMatchObject({ file: 'vta_token_queue.sv', line: lineOf('assign avail_o'), module: 'vta_token_queue', operator: 'const0' });
    expect(bit15!.status).toBe('survived');
    expect(bit15!.line).toBe(lineOf('count_q + 16'));
    // A survivor's patch is the netlist diff Yosys's write-back shows.
    expect(bit15!.patch).toMatch(/^--- a\/vta_token_queue\.v/m);
    expect(r.summary).toMatchObject({ total: 2, killed: 1, survived: 1, buildErrors: 0, score: 0.5 });
    expect(r.cases).toBe(1);
    const db = new Database(results, { readonly: true });
    const rows = db.prepare('SELECT status, case_id, line FROM mutants ORDER BY line').all();
    db.close();
    expect(rows).toEqual([
      { status: 'survived', case_id: null, line: lineOf('count_q + 16') },
      { status: 'killed', case_id: 'gemm#1@small', line: lineOf('assign avail_o') },
    ]);
  }, 900_000);

  it('a second run scores nothing new and builds nothing', async () => {
    const r = await runYosysMutation(opts);
    expect(r.scoredNow).toBe(0);
    expect(r.mutants.map((m) => [m.status, m.cached])).toEqual([
      ['killed', true],
      ['survived', true],
    ]);
  }, 600_000);
});

/**
 * `tsim=FILE.patch` on the command line: a patch whose hunk no longer fits our RTL is one error
 * line naming the patch, the file and the hunk, exit 2, before anything is built or run.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoPath } from '../runtime/repo.js';
import { runCli } from './testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-patch-target-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a patch as the tsim design', () => {
  it('a stale hunk: exit 2, one line naming the hunk', async () => {
    const stale = join(dir, 'stale.patch');
    // add-lo8's patch, as if the RTL's ADD line had been something else when it was made.
    const text = readFileSync(repoPath('fixtures', 'rtl-variants', 'add-lo8', 'variant.patch'), 'utf8');
    writeFileSync(stale, text.replace('-      ALU_ADD: return a + b;', '-      ALU_ADD: return a | b;'));
    const r = await runCli('diff', 'fsim', `tsim=${stale}`, '--workload', 'gemm', '--config', 'small', '--db', join(dir, 'x.db'));
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^vta-trace: .*stale\.patch: hunk 2 of 2 for vta_alu_row\.sv \(@@ -35,7 \+38,7 @@, patch line 10\) does not apply: line 38 should be "      ALU_ADD: return a \| b;"/);
  });
});

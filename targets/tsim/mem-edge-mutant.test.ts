/**
 * The `mem:` workloads on tsim (our RTL) match their golden result, and they catch what they were
 * added for: mutant #60 of `vta-trace mutate --suite commit --count 200` (seed 1), which survived
 * the commit suite before them. Its change — vta_tensor_load decides "data rows to read" from
 * x_size alone, dropping the y_size = 0 term — is applied here as a patch (`tsim=FILE.patch`, the
 * form a mutant takes), made from the RTL text at test time so the test fails loudly if that line
 * changes instead of passing on an unpatched design.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { repoPath } from '../../runtime/repo.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import { createTsimTarget, type TsimTarget } from './target.js';
import { RecordingSink } from './testing/bundles.js';

const params = resolveConfig('small');
const limits = { maxCycles: 5_000_000, timeoutMs: 120_000 };
const dir = mkdtempSync(join(tmpdir(), 'vta-mem-edge-'));
const open: TsimTarget[] = [];
afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** Our RTL file with one line replaced, as a patch file (the original must be there exactly once). */
function patchOf(file: string, original: string, replacement: string): string {
  const rel = `targets/tsim/rtl/${file}`;
  const text = readFileSync(repoPath(rel), 'utf8');
  expect(text.split(original)).toHaveLength(2);
  const path = join(dir, `${file}.patch`);
  writeFileSync(path, createTwoFilesPatch(`a/${rel}`, `b/${rel}`, text, text.replace(original, replacement)));
  return path;
}

async function outputsMatch(t: TsimTarget, workload: string): Promise<boolean> {
  const bundle = buildWorkload(workload, { config: params, seed: 1 });
  const r = await t.run({ bundle, sink: new RecordingSink(false), limits });
  expect(r.status, r.message).toBe('ok');
  return r.outputs.every((o) => Buffer.compare(Buffer.from(o.bytes), Buffer.from(bundle.expected![o.name]!)) === 0);
}

describe('mem: workloads on our RTL', () => {
  it('mem:empty-rows matches the golden result; with mutant #60 (y_size = 0 not checked) it does not', async () => {
    const own = createTsimTarget({ config: 'small' });
    open.push(own);
    expect(await outputsMatch(own, 'mem:empty-rows')).toBe(true);

    const mutant = createTsimTarget({
      config: 'small',
      rtl: patchOf('vta_tensor_load.sv', 'rows_left_q <= (y_size_i != 16\'d0) && (x_size_i != 16\'d0);', 'rows_left_q <= (x_size_i != 16\'d0);'),
    });
    open.push(mutant);
    expect(await outputsMatch(mutant, 'mem:empty-rows')).toBe(false);
  }, 600_000);
});

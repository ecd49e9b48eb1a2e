/**
 * The `mem:` workloads on tsim (our RTL) match their golden result, and they catch what they were
 * added for: mutants #60 and #68 of `vta-trace mutate --suite commit --count 200` (seed 1), which
 * survived the commit suite before them. #60: vta_tensor_load decides "data rows to read" from
 * x_size alone, dropping the y_size = 0 term. #68: vta_tensor_writer forms a STORE's first DRAM
 * address without the OUT base register — invisible while the harness writes upstream's zeros to
 * the base registers, a write outside the bundle's window with `+dma`. Each is applied as a patch
 * (`tsim=FILE.patch`, the form a mutant takes), made from the RTL text at test time so the test
 * fails loudly if that line changes instead of passing on an unpatched design.
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

async function runOn(t: TsimTarget, workload: string) {
  const bundle = buildWorkload(workload, { config: params, seed: 1 });
  const r = await t.run({ bundle, sink: new RecordingSink(false), limits });
  return { r, match: r.outputs.length > 0 && r.outputs.every((o) => Buffer.compare(Buffer.from(o.bytes), Buffer.from(bundle.expected![o.name]!)) === 0) };
}

async function outputsMatch(t: TsimTarget, workload: string): Promise<boolean> {
  const { r, match } = await runOn(t, workload);
  expect(r.status, r.message).toBe('ok');
  return match;
}

const target = (opts: Parameters<typeof createTsimTarget>[0]) => {
  const t = createTsimTarget({ config: 'small', ...opts });
  open.push(t);
  return t;
};

describe('mem: workloads on our RTL', () => {
  it('mem:empty-rows matches the golden result; with mutant #60 (y_size = 0 not checked) it does not', async () => {
    expect(await outputsMatch(target({}), 'mem:empty-rows')).toBe(true);
    expect(await outputsMatch(target({ memory: { kind: 'in-order', dma: true } }), 'mem:empty-rows')).toBe(true);
    const mutant = target({ rtl: patchOf('vta_tensor_load.sv', 'rows_left_q <= (y_size_i != 16\'d0) && (x_size_i != 16\'d0);', 'rows_left_q <= (x_size_i != 16\'d0);') });
    expect(await outputsMatch(mutant, 'mem:empty-rows')).toBe(false);
  }, 600_000);

  it('with mutant #68 (STORE address without the OUT base register) the bundle placed as on a board crashes; with base registers 0 it passes', async () => {
    const rtl = patchOf('vta_tensor_writer.sv', 'addr_q      <= base_addr_i | (dram_base_i * ElemBytes);', 'addr_q      <= (dram_base_i * ElemBytes);');
    expect(await outputsMatch(target({ rtl }), 'mem:empty-rows')).toBe(true);
    const { r } = await runOn(target({ rtl, memory: { kind: 'in-order', dma: true } }), 'mem:empty-rows');
    expect(r.status).toBe('crash');
    expect(r.message).toMatch(/write burst at 0x[0-9a-f]+, outside the bundle's DMA window \[0x80000000, 0x100000000\)/);
  }, 600_000);
});

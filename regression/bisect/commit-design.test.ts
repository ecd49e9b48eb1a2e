/**
 * Bisect on a vta-trace checkout (no --design): the description written for a checkout compiles
 * exactly what tsim compiles for our RTL — for this checkout the same build key as `tsim` itself,
 * so a commit that leaves targets/tsim/rtl/ alone shares tsim's build. No simulator is built.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { repoRoot } from '../../runtime/repo.js';
import { buildKey } from '../../targets/tsim/build.js';
import { loadDesign } from '../../targets/tsim/design.js';
import { ownRtl } from '../../targets/tsim/rtl-source.js';
import { designFileOf } from './commit-design.js';

const cache = mkdtempSync(join(tmpdir(), 'vta-bisect-design-'));
afterAll(() => rmSync(cache, { recursive: true, force: true }));

describe('the design of a vta-trace checkout', () => {
  it('is our RTL: same sources, probe map and build key as tsim', async () => {
    const params = resolveConfig('small');
    const file = await designFileOf(repoRoot(), undefined, params, cache);
    const spec = await loadDesign(file).rtl(params);
    const own = await ownRtl(params);
    expect(spec.files.map((f) => [f.name, f.content])).toEqual(own.files.map((f) => [f.name, f.content]));
    expect(spec.probeMapPath).toBe(own.probeMapPath);
    expect(buildKey(spec, params, false, 'v')).toBe(buildKey(own, params, false, 'v'));
  });

  it('a --design path that the commit lacks is named', async () => {
    await expect(designFileOf(repoRoot(), 'no/such/design.json', resolveConfig('small'), cache)).rejects.toThrow(/the design description no\/such\/design\.json is not in this commit/);
  });
});

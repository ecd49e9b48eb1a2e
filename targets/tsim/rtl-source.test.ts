/**
 * A user RTL description whose sources live elsewhere (`sourceDir`, possibly `${ENV}`): the
 * shipped description of upstream's generated Chisel VTA finds its files in the folder the
 * designer names, and says which variable to set when it is not set.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { repoPath } from '../../runtime/repo.js';
import { RtlDescriptionError } from './errors.js';
import { loadProbeMap, probeListText } from './probe-map.js';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { userRtl } from './rtl-source.js';

const UPSTREAM = repoPath('fixtures', 'designs', 'upstream-chisel', 'design.json');
const saved = process.env.VTA_UPSTREAM_RTL;
afterEach(() => {
  if (saved === undefined) delete process.env.VTA_UPSTREAM_RTL;
  else process.env.VTA_UPSTREAM_RTL = saved;
});

function fakeBuildFolder(files: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'vta-rtl-dir-'));
  mkdirSync(join(dir, 'chisel'));
  for (const f of files) writeFileSync(join(dir, 'chisel', f), `// ${f}\n`);
  return dir;
}

describe('RTL descriptions with sources in another folder', () => {
  it('the upstream description says which variable to set when it is unset', () => {
    delete process.env.VTA_UPSTREAM_RTL;
    expect(() => userRtl(UPSTREAM)).toThrow(RtlDescriptionError);
    expect(() => userRtl(UPSTREAM)).toThrow(/"sourceDir" is \$\{VTA_UPSTREAM_RTL\}, but environment variable VTA_UPSTREAM_RTL is not set/);
  });

  it('resolves the files in the named folder, and names a missing one with the folder', () => {
    const dir = fakeBuildFolder(['Test.DefaultAcxConfig.sv', 'VTAHostDPI.v', 'VTAMemDPI.v', 'VTASimDPI.v']);
    process.env.VTA_UPSTREAM_RTL = join(dir, 'chisel');
    const spec = userRtl(UPSTREAM);
    expect(spec.top).toBe('Test');
    expect(spec.files.map((f) => f.path)).toEqual(['Test.DefaultAcxConfig.sv', 'VTAHostDPI.v', 'VTAMemDPI.v', 'VTASimDPI.v'].map((f) => join(dir, 'chisel', f)));
    // The probe map stays beside the description, not in the user's folder.
    expect(spec.probeMapPath).toBe(repoPath('fixtures', 'designs', 'upstream-chisel', 'probe-map.json'));

    const partial = fakeBuildFolder(['VTAHostDPI.v']);
    process.env.VTA_UPSTREAM_RTL = join(partial, 'chisel');
    expect(() => userRtl(UPSTREAM)).toThrow(`source "Test.DefaultAcxConfig.sv" does not exist in ${join(partial, 'chisel')}`);
    process.env.VTA_UPSTREAM_RTL = join(partial, 'nowhere');
    expect(() => userRtl(UPSTREAM)).toThrow(/"sourceDir" \$\{VTA_UPSTREAM_RTL\} is .*nowhere, which does not exist/);
  });

  it('the shipped upstream probe map fits the default configuration (ports cover every element)', () => {
    const map = loadProbeMap(repoPath('fixtures', 'designs', 'upstream-chisel', 'probe-map.json'));
    const lines = probeListText(map, resolveConfig('default')).split('\n').filter((l) => l.startsWith('write '));
    // 2 UOP halves, 2 INP words, 32 WGT words, 8 ACC words (FIRRTL's memories of the default configuration).
    expect(lines.map((l) => l.split(' ')[1]!.replace(/\[\d+\]/, ''))).toEqual([...Array(2).fill('uop'), ...Array(2).fill('inp'), ...Array(32).fill('wgt'), ...Array(8).fill('acc')]);
  });
});

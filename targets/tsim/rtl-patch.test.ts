/**
 * Variants and mutants as patches (rtl-patch.ts): a patch applies as `git apply` applies it, a hunk
 * that no longer fits is named (file, header, patch line, first wrong line), and the build cache
 * key follows the patch. No simulator is built here: the variants' behaviour is
 * rtl/rtl-variants.test.ts's.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { repoPath } from '../../runtime/repo.js';
import { buildKey } from './build.js';
import { loadDesign } from './design.js';
import { applyRtlPatch, RtlPatchError } from './rtl-patch.js';
import { ownRtl, ownRtlWith, variantNames, VARIANT_PATCH } from './rtl-source.js';

const params = resolveConfig('small');
const work = mkdtempSync(join(tmpdir(), 'rtl-patch-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const ten = Array.from({ length: 10 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
const files = () => [
  { name: 'a.sv', path: '/somewhere/rtl/a.sv', content: ten },
  { name: 'b.sv', path: '/somewhere/rtl/b.sv', content: 'module b;\nendmodule\n' },
];

// Two hunks on a.sv: line 2 → "two", line 9 → "nine" (hand-written, git's a/ b/ prefixes).
const TWO_HUNKS = `--- a/rtl/a.sv
+++ b/rtl/a.sv
@@ -1,3 +1,3 @@
 line 1
-line 2
+two
 line 3
@@ -8,3 +8,3 @@
 line 8
-line 9
+nine
 line 10
`;

describe('applyRtlPatch', () => {
  it('applies every hunk, finds the file by path suffix, and leaves the other files as they were', () => {
    const out = applyRtlPatch(files(), { file: 'two.patch', text: TWO_HUNKS });
    expect(out[0]).toEqual({ name: 'a.sv', content: ten.replace('line 2\n', 'two\n').replace('line 9\n', 'nine\n') });
    expect(out[1]).toEqual(files()[1]); // untouched, still read from its path
  });

  it('a hunk that no longer fits is named: file, hunk header, patch line, the line that differs', () => {
    const moved = files();
    moved[0]!.content = ten.replace('line 9', 'line nine (edited since)');
    let err: unknown;
    try {
      applyRtlPatch(moved, { file: 'two.patch', text: TWO_HUNKS });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RtlPatchError);
    // The second hunk (line 8 of the patch text) expects "line 9" at line 9 of the file.
    expect((err as Error).message).toBe(
      'two.patch: hunk 2 of 2 for a.sv (@@ -8,3 +8,3 @@, patch line 8) does not apply: line 9 should be "line 9" but is "line nine (edited since)" (nor do the hunk\'s lines fit anywhere after the hunk before it)',
    );
    // The first hunk stale: named as hunk 1, though the second would fit.
    const firstStale = files();
    firstStale[0]!.content = ten.replace('line 2', 'line two');
    expect(() => applyRtlPatch(firstStale, { file: 'two.patch', text: TWO_HUNKS })).toThrow(
      /^two\.patch: hunk 1 of 2 for a\.sv \(@@ -1,3 \+1,3 @@, patch line 3\) does not apply: line 2 should be "line 2" but is "line two"/,
    );
    // Lines moved but unchanged still apply (as patch(1) and git apply do: the hunk is found at an offset).
    const shifted = files();
    shifted[0]!.content = `new first line\n${ten}`;
    expect(applyRtlPatch(shifted, { file: 'two.patch', text: TWO_HUNKS })[0]!.content).toBe(`new first line\n${ten.replace('line 2\n', 'two\n').replace('line 9\n', 'nine\n')}`);
  });

  it('names a patch of a file the design lacks, and text that is not a patch', () => {
    expect(() => applyRtlPatch(files(), { file: 'x.patch', text: TWO_HUNKS.replace(/rtl\/a\.sv/g, 'rtl/zz.sv') })).toThrow(/^x\.patch: "a\/rtl\/zz\.sv" is not a source of the design; its sources: a\.sv, b\.sv$/);
    expect(() => applyRtlPatch(files(), { file: 'x.patch', text: 'hello\n' })).toThrow(/^x\.patch: no hunks/);
    expect(() => applyRtlPatch(files(), { file: 'x.patch', text: TWO_HUNKS.replace(' line 3\n', '') })).toThrow(/^x\.patch: not a unified diff: .*line/);
  });

  it('creates and deletes files', () => {
    const text = `--- /dev/null\n+++ b/rtl/c.sv\n@@ -0,0 +1,2 @@\n+module c;\n+endmodule\n--- a/rtl/b.sv\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-module b;\n-endmodule\n`;
    expect(applyRtlPatch(files(), { file: 'c.patch', text })).toEqual([files()[0], { name: 'c.sv', content: 'module c;\nendmodule\n' }]);
  });
});

describe('the seeded-bug variants are patches', () => {
  it('each variant folder holds a patch and no whole-file copies', () => {
    expect(variantNames().length).toBeGreaterThanOrEqual(8);
    for (const v of variantNames()) {
      const dir = repoPath('fixtures', 'rtl-variants', v);
      const listing = execFileSync('ls', [dir], { encoding: 'utf8' }).split('\n').filter(Boolean);
      expect(listing, v).toContain(VARIANT_PATCH);
      expect(listing.filter((n) => /\.(sv|v)$/.test(n)), v).toEqual([]);
    }
  });

  it('each applies to our RTL exactly as git apply applies it', async () => {
    for (const v of variantNames()) {
      // git, an independent implementation, applies the patch to a copy of the RTL.
      const copy = join(work, `git-${v}`);
      cpSync(repoPath('targets', 'tsim', 'rtl'), join(copy, 'targets', 'tsim', 'rtl'), { recursive: true });
      execFileSync('git', ['apply', repoPath('fixtures', 'rtl-variants', v, VARIANT_PATCH)], { cwd: copy });
      const spec = await ownRtl(params, v);
      const own = await ownRtl(params);
      const changed = spec.files.filter((f, i) => f.content !== own.files[i]!.content);
      expect(changed.length, v).toBeGreaterThan(0);
      for (const f of changed) expect(f.content, `${v} ${f.name}`).toBe(readFileSync(join(copy, 'targets', 'tsim', 'rtl', f.name), 'utf8'));
    }
  });

  it('the build cache key changes with the patch, and only with what it compiles', async () => {
    const key = async (text?: string) => buildKey(await ownRtlWith(params, text ? { patches: [{ file: 'p', text }] } : {}, 'x'), params, false, 'verilator 5');
    const text = readFileSync(repoPath('fixtures', 'rtl-variants', 'add-lo8', VARIANT_PATCH), 'utf8');
    const base = await key();
    const patched = await key(text);
    expect(patched).not.toBe(base);
    expect(await key(text)).toBe(patched);
    // Another added line (a different bug): another key.
    const other = text.replace("lane_t'($signed(8'(a + b)))", "lane_t'($signed(9'(a + b)))");
    expect(other).not.toBe(text);
    expect(await key(other)).not.toBe(patched);
    expect(buildKey(await ownRtl(params, 'add-lo8'), params, false, 'verilator 5')).toBe(patched);
  });
});

describe('patches named by a design', () => {
  it('tsim=FILE.patch is our RTL with that patch; a stale hunk is an error naming it before any build', async () => {
    const good = join(work, 'mutant.patch');
    cpSync(repoPath('fixtures', 'rtl-variants', 'add-lo8', VARIANT_PATCH), good);
    const d = loadDesign(good);
    expect(d.label).toBe(`vta-trace RTL + patch ${good}`);
    expect((await d.rtl(params)).files.find((f) => f.name === 'vta_alu_row.sv')!.content).toContain("lane_t'($signed(8'(a + b)))");

    const stale = join(work, 'stale.patch');
    writeFileSync(stale, readFileSync(good, 'utf8').replace('-      ALU_ADD: return a + b;', '-      ALU_ADD: return a - b;'));
    await expect(loadDesign(stale).rtl(params)).rejects.toThrow(/^.*stale\.patch: hunk 2 of 2 for vta_alu_row\.sv \(@@ -35,7 \+38,7 @@, patch line 10\) does not apply: line 38 should be "      ALU_ADD: return a - b;" but is "      ALU_ADD: return a \+ b;"/);
  });

  it('a description\'s patches follow its variant; a missing patch file is named', async () => {
    const desc = join(work, 'design.json');
    writeFileSync(join(work, 'extra.patch'), `--- a/targets/tsim/rtl/vta_fifo.sv\n+++ b/targets/tsim/rtl/vta_fifo.sv\n@@ -1,1 +1,2 @@\n+// extra\n ${readFileSync(repoPath('targets', 'tsim', 'rtl', 'vta_fifo.sv'), 'utf8').split('\n')[0]}\n`);
    writeFileSync(desc, JSON.stringify({ base: 'vta-trace', variant: 'add-lo8', patches: ['extra.patch'] }));
    const spec = await loadDesign(desc).rtl(params);
    expect(spec.files.find((f) => f.name === 'vta_fifo.sv')!.content.startsWith('// extra\n')).toBe(true);
    expect(spec.files.find((f) => f.name === 'vta_alu_row.sv')!.content).toContain('SEEDED BUG (variant add-lo8)');
    writeFileSync(desc, JSON.stringify({ base: 'vta-trace', patches: ['nope.patch'] }));
    expect(() => loadDesign(desc)).toThrow(/design\.json: patch "nope\.patch" does not exist$/);
  });
});

/**
 * `vta-trace shrink` as a user runs it: counts and a reproduce line that runs as printed from
 * another folder (and diverges there), exit 3 for a bundle on which the targets agree, exit 2 with
 * one line for bad input.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoPath } from '../../runtime/repo.js';
import { runCli } from '../testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-shrink-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vta-trace shrink', () => {
  it('prints before/after counts and a reproduce line that diverges when run from another folder', async () => {
    const input = join(dir, 'c2.vtab');
    expect((await runCli('bundle', 'save', '--workload', 'conv:C2', '-o', input)).code).toBe(0);
    const out = join(dir, 'c2-small.vtab');
    const r = await runCli('shrink', input, '--targets', 'fsim,fsim+wgt-row:pc=19,row=2', '-o', out, '--quiet');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/268 → \d+ instructions/);
    const line = /^reproduce: (.*)$/m.exec(r.out)![1]!;
    expect(line).toMatch(/^vta-trace diff fsim fsim\+wgt-row:pc=\d+,row=2 --bundle \//);
    const elsewhere = mkdtempSync(join(tmpdir(), 'vta-shrink-elsewhere-'));
    let status = 0;
    let stdout = '';
    try {
      stdout = execFileSync('sh', ['-c', line], { cwd: elsewhere, env: { ...process.env, PATH: `${repoPath('bin')}:${process.env.PATH}` }, encoding: 'utf8' });
    } catch (e) {
      status = (e as { status: number }).status;
      stdout = (e as { stdout: string }).stdout;
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
    expect(status).toBe(1);
    expect(stdout).toMatch(/^DIVERGED/);
    expect(stdout).toMatch(/LOAD WGT/);
  }, 120_000);

  it('exits 3 when the targets agree on the bundle', async () => {
    const input = join(dir, 'agree.vtab');
    await runCli('bundle', 'save', '--workload', 'alu:add-tensor', '--config', 'small', '-o', input);
    const r = await runCli('shrink', input, '--targets', 'fsim,fsim', '--quiet');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/agree on this bundle: nothing to shrink/);
  });

  it.each([
    [['--targets', 'fsim'], /--targets "fsim": expected two or more/],
    [['--targets', 'fsim,fsim', '--tsim-variant', 'alu-swap'], /no plain tsim to replace/],
    [['--targets', 'fsim,bogus'], /unknown target "bogus"/],
  ])('bad input %j: one line, exit 2', async (args, message) => {
    const input = join(dir, 'bad.vtab');
    await runCli('bundle', 'save', '--workload', 'alu:add-tensor', '--config', 'small', '-o', input);
    const r = await runCli('shrink', input, ...args);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
    expect(r.err).toMatch(message);
  });

  it('a missing bundle file: one line, exit 2', async () => {
    const r = await runCli('shrink', join(dir, 'nope.vtab'));
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});

/**
 * `vta-trace regress` as a CI job uses it: the smoke suite catches a seeded RTL bug, each failure
 * comes with a reproduce command that runs as printed (from another folder, `vta-trace` on the
 * PATH) and JUnit carries the first-divergence report; selections that run nothing are errors;
 * --json is one versioned document; Ctrl-C reports what finished.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../../runtime/repo.js';
import { runCli } from '../testing/run-cli.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'vta-regress-ci-'));
const onPath = { ...process.env, PATH: `${repoPath('bin')}:${process.env.PATH}` };

describe('regress in CI', () => {
  it('the smoke suite fails on the alu-swap RTL variant; the failure reproduces as printed and JUnit shows its report', async () => {
    const dir = scratch();
    const junit = join(dir, 'junit.xml');
    const r = await runCli('regress', '--suite', 'smoke', '--filter', '@small$', '--tsim-variant', 'alu-swap', '--no-results', '--no-progress', '--json', '--junit', junit);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out);
    expect([doc.format, doc.version, doc.suite, doc.interrupted]).toEqual(['vta-trace-regress', 1, 'smoke', false]);
    const all = doc.cases as { id: string; verdict: string; signature?: string; reproduce?: string; divergence?: { pc: number } }[];
    // alu-swap breaks only SHR with two tensor operands (fixtures/rtl-variants/alu-swap): the
    // tensor-SHR case, and any random program that has one, all in that bucket.
    expect(all.filter((c) => c.verdict !== 'pass').map((c) => c.id)).toContain('alu:shr-tensor#1@small');
    expect(new Set(all.filter((c) => c.verdict !== 'pass').map((c) => c.signature))).toEqual(new Set(['ALU SHR sram.acc']));
    const failed = all.filter((c) => c.id === 'alu:shr-tensor#1@small');
    const failures = all.filter((c) => c.verdict !== 'pass').length;
    expect(doc.totals).toMatchObject({ cases: all.length, requested: all.length, passed: all.length - failures, failed: failures, errors: 0 });
    const line = failed[0]!.reproduce!;
    expect(line).toMatch(/^vta-trace diff fsim tsim:alu-swap --workload alu:shr-tensor --seed 1 --config small /);

    const xml = readFileSync(junit, 'utf8');
    const body = /name="alu:shr-tensor#1@small"[^>]*>\s*<failure type="ALU SHR sram\.acc" message="[^"]*">([^<]*)<\/failure>/.exec(xml)?.[1];
    expect(body).toContain(`first divergence at instruction #${failed[0]!.divergence!.pc} (compute)`);
    expect(body).toContain('stream   sram.acc   buffer acc   address 0');
    expect(body).toContain(`reproduce: ${line}`);

    // As printed, from another folder: the same divergence.
    const again = spawnSync('bash', ['-c', line], { cwd: scratch(), env: onPath, encoding: 'utf8' });
    expect(again.status).toBe(1);
    expect(again.stdout).toMatch(new RegExp(`^DIVERGED: fsim \\(run 1\\) vs tsim:alu-swap \\(run 2\\)[\\s\\S]*first divergence at instruction #${failed[0]!.divergence!.pc} \\(compute\\)`));
  }, 600_000);

  it('a selection that runs nothing is an error, unless asked for', async () => {
    const none = await runCli('regress', '--suite', 'smoke', '--filter', 'no-such-case', '--no-results');
    expect([none.code, none.err]).toEqual([2, expect.stringMatching(/^vta-trace: no case of suite smoke matches --filter no-such-case/)]);
    const allowed = await runCli('regress', '--suite', 'smoke', '--filter', 'no-such-case', '--no-results', '--allow-no-cases', '--json', '--no-progress');
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.out).totals).toMatchObject({ cases: 0, passed: 0, failed: 0, errors: 0 });
    const unused = await runCli('regress', '--suite', 'smoke', '--targets', 'fsim', '--tsim-variant', 'alu-swap', '--no-results');
    expect([unused.code, unused.err]).toEqual([2, expect.stringMatching(/--tsim-variant alu-swap: no case of suite smoke as selected runs tsim/)]);
    const typo = await runCli('regress', '--suite', 'smok');
    expect(typo.err).toContain('unknown suite "smok" (did you mean "smoke"?)');
  });

  it('Ctrl-C writes the JSON and JUnit of the cases that finished and exits 130', async () => {
    const dir = scratch();
    const junit = join(dir, 'partial.xml');
    const child = spawn(process.execPath, [repoPath('bin', 'vta-trace.js'), 'regress', '--suite', 'commit', '--filter', '@small$', '--jobs', '1', '--no-results', '--json', '--junit', junit], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    // The first case is done once progress says so (a line at least every tenth of the suite).
    const interrupted = new Promise<void>((resolve) => {
      child.stderr.on('data', (d) => {
        err += d;
        if (/regress: [1-9]\d*\/\d+ done/.test(err)) {
          child.kill('SIGINT');
          resolve();
        }
      });
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    await interrupted;
    expect(code).toBe(130);
    const doc = JSON.parse(out);
    expect(doc.interrupted).toBe(true);
    expect(doc.totals.cases).toBeGreaterThan(0);
    expect(doc.totals.cases).toBeLessThan(doc.totals.requested);
    expect(readFileSync(junit, 'utf8')).toContain(`<testsuite name="commit" tests="${doc.totals.cases}"`);
    expect(err).toContain('SIGINT: stopping the suite');
  }, 600_000);
});

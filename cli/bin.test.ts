/**
 * The command as a user meets it: `vta-trace` on the PATH from any folder (bin/, README), its
 * version, suggestions for mistyped commands and options, and a reader that goes away early.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../runtime/repo.js';

const elsewhere = mkdtempSync(join(tmpdir(), 'vta-bin-'));
const env = { ...process.env, PATH: `${repoPath('bin')}:${process.env.PATH}` };
const vtaTrace = (...args: string[]) => spawnSync('vta-trace', args, { cwd: elsewhere, env, encoding: 'utf8' });

describe('vta-trace on the PATH', () => {
  it('runs from another folder and prints the version of package.json', () => {
    const r = vtaTrace('--version');
    expect([r.status, r.stdout, r.stderr]).toEqual([0, `${JSON.parse(readFileSync(repoPath('package.json'), 'utf8')).version}\n`, '']);
  });

  it('suggests the nearest command and option', () => {
    const cmd = vtaTrace('difff');
    expect([cmd.status, cmd.stderr]).toEqual([2, expect.stringContaining("unknown command 'difff'\n(Did you mean diff?)")]);
    const opt = vtaTrace('regress', '--suit', 'smoke');
    expect([opt.status, opt.stderr]).toEqual([2, expect.stringContaining("unknown option '--suit'\n(Did you mean --suite?)")]);
    const target = vtaTrace('run', '--target', 'fsmi');
    expect(target.stderr).toContain('(did you mean "fsim"?)');
  });

  it('stops quietly when its reader goes away (vta-trace workloads | head -1)', async () => {
    const child = spawn('vta-trace', ['workloads'], { cwd: elsewhere, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.stdout.once('data', () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect([code, err]).toEqual([0, '']);
  });
});

/**
 * ci/setup.sh does only what is not done yet: run twice, the second run installs nothing and
 * compiles nothing (what keeps a second `bash ci/demo.sh` down to the diff itself), and it
 * refuses an option it does not know.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoPath } from '../runtime/repo.js';

const setup = (...args: string[]) => spawnSync('bash', [repoPath('ci', 'setup.sh'), ...args], { encoding: 'utf8', env: { ...process.env, PATH: `${repoPath('bin')}:${process.env.PATH}` } });

describe('ci/setup.sh', () => {
  it('a second run does nothing', () => {
    expect(setup().status).toBe(0);
    const again = setup();
    expect([again.status, again.stderr]).toEqual([0, '']);
  }, 300_000);

  it('refuses an unknown option with exit 2', () => {
    const r = setup('--fast');
    expect([r.status, r.stderr]).toEqual([2, 'vta-trace setup: unknown option --fast (known: --no-verilator)\n']);
  });
});

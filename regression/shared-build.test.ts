/** One build per case: who builds, who waits, who gets the bundle, and what happens when the builder fails. */
import { describe, expect, it } from 'vitest';
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import type { Admission } from './pools/kind-pools.js';
import { SharedBuild } from './shared-build.js';
import type { CaseSpec } from './suites.js';

const spec = (targets: string[]): CaseSpec => ({ id: 'conv:C4#1@default', workload: 'conv:C4', config: 'default', seed: 1, targets, golden: true });
const bundle = { insnCount: 7 } as unknown as ProgramBundle;
const task = (a: Admission) => ('task' in a ? a.task : undefined);

describe('shared build of a case', () => {
  it('the first target given a thread builds and returns the bundle; the others wait for it, then receive it', async () => {
    const s = new SharedBuild(spec(['fsim', 'tsim', 'tsim:alu-swap']), 'digests');
    // tsim's thread came free first: it builds.
    expect(task(s.admit(1))).toMatchObject({ kind: 'run', target: 'tsim', returnBundle: true, compare: 'digests' });
    expect(task(s.admit(1))?.bundle).toBeUndefined();
    const waiting = s.admit(0);
    expect('after' in waiting).toBe(true);
    let woke = false;
    void (waiting as { after: Promise<unknown> }).after.then(() => (woke = true));
    s.ended(0, undefined); // not the builder: changes nothing
    await Promise.resolve();
    expect(woke).toBe(false);
    s.ended(1, bundle);
    await (waiting as { after: Promise<unknown> }).after;
    expect(woke).toBe(true);
    for (const p of [0, 2]) {
      const t = task(s.admit(p))!;
      expect(t).toMatchObject({ target: p === 0 ? 'fsim' : 'tsim:alu-swap', bundle });
      expect('returnBundle' in t).toBe(false);
    }
  });

  it('when the builder ends without a bundle (build error, crash, time limit) the others build their own', () => {
    const s = new SharedBuild(spec(['fsim', 'tsim']), 'outputs');
    expect(task(s.admit(0))?.returnBundle).toBe(true);
    s.ended(0, undefined);
    const t = task(s.admit(1))!;
    expect(t.target).toBe('tsim');
    expect('bundle' in t || 'returnBundle' in t).toBe(false);
  });

  it('a single-target case sends no bundle either way', () => {
    const t = task(new SharedBuild(spec(['fsim']), 'digests').admit(0))!;
    expect('bundle' in t || 'returnBundle' in t).toBe(false);
  });
});

/**
 * The bounded pools: a task that must wait for something when its thread comes free gives the
 * thread to the next task instead of holding it (else one thread waiting for work queued behind
 * it would never finish).
 */
import { describe, expect, it } from 'vitest';
import { repoPath } from '../../runtime/repo.js';
import type { CaseSpec } from '../suites.js';
import type { RunTask, RunTaskResult } from '../workers/tasks.js';
import { KindPools } from './kind-pools.js';

const run = (name: string): RunTask => {
  const spec: CaseSpec = { id: `vec:${name}`, workload: `vec:${name}`, config: 'default', seed: 0, targets: ['fsim'], golden: true };
  return { kind: 'run', spec, target: 'fsim', compare: 'outputs' };
};

describe('kind pools', () => {
  it('a waiting task does not hold the only thread: the task behind it runs first, then it runs', async () => {
    const pools = new KindPools(repoPath('dist', 'regression', 'worker.js'), { fsim: 1 });
    try {
      const finished: string[] = [];
      let openGate!: () => void;
      const gate = new Promise<void>((resolve) => (openGate = resolve));
      let asked = 0;
      const first = pools.run<RunTaskResult>('fsim', () => (asked++ === 0 ? { after: gate } : { task: run('matmul_blocked_4x4') }), 60_000).then((r) => {
        finished.push('first');
        return r;
      });
      const second = pools.run<RunTaskResult>('fsim', run('gemm_tile_4x3'), 60_000).then((r) => {
        finished.push('second');
        openGate();
        return r;
      });
      const [a, b] = await Promise.all([first, second]);
      expect(finished).toEqual(['second', 'first']);
      expect(asked).toBe(2);
      expect([a.ok, b.ok]).toEqual([true, true]);
      expect(a.ok && a.value.outcome.status).toBe('ok');
    } finally {
      await pools.destroy();
    }
  }, 60_000);
});

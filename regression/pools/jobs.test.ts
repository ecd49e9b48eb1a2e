/** --jobs: a total shared among the target kinds of a suite, or threads per kind. */
import { describe, expect, it } from 'vitest';
import { VtaUserError } from '../../runtime/errors.js';
import { parseJobs, planThreads, targetKind } from './jobs.js';

describe('jobs per target kind', () => {
  it('a target name’s kind is its leading word', () => {
    expect(['fsim', 'fsim+alu-op:pc=3,op=2', 'tsim', 'tsim:alu-swap', 'tsim@emu:3', 'fpga:board1'].map(targetKind)).toEqual(['fsim', 'fsim', 'tsim', 'tsim', 'tsim', 'fpga']);
  });

  it('a total is shared among the kinds, remainder first, at least one each', () => {
    expect(planThreads(parseJobs('2', 8), ['fsim', 'tsim'])).toEqual({ fsim: 1, tsim: 1 });
    expect(planThreads(parseJobs('5', 8), ['fsim', 'tsim'])).toEqual({ fsim: 3, tsim: 2 });
    expect(planThreads(parseJobs('1', 8), ['fsim', 'tsim'])).toEqual({ fsim: 1, tsim: 1 });
    expect(planThreads(parseJobs('2', 8), ['fsim'])).toEqual({ fsim: 2 });
    expect(planThreads(parseJobs(undefined, 4), ['fsim', 'tsim'])).toEqual({ fsim: 2, tsim: 2 });
  });

  it('kind=N sets pools one by one; kinds not named get one thread', () => {
    expect(planThreads(parseJobs('fsim=3,tsim=1', 8), ['fsim', 'tsim', 'fpga'])).toEqual({ fsim: 3, tsim: 1, fpga: 1 });
  });

  it('refuses zero, fractions and malformed pairs', () => {
    for (const bad of ['0', '1.5', 'two', 'fsim=0', 'fsim=', '=2', 'fsim']) expect(() => parseJobs(bad, 2), bad).toThrow(VtaUserError);
    expect(() => parseJobs('fsim=0', 2)).toThrow(/--jobs "fsim=0": expected a positive integer N or kind=N/);
  });
});

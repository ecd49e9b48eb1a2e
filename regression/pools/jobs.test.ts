/** --jobs: threads per pool, for every kind or per kind; target names map to their kind. */
import { describe, expect, it } from 'vitest';
import { VtaUserError } from '../../runtime/errors.js';
import { parseJobs, targetKind, threadsFor } from './jobs.js';

describe('jobs per target kind', () => {
  it('a target name’s kind is its leading word', () => {
    expect(['fsim', 'fsim+alu-op:pc=3,op=2', 'tsim', 'tsim:alu-swap', 'tsim@emu:3', 'fpga:board1'].map(targetKind)).toEqual(['fsim', 'fsim', 'tsim', 'tsim', 'tsim', 'fpga']);
  });

  it('N for every pool, kind=N per pool (1 for kinds not named), cores by default', () => {
    expect(threadsFor(parseJobs('3', 8), 'tsim')).toBe(3);
    const per = parseJobs('fsim=2,tsim=1', 8);
    expect([threadsFor(per, 'fsim'), threadsFor(per, 'tsim'), threadsFor(per, 'fpga')]).toEqual([2, 1, 1]);
    expect(threadsFor(parseJobs(undefined, 8), 'fsim')).toBe(8);
  });

  it('refuses zero, fractions and malformed pairs', () => {
    for (const bad of ['0', '1.5', 'two', 'fsim=0', 'fsim=', 'fsim']) expect(() => parseJobs(bad, 2), bad).toThrow(VtaUserError);
    expect(() => parseJobs('fsim=0', 2)).toThrow(/--jobs "fsim=0": expected a positive integer N or kind=N/);
  });
});

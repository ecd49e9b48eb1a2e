/**
 * CLI numbers (issue 19): `regress --jobs 2147483648` started hundreds of threads, and
 * `--case-timeout-ms 2147483648` overflowed Node's timer (every case failed after 1 ms). Every
 * integer option goes through one bounded parser and is refused before any work, in one line
 * naming the option and its range.
 */
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, parseBoundedInt } from '../runtime/bounded-int.js';
import { runCli } from './testing/run-cli.js';

const cores = availableParallelism();
// A filter no case matches: before the checks, these ran (an empty suite) and exited 0.
const NO_CASE = ['--filter', '^no case has this id$', '--no-results', '--allow-no-cases'];

const refusedOneLine = (r: { code: number; out: string; err: string }, option: string, range: string) => {
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err.trimEnd().split('\n')).toEqual([expect.stringContaining(option)]);
  expect(r.err).toContain(range);
};

describe('bounded integer options', () => {
  it('regress --jobs 2147483648 is refused: at most 4 × the cores', async () => {
    refusedOneLine(await runCli('regress', '--jobs', '2147483648', ...NO_CASE), '--jobs "2147483648"', `each from 1 to ${4 * cores}`);
    refusedOneLine(await runCli('regress', '--jobs', `fsim=${4 * cores},tsim=1`, ...NO_CASE), '--jobs', `more than the limit of ${4 * cores}`);
    expect((await runCli('regress', '--jobs', String(4 * cores), ...NO_CASE)).code).not.toBe(2);
  });

  it('--case-timeout-ms 2147483648 is refused: Node timers wait at most 2^31−1 ms', async () => {
    refusedOneLine(await runCli('regress', '--case-timeout-ms', '2147483648', ...NO_CASE), '--case-timeout-ms "2147483648"', 'from 1 to 2147483647');
    refusedOneLine(await runCli('regress', '--case-timeout-ms', '0', ...NO_CASE), '--case-timeout-ms "0"', 'from 1 to 2147483647');
  });

  it.each([
    [['diff', 'fsim', 'fsim', '--workload', 'gemm', '--seed', '1e3'], '--seed "1e3"', 'from 0 to 4294967295'],
    [['run', '--workload', 'gemm', '--seed', '4294967296'], '--seed "4294967296"', 'from 0 to 4294967295'],
    [['diff', 'fsim', 'fsim', '--workload', 'gemm', '--window', '10001'], '--window "10001"', 'from 0 to 10000'],
    [['run', '--workload', 'gemm', '--timeout-ms', '2147483648'], '--timeout-ms "2147483648"', 'from 1 to 2147483647'],
    [['show', '1', '--limit', '-1'], '--limit "-1"', 'from 0 to'],
    [['regress', '--shard', '1/0', ...NO_CASE], '--shard count n "0"', 'from 1 to 100000'],
    [['diff', 'fsim', 'fsim', '--workload', 'gemm', '--insn', '0:99999999999999999999'], '--insn: instruction window', 'at most'],
  ])('%j is refused in one line', async (argv, option, range) => {
    refusedOneLine(await runCli(...argv), option, range);
  });

  it('parseBoundedInt takes decimal integers within the range only', () => {
    expect(parseBoundedInt('0', '--x', 0, 5)).toBe(0);
    expect(parseBoundedInt(' 5 ', '--x', 0, 5)).toBe(5);
    expect(parseBoundedInt(String(MAX_TIMER_MS), '--x', 1, MAX_TIMER_MS)).toBe(2147483647);
    for (const bad of ['6', '-1', '1e3', '0x10', '1.5', '', ' ', 'five', '9007199254740993']) expect(() => parseBoundedInt(bad, '--x', 0, 5), bad).toThrow(/^--x ".*": expected an integer from 0 to 5$/);
  });
});

/**
 * perf on a hand-made results database of three commits, appended out of order: commit times
 * order the points, one case's tsim cycles jump by 25 % at the third commit and must be the only
 * change flagged at 5 %; a 2 % drift is not; runs that did not end ok are not points.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/testing/run-cli.js';
import { appendSuiteRun } from './append.js';
import { openResultsDb } from './open.js';
import { cycleTrend } from './perf.js';
import { caseSpec, passingCase, suiteRunMeta } from './testing.js';

const C1 = '1111111111aaaa';
const C2 = '2222222222bbbb';
const C3 = '3333333333cccc';

function threeCommits(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'vta-perf-')), 'results.db');
  const db = openResultsDb(file);
  const add = (commit: string, commitTime: string, cases: ReturnType<typeof passingCase>[], startedAt = commitTime) =>
    appendSuiteRun(db, suiteRunMeta({ commit, commitTime, startedAt }), cases.map((c) => caseSpec(c.id)), cases);
  // Appended newest first: the order must come from the commit times (C2's is in another zone).
  add(C3, '2024-05-03T09:00:00Z', [passingCase('gemm@small', { fsim: 400, tsim: 625 }), passingCase('alu@small', { fsim: 90, tsim: 102 })]);
  add(C1, '2024-05-01T09:00:00Z', [passingCase('gemm@small', { fsim: 400, tsim: 500 }), passingCase('alu@small', { fsim: 90, tsim: 100 })]);
  add(C2, '2024-05-02T11:00:00+02:00', [passingCase('gemm@small', { fsim: 400, tsim: 500 }), passingCase('alu@small', { fsim: 90, tsim: 100 })]);
  // A later re-run of C2 on which tsim hung: not a point, C2's value stays 500.
  add(C2, '2024-05-02T11:00:00+02:00', [{ id: 'gemm@small', verdict: 'fail', outcomes: [{ target: 'fsim', status: 'ok', cycles: 400 }, { target: 'tsim', status: 'hang', cycles: 20_000_000 }], seconds: 1 }], '2024-05-04T00:00:00Z');
  db.close();
  return file;
}

describe('cycle trend', () => {
  it('orders commits by commit time and flags only the step beyond the threshold', () => {
    const db = openResultsDb(threeCommits(), { readonly: true });
    const trend = cycleTrend(db, { thresholdPct: 5 });
    db.close();
    expect(trend.commits.map((c) => c.commit)).toEqual([C1, C2, C3]);
    const tsimGemm = trend.series.find((s) => s.caseId === 'gemm@small' && s.target === 'tsim')!;
    expect(tsimGemm.cycles).toEqual([500, 500, 625]);
    expect(trend.series.find((s) => s.caseId === 'alu@small' && s.target === 'tsim')!.cycles).toEqual([100, 100, 102]);
    expect(trend.changes).toHaveLength(1);
    expect(trend.changes[0]).toMatchObject({ caseId: 'gemm@small', target: 'tsim', before: 500, after: 625, percent: 25 });
    expect(trend.changes[0]!.from.commit).toBe(C2);
    expect(trend.changes[0]!.to.commit).toBe(C3);
  });

  it('a lower threshold also flags the 2 % drift; a filter keeps only matching cases', () => {
    const db = openResultsDb(threeCommits(), { readonly: true });
    expect(cycleTrend(db, { thresholdPct: 1 }).changes.map((c) => `${c.caseId} ${c.target}`)).toEqual(['alu@small tsim', 'gemm@small tsim']);
    const onlyAlu = cycleTrend(db, { thresholdPct: 5, caseFilter: /^alu/ });
    expect(onlyAlu.series.map((s) => s.caseId)).toEqual(['alu@small', 'alu@small']);
    expect(onlyAlu.changes).toEqual([]);
    db.close();
  });
});

describe('a target spread over the boards file (fpga:*)', () => {
  it('a flagged step says when the board changed with the commit, and only then', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'vta-perf-')), 'results.db');
    const db = openResultsDb(file);
    const add = (commit: string, commitTime: string, cycles: number, board: string) => {
      const c = passingCase('random#1@small', { fsim: 90, 'fpga:*': cycles });
      c.outcomes[1]!.board = board;
      appendSuiteRun(db, suiteRunMeta({ commit, commitTime }), [caseSpec(c.id)], [c]);
    };
    add(C1, '2024-05-01T09:00:00Z', 500, 'fpga:a');
    add(C2, '2024-05-02T09:00:00Z', 600, 'fpga:a');
    add(C3, '2024-05-03T09:00:00Z', 720, 'fpga:b');
    const trend = cycleTrend(db, { thresholdPct: 5 });
    db.close();
    const fpga = trend.series.find((x) => x.target === 'fpga:*')!;
    expect(fpga.boards).toEqual(['fpga:a', 'fpga:a', 'fpga:b']);
    expect(trend.series.find((x) => x.target === 'fsim')!.boards).toEqual([null, null, null]);
    expect(trend.changes.map((c) => [c.before, c.after, c.boards])).toEqual([
      [500, 600, undefined],
      [600, 720, { from: 'fpga:a', to: 'fpga:b' }],
    ]);
    const text = (await runCli('perf', '--results', file)).out;
    expect(text).toContain('random#1@small fpga:*: 500 → 600 cycles (+20.0%) from 1111111111 to 2222222222\n');
    expect(text).toContain('random#1@small fpga:*: 600 → 720 cycles (+20.0%) from 2222222222 to 3333333333, and from board fpga:a to fpga:b\n');
  });
});

describe('vta-trace perf', () => {
  it('prints the flagged series and the change; exit 1 only with --fail-on-change', async () => {
    const file = threeCommits();
    const plain = await runCli('perf', '--results', file);
    expect(plain.code).toBe(0);
    expect(plain.out).toContain('3 commit(s), oldest first:');
    expect(plain.out).toMatch(/gemm@small\s+tsim\s+500\s+500\s+625 \(\+25\.0%\)/);
    expect(plain.out).not.toMatch(/alu@small\s+tsim/);
    expect(plain.out).toContain('4 series (case × target), 1 change(s) beyond ±5% between consecutive commits');
    expect(plain.out).toContain('gemm@small tsim: 500 → 625 cycles (+25.0%) from 2222222222 to 3333333333');

    expect((await runCli('perf', '--results', file, '--fail-on-change')).code).toBe(1);
    expect((await runCli('perf', '--results', file, '--fail-on-change', '--workload', '^alu')).code).toBe(0);
    expect((await runCli('perf', '--results', file, '--fail-on-change', '--threshold', '30')).code).toBe(0);

    const all = await runCli('perf', '--results', file, '--all');
    expect(all.out).toMatch(/alu@small\s+tsim\s+100\s+100\s+102\n/);
    const json = JSON.parse((await runCli('perf', '--results', file, '--json')).out);
    expect(json.changes).toHaveLength(1);
  });

  it('a missing file or a bad threshold is a one-line error', async () => {
    const missing = await runCli('perf', '--results', join(tmpdir(), 'no-such-results.db'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/no-such-results\.db: no such results database/);
    expect((await runCli('perf', '--threshold', 'lots')).err).toMatch(/--threshold "lots"/);
  });
});

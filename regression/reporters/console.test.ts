/** The console reporter: a progress line only on a terminal, then buckets and a table per configuration. */
import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../case-result.js';
import { boardLines, ConsoleReporter, ProgressLog } from './console.js';

const results: CaseResult[] = [
  { id: 'random#1@small', verdict: 'pass', outcomes: [], seconds: 0.25 },
  { id: 'random#2@small', verdict: 'fail', reason: 'tsim outputs differ from fsim', signature: 'ALU SHR sram.acc', reproduce: 'vta-trace diff fsim tsim --workload random#2@small', outcomes: [], seconds: 0.5 },
  { id: 'vec:gemm_tile_4x3@default', verdict: 'error', reason: 'no result within 10 ms', signature: 'case timeout', outcomes: [], seconds: 1 },
];

function feed(progress: boolean): string {
  let out = '';
  const r = new ConsoleReporter({ out: (s) => (out += s), progress });
  r.onStart(3);
  for (const c of results) r.onCase(c);
  r.onFinish(results, 2);
  return out;
}

describe('console reporter', () => {
  it('rewrites one progress line per case on a terminal', () => {
    const out = feed(true);
    expect(out).toMatch(/\r1\/3 done, 0 failed, ETA \d+ s/);
    expect(out).toMatch(/\r2\/3 done, 1 failed, ETA \d+ s/);
    expect(out).toMatch(/\r3\/3 done, 2 failed, ETA 0 s/);
  });

  it('prints no progress when not a terminal; buckets, a table per configuration and the total', () => {
    const out = feed(false);
    expect(out).not.toContain('\r');
    expect(out).toContain('FAIL [ALU SHR sram.acc] 1 case(s)\n  random#2@small: tsim outputs differ from fsim\n    reproduce: vta-trace diff fsim tsim --workload random#2@small\n');
    expect(out).toContain('ERROR [case timeout] 1 case(s)');
    const table = out.split('\n').filter((l) => /^\s+(config|small|default)\s/.test(l));
    expect(table.map((l) => l.trim().split(/\s+/))).toEqual([
      ['config', 'cases', 'passed', 'failed', 'errors', 'case', 's'],
      ['default', '1', '0', '0', '1', '1.0'],
      ['small', '2', '1', '1', '0', '0.8'],
    ]);
    // The total counts failures and errors apart, as the table does.
    expect(out).toContain('3 cases: 1 passed, 1 failed, 1 error in 2 bucket(s), 2.0 s\n');
  });

  it('after an interruption says how many of the cases ran', () => {
    let out = '';
    new ConsoleReporter({ out: (s) => (out += s), progress: false }).onFinish(results.slice(0, 1), 1, { total: 40, interrupted: true });
    expect(out).toContain('interrupted: 1 of 40 cases finished; the rest did not run\n');
  });

  it('ProgressLog: a line every 10 s or every tenth of the suite, and at the end', () => {
    let t = 0;
    const lines: string[] = [];
    const log = new ProgressLog((s) => lines.push(s), 10_000, () => t);
    log.onStart(25);
    // Tenths of 25 cases are 3 cases; case 1 comes at 1 s, cases 2–3 at 2 s, case 4 at 15 s, the rest at 16 s.
    for (let k = 1; k <= 25; k++) {
      t = k === 1 ? 1000 : k <= 3 ? 2000 : k === 4 ? 15_000 : 16_000;
      log.onCase({ id: `c${k}`, verdict: k === 2 ? 'fail' : 'pass', outcomes: [], seconds: 0 });
    }
    expect(lines[0]).toBe('regress: 25 case(s) to run\n');
    const done = lines.slice(1).map((l) => Number(/ (\d+)\/25 done/.exec(l)![1]));
    expect(done).toEqual([3, 4, 7, 10, 13, 16, 19, 22, 25]);
    expect(lines[1]).toBe('regress: 3/25 done, 1 failed, 2 s elapsed, ETA 15 s\n');
  });

  it('lists the boards of fpga:* with their runs, and the board that was lost', () => {
    const fpga = (board: string, status: string) => [{ target: 'fsim', status: 'ok', cycles: 1 }, { target: 'fpga:*', status, cycles: 1, board }];
    const onBoards: CaseResult[] = [
      { id: 'random#1@small', verdict: 'fail', signature: 'board lost', outcomes: fpga('fpga:a', 'crash'), seconds: 0 },
      { id: 'random#2@small', verdict: 'pass', outcomes: fpga('fpga:b', 'ok'), seconds: 0 },
      { id: 'random#3@small', verdict: 'pass', outcomes: fpga('fpga:b', 'ok'), seconds: 0 },
      { id: 'random#4@small', verdict: 'fail', signature: 'outputs only', outcomes: fpga('fpga:b', 'ok'), seconds: 0 },
    ];
    expect(boardLines(onBoards)).toEqual(['fpga:* boards: fpga:a 1 run (0 ok, lost), fpga:b 3 runs (3 ok)']);
    expect(boardLines(results)).toEqual([]);
  });
});

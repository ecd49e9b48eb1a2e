/** The console reporter: a progress line only on a terminal, then buckets and a table per configuration. */
import { describe, expect, it } from 'vitest';
import type { CaseResult } from '../case-result.js';
import { boardLines, ConsoleReporter } from './console.js';

const results: CaseResult[] = [
  { id: 'random#1@small', verdict: 'pass', outcomes: [], seconds: 0.25 },
  { id: 'random#2@small', verdict: 'fail', reason: 'tsim outputs differ from fsim', signature: 'ALU SHR sram.acc', outcomes: [], seconds: 0.5 },
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
    expect(out).toContain('FAIL [ALU SHR sram.acc] 1 case(s)\n  random#2@small: tsim outputs differ from fsim\n');
    expect(out).toContain('FAIL [case timeout] 1 case(s)');
    const table = out.split('\n').filter((l) => /^\s+(config|small|default)\s/.test(l));
    expect(table.map((l) => l.trim().split(/\s+/))).toEqual([
      ['config', 'cases', 'passed', 'failed', 'errors', 'case', 's'],
      ['default', '1', '0', '0', '1', '1.0'],
      ['small', '2', '1', '1', '0', '0.8'],
    ]);
    expect(out).toContain('3 cases: 1 passed, 2 failed in 2 bucket(s), 2.0 s\n');
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

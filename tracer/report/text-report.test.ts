/**
 * The text layout of a report built by hand (so the expectations do not come from the engine):
 * a 256-lane WGT row with two bad lanes is cut to them and their neighbours, and with three runs
 * the timing gives each run's difference from the reference.
 */
import { describe, expect, it } from 'vitest';
import { REPORT_FORMAT, type DivergenceReport } from '../diverge/divergence.js';
import { renderTextReport } from './text-report.js';

const run = (id: number, target: string, cycles: number) => ({ id, target, status: 'ok', message: null, blocked: null, mode: 'sram', cycles });

function report(): DivergenceReport {
  // Lane i of the expected row holds i as an int8 (i − 256 from 128 up); the actual row differs in lanes 3 and 200.
  const expected = Array.from({ length: 256 }, (_, i) => (i < 128 ? i : i - 256));
  const actual = [...expected];
  actual[3] = 99;
  actual[200] = -1;
  return {
    format: REPORT_FORMAT,
    values: 'diverge',
    verdict: 'diverge',
    known: [],
    method: 'digests',
    methodNote: null,
    bundle: { hash: 'h', insnCount: 10, workload: null },
    runs: [run(1, 'fsim', 400), run(2, 'tsim', 523), run(3, 'fpga', 390)],
    first: {
      pc: 3,
      module: 'load',
      disasm: 'LOAD WGT',
      source: null,
      located: true,
      stream: 'sram.wgt',
      buffer: 'wgt',
      addr: 1,
      kind: 'value',
      expectedRun: 1,
      actualRun: 2,
      lanes: { width: 8, values: { 1: expected, 2: actual, 3: expected }, differing: [3, 200] },
      hint: null,
      cycles: { 1: 10, 2: 12, 3: 11 },
    },
    oddOneOut: { runId: 2, target: 'tsim', basis: 'majority' },
    later: { insns: 0, events: 0 },
    outputs: [],
    timing: {
      verdict: 'differs',
      cycles: { 1: 400, 2: 523, 3: 390 },
      modules: { load: { 1: 300, 2: 408, 3: 290 }, compute: { 1: 400, 2: 520, 3: 390 }, store: { 1: 399, 2: 516, 3: 380 } },
      moduleDelta: { load: 108, compute: 120, store: 117 },
      reference: 1,
      deltaFromReference: { 2: { total: 123, load: 108, compute: 120, store: 117 }, 3: { total: -10, load: -10, compute: -10, store: -19 } },
    },
    abnormal: [],
    knownUnchecked: [],
    reproduce: 'vta-trace diff …',
  };
}

describe('text report', () => {
  const text = renderTextReport(report());
  const lines = text.split('\n');

  it('a wide row shows the differing lanes and two on each side, … for the rest', () => {
    expect(text).toContain('  lanes    2 of 256 differ (8-bit): 3, 200\n');
    const row = (label: string) => lines.find((l) => l.startsWith(`    ${label}`))!.trim().split(/\s+/);
    expect(row('lane')).toEqual(['lane', '…', '1', '2', '3', '4', '5', '…', '198', '199', '200', '201', '202', '…']);
    // Expected lanes 1..5 hold 1..5, lanes 198..202 hold −58..−54.
    expect(row('expected').slice(0, 14)).toEqual(['expected', '…', '1', '2', '3', '4', '5', '…', '-58', '-57', '-56', '-55', '-54', '…']);
    expect(row('actual').slice(0, 14)).toEqual(['actual', '…', '1', '2', '99', '4', '5', '…', '-58', '-57', '-1', '-55', '-54', '…']);
    // The carets sit under lanes 3 and 200 only.
    const lane = lines.find((l) => l.startsWith('    lane'))!;
    const carets = lines[lines.indexOf(lines.find((l) => l.startsWith('    actual'))!) + 1]!;
    expect([...carets.matchAll(/\^+/g)].map((m) => lane.slice(m.index, m.index + m[0].length).trim())).toEqual(['3', '200']);
  });

  it('the first lane shown is not lane 0: a gap comes first', () => {
    const r = report();
    r.first!.lanes!.differing = [200];
    (r.first!.lanes!.values[2] as number[])[3] = 3;
    const lane = renderTextReport(r).split('\n').find((l) => l.startsWith('    lane'))!;
    expect(lane.trim().split(/\s+/)).toEqual(['lane', '…', '198', '199', '200', '201', '202', '…']);
  });

  it('with three runs, every run against the reference, total first', () => {
    const i = lines.findIndex((l) => l.startsWith('  cycle difference from fsim (run 1)'));
    expect(i).toBeGreaterThan(0);
    expect(lines[i + 1]!.trim()).toBe('tsim (run 2)  total +123, load +108, compute +120, store +117');
    expect(lines[i + 2]!.trim()).toBe('fpga (run 3)  total -10, load -10, compute -10, store -19');
  });

  it('with two runs, one line of actual − expected', () => {
    const r = report();
    r.runs = r.runs.slice(0, 2);
    expect(renderTextReport(r)).toContain('  per-module last-retire cycle difference (actual − expected): load +108, compute +120, store +117\n');
  });
});

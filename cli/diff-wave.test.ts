/**
 * `diff --wave`: the FST of the tsim run is read back with GTKWave's fst2vcd (a reader that is not
 * ours; ci/ensure-gtkwave.sh installs it) and must hold the requested cycle window, with the
 * divergent write visible at the time the report maps its cycle to; the GTKWave save file must
 * name the dump, mark that time and add only signals the FST declares. The bug: tsim:load-next-row
 * on vec:load_inp_2d_stride, first divergence at a LOAD INP write (cli/rtl-hints.test.ts).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './testing/run-cli.js';

let dir: string;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** fst2vcd's text: declared names (scope path + range) → id, and per id its changes. */
function readFst(file: string) {
  const text = execFileSync('fst2vcd', ['-f', file], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const names = new Map<string, string>();
  const changes = new Map<string, [number, string][]>();
  const scope: string[] = [];
  const times: number[] = [];
  let t = 0;
  for (const line of text.split('\n')) {
    const w = line.trim().split(/\s+/);
    if (w[0] === '$scope') scope.push(w[2]!);
    else if (w[0] === '$upscope') scope.pop();
    else if (w[0] === '$var') names.set([...scope, w[4]!].join('.') + (w[5] !== '$end' ? w[5] : ''), w[3]!);
    else if (/^#\d+$/.test(w[0]!)) times.push((t = Number(w[0]!.slice(1))));
    else if (/^b[01xz]+$/.test(w[0]!)) (changes.get(w[1]!) ?? changes.set(w[1]!, []).get(w[1]!)!).push([t, w[0]!.slice(1)]);
    else if (/^[01xz]\S+$/.test(w[0]!) && w.length === 1) (changes.get(w[0]!.slice(1)) ?? changes.set(w[0]!.slice(1), []).get(w[0]!.slice(1))!).push([t, w[0]![0]!]);
  }
  const at = (name: string, time: number) => {
    let v: string | undefined;
    for (const [ct, cv] of changes.get(names.get(name)!) ?? []) if (ct <= time) v = cv;
    return v;
  };
  return { names, times, at };
}

describe('diff --wave', () => {
  let report: { first: { addr: number; cycles: Record<string, number> }; runs: { id: number; target: string }[]; waves: { runId: number; fst: string; gtkw: string; from: number; to: number; cycle: number; time: number }[] };
  const before = 10;
  const after = 5;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vta-wave-'));
    const args = ['diff', 'fsim', 'tsim:load-next-row', '--workload', 'vec:load_inp_2d_stride', '--db', join(dir, 'w.db'), '--wave', join(dir, 'waves'), '--wave-before', String(before), '--wave-after', String(after)];
    const r = await runCli(...args, '--json');
    expect(r.code, r.err).toBe(1);
    report = JSON.parse(r.out);
  }, 600_000);

  it('one dump, for the tsim run only, over the window around its divergent cycle', () => {
    const tsim = report.runs.find((r) => r.target === 'tsim:load-next-row')!;
    const cycle = report.first.cycles[String(tsim.id)]!;
    expect(report.waves).toHaveLength(1);
    const w = report.waves[0]!;
    expect([w.runId, w.cycle, w.from, w.to, w.time]).toEqual([tsim.id, cycle, cycle - before, cycle + after + 1, 2 * cycle]);
    const fst = readFst(w.fst);
    // Two dumps per cycle: the first time is 2·from, the last below 2·to.
    expect(fst.times[0]).toBe(2 * w.from);
    expect(Math.max(...fst.times)).toBeLessThanOrEqual(2 * w.to - 1);
    expect(Math.max(...fst.times)).toBeGreaterThan(2 * cycle);
  });

  it('at the mapped time the INP write port writes the divergent address', () => {
    const w = report.waves[0]!;
    const fst = readFst(w.fst);
    expect(fst.at('TOP.vta_tsim_top.u_core.inp_we', w.time)).toBe('1');
    expect(parseInt(fst.at('TOP.vta_tsim_top.u_core.inp_widx[10:0]', w.time)!, 2)).toBe(report.first.addr);
  });

  it('the save file opens that dump, marks the time, and adds the probe-map signals the FST declares', () => {
    const w = report.waves[0]!;
    const fst = readFst(w.fst);
    const save = readFileSync(w.gtkw, 'utf8').split('\n');
    expect(save).toContain(`[dumpfile] "${w.fst}"`);
    expect(save.find((l) => l.startsWith('*'))!.split(' ')[1]).toBe(String(w.time));
    const signals = save.filter((l) => l.startsWith('TOP.'));
    expect(signals).toEqual([
      'TOP.vta_tsim_top.u_core.inp_we',
      'TOP.vta_tsim_top.u_core.inp_widx[10:0]',
      'TOP.vta_tsim_top.u_core.inp_wdata[127:0]',
      'TOP.vta_tsim_top.u_core.inp_wmask[1:0]',
      'TOP.vta_tsim_top.u_core.u_load.retire_q',
      'TOP.vta_tsim_top.u_core.u_load.retired_q[127:0]',
    ]);
    for (const s of signals) expect(fst.names.has(s), s).toBe(true);
  });

  it('the text report gives the cycle ↔ time mapping and the files', async () => {
    const r = await runCli('diff', 'fsim', 'tsim:load-next-row', '--workload', 'vec:load_inp_2d_stride', '--db', join(dir, 'w.db'), '--wave', join(dir, 'text'), '--wave-before', '4', '--wave-after', '2');
    const w = report.waves[0]!;
    expect(r.out).toContain('waveforms (FST; one cycle is two time units: cycle c at time 2c (the values its rising edge samples) and 2c+1):');
    expect(r.out).toMatch(new RegExp(`tsim:load-next-row \\(run \\d+\\): cycles ${w.cycle - 4}–${w.cycle + 2} \\(times ${2 * (w.cycle - 4)}–${2 * (w.cycle + 3) - 1}\\), divergent event at cycle ${w.cycle} = time ${2 * w.cycle}`));
    expect(existsSync(join(dir, 'text'))).toBe(true);
  }, 600_000);

  it('with stored run ids, --wave is refused', async () => {
    const r = await runCli('diff', '--db', join(dir, 'w.db'), '1', '2', '--wave');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--wave re-runs the targets/);
  });
});

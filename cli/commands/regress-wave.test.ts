/**
 * `regress --wave DIR`: a failing case gets, per tsim run, the FST of its divergent window and a
 * GTKWave save file in a folder of its own, listed in the console summary and in --json; the FST
 * is read back with GTKWave's fst2vcd (ci/ensure-gtkwave.sh) and holds the divergent cycle.
 * The case: vec:load_inp_2d_stride on tsim:load-next-row, a LOAD whose rows read one row late.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing/run-cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vta-regress-wave-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = (waves: string) => ['regress', '--suite', 'commit', '--tsim-variant', 'load-next-row', '--filter', 'vec:load_inp_2d_stride@default$', '--wave', waves, '--wave-before', '8', '--wave-after', '4', '--no-results', '--jobs', '1'];

describe('regress --wave', () => {
  it('the failing case has the tsim run\'s waveform of its divergent window, in JSON', async () => {
    const r = await runCli(...args(join(dir, 'json')), '--json');
    expect(r.code, r.err).toBe(1);
    const [c] = JSON.parse(r.out).cases;
    expect(c.verdict).toBe('fail');
    expect(c.waves).toHaveLength(1);
    const w = c.waves[0];
    expect(w.target).toBe('tsim:load-next-row');
    expect(w.time).toBe(2 * w.cycle);
    // Under the case's own folder.
    expect(w.fst.startsWith(join(dir, 'json', 'vec_load_inp_2d_stride@default'))).toBe(true);
    const times = execFileSync('fst2vcd', ['-f', w.fst], { encoding: 'utf8' })
      .split('\n')
      .filter((l) => /^#\d+$/.test(l))
      .map((l) => Number(l.slice(1)));
    expect(times[0]).toBe(2 * (w.cycle - 8));
    expect(Math.max(...times)).toBe(2 * (w.cycle + 5) - 1);
    expect(readFileSync(w.gtkw, 'utf8')).toContain(`[dumpfile] "${w.fst}"`);
  }, 600_000);

  it('the console summary lists the files under the failure', async () => {
    const r = await runCli(...args(join(dir, 'text')));
    const line = r.out.split('\n').find((l) => l.startsWith('    waveform tsim:load-next-row: '))!;
    expect(line).toMatch(/\.fst \(divergent event at cycle \d+ = time \d+\); gtkwave -a .*\.gtkw$/);
    expect(existsSync(/ (\S+\.fst) \(divergent/.exec(line)![1]!)).toBe(true);
  }, 600_000);

  it('a bad --wave-before is one error line', async () => {
    const r = await runCli(...args(join(dir, 'bad')).map((a) => (a === '8' ? 'eight' : a)));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--wave-before "eight": expected a number of cycles/);
  });
});

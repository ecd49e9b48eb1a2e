/**
 * `vta-trace bisect` on a throwaway repository holding the tiny stand-in design (builds in
 * seconds) and a design description, with commits that change nothing, only timing (two more
 * cycles before the first request), values (every ACC write flips a bit), and one that does not
 * build. The expected commits are the ones this test made for that purpose, not the tool's output.
 * `--check` is run as `git bisect run` runs it, on checked-out commits; then through `git bisect run` itself.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyRtl } from '../../targets/tsim/testing/tiny-rtl.js';
import { runCli, withoutProgress } from '../testing/run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'vta-bisect-'));
const repo = join(work, 'repo');
const cache = join(work, 'bisect-cache');
const savedCache = process.env.VTA_TRACE_CACHE;
const CASE = 'vec:gemm_multi_uop@default';
const sv = join(repo, 'rtl', 'vta_tsim_top.sv');
const sha: Record<string, string> = {};

const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
function commit(name: string, edit: () => void): void {
  edit();
  git('add', '-A');
  git('commit', '-q', '-m', name);
  sha[name] = git('rev-parse', 'HEAD');
}
const editSv = (from: string, to: string) => {
  const text = readFileSync(sv, 'utf8');
  if (!text.includes(from)) throw new Error(`test setup: ${from} not in the tiny design`);
  writeFileSync(sv, text.replace(from, to));
};

beforeAll(() => {
  process.env.VTA_TRACE_CACHE = join(work, 'tsim-cache');
  mkdirSync(repo);
  git('init', '-q');
  git('config', 'user.email', 'test@example.invalid');
  git('config', 'user.name', 'bisect test');
  commit('good: the tiny design', () => {
    writeTinyRtl(join(repo, 'rtl'));
    rmSync(join(repo, 'rtl', 'rtl.json'));
    // Executes every instruction whatever its dependency flags (the real program pops tokens).
    editSv('EXEC: if (insn_q[3]) state_q <= STALL;\n          else begin', 'EXEC: begin');
    writeFileSync(join(repo, 'design.json'), JSON.stringify({ name: 'tiny', top: 'vta_tsim_top', files: ['rtl/vta_tsim_top.sv'], probeMap: 'rtl/probes.json', verilatorFlags: ['-Wno-lint', '-Wno-style'] }));
  });
  const goodText = readFileSync(sv, 'utf8');
  commit('broken: does not build', () => editSv('endmodule', ''));
  commit('fixed again, readme', () => {
    writeFileSync(sv, goodText);
    writeFileSync(join(repo, 'README'), 'tiny\n');
  });
  // Two cycles: the design takes read beats every other cycle, which would absorb one.
  commit('timing: two more cycles before the first request', () => {
    editSv('STALL, DONE, WDONE}', 'STALL, DONE, WDONE, PRE, PRE2}');
    editSv('state_q <= REQ; k_q <= 0;', 'state_q <= PRE; k_q <= 0;');
    editSv('        STALL: ;', '        PRE: state_q <= PRE2;\n        PRE2: state_q <= REQ;\n        STALL: ;');
  });
  commit('bug: every ACC write flips bit 0', () => editSv('acc_data <= {4{insn_q}};', "acc_data <= {4{insn_q ^ 128'd1}};"));
  commit('readme again', () => writeFileSync(join(repo, 'README'), 'tiny, again\n'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  if (savedCache === undefined) delete process.env.VTA_TRACE_CACHE;
  else process.env.VTA_TRACE_CACHE = savedCache;
});

const base = ['--case', CASE, '--repo', repo, '--design', 'design.json', '--cache', cache];

describe('vta-trace bisect', () => {
  it('names the timing commit and the values commit separately, with the values commit\'s first divergence against its parent', async () => {
    const r = await runCli('bisect', sha['good: the tiny design']!, sha['readme again']!, ...base, '--json');
    expect(r.code, r.err).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.values.first.sha).toBe(sha['bug: every ACC write flips bit 0']);
    expect(j.values.parent.sha).toBe(sha['timing: two more cycles before the first request']);
    expect(j.timing.first.sha).toBe(sha['timing: two more cycles before the first request']);
    // Two more cycles before anything happens: the whole run is two cycles longer.
    expect(j.timing.cycles.first - j.timing.cycles.parent).toBe(2);
    // The report: the bug commit against its parent, diverging at the first instruction (its ACC row 0 write).
    expect(j.report.values).toBe('diverge');
    expect(j.report.first.pc).toBe(0);
    expect(j.report.first.stream).toBe('sram.acc');
    // Three runs (GOOD, timing, bug): the readme commits' sources are their parents', so are their builds and runs.
    expect(j.tested.filter((t: { outcome: string }) => t.outcome === 'run').map((t: { commit: { sha: string } }) => t.commit.sha).sort()).toEqual(
      [sha['good: the tiny design'], sha['timing: two more cycles before the first request'], sha['readme again']].sort(),
    );

    // The text form, a second time: every run comes from the cache.
    const again = await runCli('bisect', sha['good: the tiny design']!, sha['readme again']!, ...base);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain(`values: first changed at ${sha['bug: every ACC write flips bit 0']!.slice(0, 12)} "bug: every ACC write flips bit 0"`);
    expect(again.out).toMatch(/timing: first changed at \w{12} "timing: two more cycles before the first request" \(total cycles (\d+) → \d+\)/);
    expect(again.out).toMatch(/tested \d+ commit\(s\): 0 run, \d+ from the cache/);
  }, 600_000);

  it('--check follows git bisect run: 0 same as GOOD, 1 changed, 125 cannot build', async () => {
    const check = async (commitName: string, verdict: string) => {
      git('checkout', '-q', sha[commitName]!);
      const r = await runCli('bisect', '--check', sha['good: the tiny design']!, ...base, '--verdict', verdict);
      return r.code;
    };
    try {
      expect(await check('fixed again, readme', 'values')).toBe(0);
      expect(await check('timing: two more cycles before the first request', 'values')).toBe(0);
      expect(await check('timing: two more cycles before the first request', 'timing')).toBe(1);
      expect(await check('bug: every ACC write flips bit 0', 'values')).toBe(1);
      expect(await check('broken: does not build', 'values')).toBe(125);
    } finally {
      git('checkout', '-q', sha['readme again']!);
    }
    // An error (here an unknown revision) aborts git bisect run instead of marking the commit bad.
    const e = await runCli('bisect', '--check', 'no-such-rev', ...base);
    expect(e.code).toBe(128);
    expect(withoutProgress(e.err).trim()).toMatch(/^vta-trace: "no-such-rev" is not a commit of /);
  }, 600_000);

  it('git bisect run vta-trace bisect --check … names the values commit', async () => {
    const bin = join(process.cwd(), 'bin', 'vta-trace.js');
    git('bisect', 'start', sha['readme again']!, sha['good: the tiny design']!);
    try {
      const out = execFileSync('git', ['bisect', 'run', process.execPath, bin, 'bisect', '--check', sha['good: the tiny design']!, ...base], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      expect(out).toContain(`${sha['bug: every ACC write flips bit 0']} is the first bad commit`);
    } finally {
      git('bisect', 'reset');
    }
  }, 600_000);

  it('user errors: one line, exit 2', async () => {
    const r = await runCli('bisect', sha['good: the tiny design']!, ...base);
    expect([r.code, r.err.trim()]).toEqual([2, 'vta-trace: bisect takes two revisions, GOOD and BAD (got 1)']);
    const same = await runCli('bisect', sha['readme again']!, sha['good: the tiny design']!, ...base);
    expect(same.code).toBe(2);
    expect(same.err).toMatch(/has no commits after GOOD/);
  });
});

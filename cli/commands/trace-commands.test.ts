import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { repoRoot } from '../../runtime/repo.js';
import { makeTraceSpec } from '../../tracer/spec.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import { createToyTarget, toyBundle } from '../../tracer/testing/toy.js';
import { traceRun } from '../../tracer/trace-run.js';
import { runCli } from '../testing/run-cli.js';

let dir: string;
let db: string;
const ids: number[] = [];

const cli = runCli;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vta-cli-'));
  db = join(dir, 'runs.db');
  const store = TraceStore.open(db);
  const bundle = toyBundle(resolveConfig('default'), 21);
  for (const toy of [{ name: 'fsim' }, { name: 'fsim+gemm-lane:pc=5,lane=2', fault: { pc: 5, lane: 2 } }, { name: 'tsim' }]) {
    ids.push((await traceRun({ target: createToyTarget(toy), bundle, spec: makeTraceSpec({ mode: 'sram' }), store })).runId);
  }
  store.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vta-trace diff/runs/show on stored runs', () => {
  it('diff of two stored runs that diverge: report and exit 1', async () => {
    const r = await cli('diff', '--db', db, String(ids[0]), String(ids[1]));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/first divergence at instruction #5 \(compute\)/);
    expect(r.out).toMatch(/buffer acc {3}address 20/);
  });

  it('diff of agreeing runs exits 0; --json gives the documented object', async () => {
    const same = await cli('diff', '--db', db, String(ids[0]), String(ids[2]));
    expect(same.code).toBe(0);
    expect(same.out).toMatch(/^values agree/);
    const j = await cli('diff', '--db', db, '--json', String(ids[0]), String(ids[1]), String(ids[2]));
    expect(j.code).toBe(1);
    const report = JSON.parse(j.out);
    expect(report.format).toBe('vta-trace.divergence/1');
    expect(report.first).toMatchObject({ pc: 5, stream: 'sram.acc', addr: 20 });
    expect(report.oddOneOut).toMatchObject({ runId: ids[1], target: 'fsim+gemm-lane:pc=5,lane=2' });
  });

  it('runs lists every run with its status and trace mode', async () => {
    const r = await cli('runs', '--db', db);
    expect(r.code).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^id\s+target\s+status\s+trace/);
    expect(lines).toHaveLength(4);
    expect(lines[2]).toMatch(/fsim\+gemm-lane:pc=5,lane=2\s+ok\s+sram/);
  });

  it('show prints the events of a run, narrowed by stream and instruction window', async () => {
    const r = await cli('show', '--db', db, String(ids[0]), '--stream', 'sram.acc', '--insn', '5:7');
    expect(r.code).toBe(0);
    const events = r.out.split('\n').filter((l) => l.startsWith('#'));
    // Toy: #5 (GEMM) and #6 (ALU) each write ACC rows pc·4 … pc·4+3.
    expect(events.map((l) => l.split(' ').slice(0, 3).join(' '))).toEqual(['#5 sram.acc @20', '#5 sram.acc @21', '#5 sram.acc @22', '#5 sram.acc @23', '#6 sram.acc @24', '#6 sram.acc @25', '#6 sram.acc @26', '#6 sram.acc @27']);
    const retire = await cli('show', '--db', db, 'last', '--stream', 'insn', '--insn', '0');
    expect(retire.out).toMatch(/^#0 insn\.load retire [0-9a-f]{32}/m);
  });

  it('runs and show change nothing in the file: an older version is read as it is, not upgraded', async () => {
    const old = join(dir, 'older.db');
    copyFileSync(db, old);
    const raw = new Database(old);
    raw.pragma('user_version = 2');
    raw.close();
    const before = createHash('sha256').update(readFileSync(old)).digest('hex');
    expect((await cli('runs', '--db', old)).out).toMatch(/fsim\+gemm-lane:pc=5,lane=2\s+ok\s+sram/);
    expect((await cli('show', '--db', old, String(ids[0]), '--stream', 'sram.acc', '--insn', '5')).out).toMatch(/^#5 sram\.acc @20/m);
    expect(createHash('sha256').update(readFileSync(old)).digest('hex')).toBe(before);
    const after = new Database(old, { readonly: true });
    expect(after.pragma('user_version', { simple: true })).toBe(2);
    after.close();
  });

  it('a seeded fault that cannot fire in the program is refused before anything is recorded', async () => {
    const fresh = join(dir, 'fault.db');
    const r = await cli('diff', 'fsim', 'fsim+gemm-lane:pc=46,lane=3', '--workload', 'vec:matmul_blocked_4x4', '--db', fresh);
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe('vta-trace: fault gemm-lane:pc=46,lane=3: the program has 46 instructions (#0–#45)');
    const raw = new Database(fresh, { readonly: true });
    // Every target is checked before the first run: not even the clean fsim ran.
    expect(raw.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0);
    raw.close();
  });

  it('run refuses a fault that cannot fire, and runs one that can', async () => {
    // vec:matmul_blocked_4x4: #8 is an ALU SHR without token pushes, #3 a LOAD WGT that pushes ld→cmp.
    const refused = await cli('run', '--target', 'fsim+drop-token:pc=8', '--workload', 'vec:matmul_blocked_4x4');
    expect([refused.code, refused.err.trim()]).toEqual([2, 'vta-trace: fault drop-token:pc=8: instruction #8 is ALU SHR; drop-token needs an instruction that pushes a token']);
    const ran = await cli('run', '--target', 'fsim+drop-token:pc=3', '--workload', 'vec:matmul_blocked_4x4');
    expect(ran.out).toMatch(/^fsim\+drop-token:pc=3 on vec:matmul_blocked_4x4: deadlock/);
  });

  it("diff records the commit of vta-trace's checkout, not of the repository it is run from", async () => {
    // Run from inside another repository, with a commit of its own.
    const elsewhere = join(dir, 'other-repo');
    const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: elsewhere }).toString().trim();
    mkdirSync(elsewhere);
    git('init', '-q');
    git('commit', '-q', '--allow-empty', '-m', 'unrelated');
    const unrelated = git('rev-parse', 'HEAD');
    const ours = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot() }).toString().trim();
    const file = join(dir, 'provenance.db');
    const cwd = process.cwd();
    process.chdir(elsewhere);
    try {
      expect((await cli('diff', 'fsim', 'fsim', '--workload', 'gemm', '--config', 'small', '--db', file)).code).toBe(0);
    } finally {
      process.chdir(cwd);
    }
    const raw = new Database(file, { readonly: true });
    const commits = raw.prepare('SELECT DISTINCT git_commit FROM runs').pluck().all();
    raw.close();
    expect(ours).toMatch(/^[0-9a-f]{40}$/);
    expect(commits).toEqual([ours]);
    expect(commits).not.toContain(unrelated);
  });

  it('diff says so when the digests agree only because the runs recorded part of the program', async () => {
    // gemm: the fault flips lane 3 of the ACC rows of GEMM #4; the window 6:9 leaves #4 out.
    const file = join(dir, 'narrow.db');
    const r = await cli('diff', 'fsim', 'fsim+gemm-lane:pc=4,lane=3', '--workload', 'gemm', '--insn', '6:9', '--db', file);
    expect(r.code).toBe(1);
    expect(r.out).toContain('note: every instruction digest agrees, but the runs digested only instructions #6–#8;');
    expect(r.out).toContain('record again without --insn');
    expect(r.out).toContain('no recorded instruction differs: only the outputs do');
    expect(r.out).not.toContain('outputs mode');
    // The same runs without the window name the instruction.
    const whole = await cli('diff', 'fsim', 'fsim+gemm-lane:pc=4,lane=3', '--workload', 'gemm', '--db', file);
    expect(whole.out).toMatch(/first divergence at instruction #4 \(compute\)/);
  });

  it('diff refuses an instruction window past the end of the program before recording anything', async () => {
    const file = join(dir, 'past-end.db');
    const r = await cli('diff', 'fsim', 'fsim', '--workload', 'gemm', '--insn', '9:12', '--db', file);
    expect([r.code, r.err.trim()]).toEqual([2, "vta-trace: instruction window 9:12 starts past the program's end: it has 9 instructions (#0–#8)"]);
    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(0);
    raw.close();
    // The last instruction alone is a window of the program.
    expect((await cli('diff', 'fsim', 'fsim', '--workload', 'gemm', '--insn', '8', '--db', file)).code).toBe(0);
  });

  it('diff --help says how each seeded fault is written', async () => {
    const r = await cli('diff', '--help');
    expect(r.out).toContain('Faults (fsim+<fault>, e.g. fsim+gemm-lane:pc=4,lane=3): alu-op:pc=N,op=N, gemm-lane:pc=N,lane=N,');
    expect(r.out).toContain('drop-token:pc=N,');
    // The hint faults close the list (commander may wrap the help text between words).
    expect(r.out.replace(/\s+/g, ' ')).toContain('acc-scramble:pc=N,seed=N, load-offset:pc=N,by=N, load-row:pc=N,by=N.');
  });

  it('user errors print one line and exit 2', async () => {
    for (const argv of [
      ['runs', '--db', join(dir, 'nope.db')],
      ['show', '--db', db, '99'],
      ['show', '--db', db, '1', '--insn', '9:3'],
      ['show', '--db', db, '1', '--stream', 'bogus'],
      ['diff', '--db', db, '1'],
      ['diff', 'fsim', 'tsim', '--workload', 'w', '--bundle', 'b'],
    ]) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.err).toMatch(/^vta-trace: /);
    }
  });
});

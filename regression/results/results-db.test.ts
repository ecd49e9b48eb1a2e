/**
 * The results database: a suite run with its cases and per-target outcomes goes in whole; files
 * that are not results databases of this version are refused naming the file and the problem;
 * `vta-trace regress --results` appends one suite run per invocation with the commit it ran at.
 */
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/testing/run-cli.js';
import { repoRoot } from '../../runtime/repo.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import { appendSuiteRun } from './append.js';
import { ResultsDbError, ResultsSchemaVersionError } from './errors.js';
import { mergeResultsDbs } from './merge.js';
import { openResultsDb } from './open.js';
import { cycleTrend } from './perf.js';
import { caseSpec, passingCase, suiteRunMeta } from './testing.js';
import { RESULTS_SCHEMA_VERSION } from './schema.js';

const scratch = () => mkdtempSync(join(tmpdir(), 'vta-results-'));

describe('results database', () => {
  it('stores a suite run with its provenance, cases and per-target cycles', () => {
    const file = join(scratch(), 'r.db');
    const db = openResultsDb(file);
    const meta = suiteRunMeta({ commit: 'a'.repeat(40), commitTime: '2024-05-01T10:00:00Z', shard: { index: 2, count: 4 } });
    const results = [
      passingCase('random#1@small', { fsim: 100, tsim: 120 }),
      { id: 'random#2@small', verdict: 'fail' as const, reason: 'tsim outputs differ from fsim', signature: 'GEMM sram.acc', outcomes: [{ target: 'fsim', status: 'ok', cycles: 50 }, { target: 'tsim', status: 'hang', cycles: 9 }], seconds: 0.2 },
    ];
    appendSuiteRun(db, meta, results.map((r) => caseSpec(r.id)), results);
    db.close();

    const raw = new Database(file, { readonly: true });
    expect(raw.prepare('SELECT git_commit, git_dirty, shard_index, shard_count, machine, case_count FROM suite_runs').all()).toEqual([
      { git_commit: 'a'.repeat(40), git_dirty: 0, shard_index: 2, shard_count: 4, machine: 'test-machine', case_count: 2 },
    ]);
    expect(raw.prepare('SELECT case_id, verdict, signature FROM cases ORDER BY case_id').all()).toEqual([
      { case_id: 'random#1@small', verdict: 'pass', signature: null },
      { case_id: 'random#2@small', verdict: 'fail', signature: 'GEMM sram.acc' },
    ]);
    expect(raw.prepare('SELECT case_id, position, target, status, cycles FROM case_targets ORDER BY case_id, position').all()).toEqual([
      { case_id: 'random#1@small', position: 0, target: 'fsim', status: 'ok', cycles: 100 },
      { case_id: 'random#1@small', position: 1, target: 'tsim', status: 'ok', cycles: 120 },
      { case_id: 'random#2@small', position: 0, target: 'fsim', status: 'ok', cycles: 50 },
      { case_id: 'random#2@small', position: 1, target: 'tsim', status: 'hang', cycles: 9 },
    ]);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('a suite run is written whole or not at all', () => {
    const db = openResultsDb(join(scratch(), 'r.db'));
    // A result for a case the suite does not have aborts the transaction half way.
    expect(() => appendSuiteRun(db, suiteRunMeta({ commit: 'b', commitTime: '2024-01-01T00:00:00Z' }), [caseSpec('x@small')], [passingCase('x@small', { fsim: 1 }), passingCase('y@small', { fsim: 1 })])).toThrow(/y@small/);
    expect(db.prepare('SELECT count(*) AS n FROM suite_runs').get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT count(*) AS n FROM cases').get()).toEqual({ n: 0 });
    db.close();
  });

  it('refuses a newer schema, an older one, a trace database and a file that is not SQLite', () => {
    const dir = scratch();
    const newer = join(dir, 'newer.db');
    openResultsDb(newer).close();
    const raw = new Database(newer);
    raw.pragma('user_version = 7');
    raw.close();
    expect(() => openResultsDb(newer)).toThrow(ResultsSchemaVersionError);
    expect(() => openResultsDb(newer)).toThrow(/newer\.db: results database schema version 7, this vta-trace reads version 5 \(written by a newer vta-trace: upgrade\)/);

    const older = join(dir, 'older.db');
    openResultsDb(older).close();
    const raw2 = new Database(older);
    raw2.pragma('user_version = 0');
    raw2.close();
    expect(() => openResultsDb(older)).toThrow(/older vta-trace/);

    const trace = join(dir, 'trace.db');
    TraceStore.open(trace).close();
    expect(() => openResultsDb(trace)).toThrow(/trace\.db: not a vta-trace results database .*a trace database/);

    const text = join(dir, 'notes.db');
    writeFileSync(text, 'these are not the results you are looking for, '.repeat(40));
    expect(() => openResultsDb(text)).toThrow(ResultsDbError);
    expect(() => openResultsDb(text)).toThrow(/notes\.db: not a valid results database: not an SQLite database/);

    expect(() => openResultsDb(join(dir, 'missing.db'), { readonly: true })).toThrow(/missing\.db: no such results database/);
  });
});

/**
 * A file as an older vta-trace wrote it: version 3 had no cases.known_json nor
 * case_targets.design_hash, version 2 no case_targets.board either, version 1 neither
 * cases.params_json. Made by dropping the columns from a current file (SQLite keeps the rest).
 */
function olderFile(file: string, version: 1 | 2 | 3): void {
  const db = openResultsDb(file);
  appendSuiteRun(db, suiteRunMeta({ commit: 'c'.repeat(40), commitTime: '2024-03-01T00:00:00Z' }), [caseSpec('random#1@small')], [passingCase('random#1@small', { fsim: 10, tsim: 12 })]);
  db.exec('ALTER TABLE case_targets DROP COLUMN design_hash');
  db.exec('ALTER TABLE cases DROP COLUMN known_json');
  if (version === 3) {
    db.pragma('user_version = 3');
    db.close();
    return;
  }
  db.exec('ALTER TABLE case_targets DROP COLUMN board');
  if (version === 1) db.exec('ALTER TABLE cases DROP COLUMN params_json');
  db.pragma(`user_version = ${version}`);
  db.close();
}
const versionOneFile = (file: string) => olderFile(file, 1);

const columnsOf = (file: string, table: string) => {
  const raw = new Database(file, { readonly: true });
  const cols = (raw.prepare(`PRAGMA table_info(${table})`).all() as { name: string }[]).map((c) => c.name);
  raw.close();
  return cols;
};

describe('case parameters in the results database (schema version 2)', () => {
  it('stores a case’s parameters as JSON beside its id, NULL for the defaults', () => {
    const file = join(scratch(), 'r.db');
    const db = openResultsDb(file);
    const specs = [
      { id: 'conv:C2,scale=4#1@small', workload: 'conv:C2', config: 'small', seed: 1, params: { scale: 4 } },
      { id: 'conv:C2#1@default', workload: 'conv:C2', config: 'default', seed: 1 },
    ];
    appendSuiteRun(db, suiteRunMeta({ commit: 'd', commitTime: '2024-01-01T00:00:00Z' }), specs, specs.map((c) => passingCase(c.id, { fsim: 5, tsim: 6 })));
    expect(db.prepare('SELECT case_id, workload, params_json FROM cases ORDER BY case_id').all()).toEqual([
      { case_id: 'conv:C2#1@default', workload: 'conv:C2', params_json: null },
      { case_id: 'conv:C2,scale=4#1@small', workload: 'conv:C2', params_json: '{"scale":4}' },
    ]);
    db.close();
  });

  it('a version-1 file is read as it is, and upgraded in place (rows kept) when opened for writing', () => {
    const file = join(scratch(), 'old.db');
    versionOneFile(file);
    const reader = openResultsDb(file, { readonly: true });
    expect(reader.prepare('SELECT case_id FROM cases').all()).toEqual([{ case_id: 'random#1@small' }]);
    reader.close();
    expect(columnsOf(file, 'cases')).not.toContain('params_json');

    const writer = openResultsDb(file);
    expect(writer.pragma('user_version', { simple: true })).toBe(RESULTS_SCHEMA_VERSION);
    appendSuiteRun(writer, suiteRunMeta({ commit: 'e', commitTime: '2024-04-01T00:00:00Z' }), [caseSpec('random#2@small')], [passingCase('random#2@small', { fsim: 1 })]);
    expect(writer.prepare('SELECT case_id, params_json FROM cases ORDER BY case_id').all()).toEqual([
      { case_id: 'random#1@small', params_json: null },
      { case_id: 'random#2@small', params_json: null },
    ]);
    writer.close();
    // Opening it again finds the current version: no second upgrade.
    openResultsDb(file).close();
    expect(columnsOf(file, 'case_targets')).toContain('board');
  });

  it('merge takes a version-1 input (its cases without parameters) into a version-2 file', () => {
    const dir = scratch();
    const old = join(dir, 'old.db');
    versionOneFile(old);
    const out = join(dir, 'out.db');
    expect(mergeResultsDbs(out, [old]).addedCases).toBe(1);
    const raw = new Database(out, { readonly: true });
    expect(raw.prepare('SELECT case_id, params_json FROM cases').all()).toEqual([{ case_id: 'random#1@small', params_json: null }]);
    expect(raw.prepare('SELECT target, cycles FROM case_targets ORDER BY position').all()).toEqual([
      { target: 'fsim', cycles: 10 },
      { target: 'tsim', cycles: 12 },
    ]);
    raw.close();
    expect(columnsOf(old, 'cases')).not.toContain('params_json');
  });
});

/** A suite run whose fpga:* runs went to the given boards, one case each (fpga:* cycles 100, 101, …). */
function onBoards(db: ReturnType<typeof openResultsDb>, commit: string, boards: string[]): void {
  const cases = boards.map((board, i) => {
    const c = passingCase(`random#${i + 1}@small`, { fsim: 90, 'fpga:*': 100 + i });
    c.outcomes[1]!.board = board;
    return c;
  });
  appendSuiteRun(db, suiteRunMeta({ commit, commitTime: '2024-06-01T00:00:00Z' }), cases.map((c) => caseSpec(c.id)), cases);
}

describe('which board ran each case (schema version 3)', () => {
  it('stores the board of an fpga:* run, NULL for a target that is not spread over boards', () => {
    const file = join(scratch(), 'r.db');
    const db = openResultsDb(file);
    onBoards(db, 'f', ['fpga:a', 'fpga:b', '']);
    expect(db.prepare('SELECT case_id, target, board FROM case_targets ORDER BY case_id, position').all()).toEqual([
      { case_id: 'random#1@small', target: 'fsim', board: null },
      { case_id: 'random#1@small', target: 'fpga:*', board: 'fpga:a' },
      { case_id: 'random#2@small', target: 'fsim', board: null },
      { case_id: 'random#2@small', target: 'fpga:*', board: 'fpga:b' },
      { case_id: 'random#3@small', target: 'fsim', board: null },
      // A run no board was left for: the pool's run, on no board.
      { case_id: 'random#3@small', target: 'fpga:*', board: '' },
    ]);
    db.close();
  });

  it('a version-2 file is read as it is (perf sees no boards), and upgraded in place (rows kept) when opened for writing', () => {
    const file = join(scratch(), 'v2.db');
    olderFile(file, 2);
    const reader = openResultsDb(file, { readonly: true });
    expect(reader.pragma('user_version', { simple: true })).toBe(2);
    const trend = cycleTrend(reader, { thresholdPct: 5 });
    expect(trend.series.map((x) => [x.target, x.cycles, x.boards])).toEqual([
      ['fsim', [10], [null]],
      ['tsim', [12], [null]],
    ]);
    reader.close();
    expect(columnsOf(file, 'case_targets')).not.toContain('board');

    const writer = openResultsDb(file);
    expect(writer.pragma('user_version', { simple: true })).toBe(RESULTS_SCHEMA_VERSION);
    onBoards(writer, 'g', ['fpga:b']);
    expect(writer.prepare('SELECT case_id, target, cycles, board FROM case_targets ORDER BY suite_run_id, position').all()).toEqual([
      { case_id: 'random#1@small', target: 'fsim', cycles: 10, board: null },
      { case_id: 'random#1@small', target: 'tsim', cycles: 12, board: null },
      { case_id: 'random#1@small', target: 'fsim', cycles: 90, board: null },
      { case_id: 'random#1@small', target: 'fpga:*', cycles: 100, board: 'fpga:b' },
    ]);
    // The version-2 file had its parameters column already: only the board was added.
    expect(columnsOf(file, 'cases').filter((c) => c === 'params_json')).toHaveLength(1);
    writer.close();
  });

  it('a version-1 file opened for writing gets both later columns', () => {
    const file = join(scratch(), 'v1.db');
    olderFile(file, 1);
    openResultsDb(file).close();
    expect(columnsOf(file, 'cases')).toContain('params_json');
    expect(columnsOf(file, 'case_targets')).toContain('board');
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(RESULTS_SCHEMA_VERSION);
    raw.close();
  });

  it('merge keeps the boards, and takes a version-2 input (no boards) beside them', () => {
    const dir = scratch();
    const current = join(dir, 'current.db');
    const db = openResultsDb(current);
    onBoards(db, 'h', ['fpga:a', 'fpga:b']);
    db.close();
    const v2 = join(dir, 'v2.db');
    olderFile(v2, 2);
    const out = join(dir, 'out.db');
    expect(mergeResultsDbs(out, [current, v2]).addedCases).toBe(3);
    const raw = new Database(out, { readonly: true });
    expect(raw.prepare("SELECT case_id, board FROM case_targets WHERE target = 'fpga:*' ORDER BY case_id").all()).toEqual([
      { case_id: 'random#1@small', board: 'fpga:a' },
      { case_id: 'random#2@small', board: 'fpga:b' },
    ]);
    expect(raw.prepare("SELECT count(*) AS n FROM case_targets WHERE board IS NULL").get()).toEqual({ n: 4 });
    raw.close();
  });
});

describe('vta-trace regress --results', () => {
  it('appends one suite run per invocation, at the current commit, with cycles per target', async () => {
    const file = join(scratch(), 'results.db');
    const args = ['regress', '--suite', 'smoke', '--filter', 'gemm_tile', '--jobs', '1', '--json', '--results', file, '--machine', 'bench-1'];
    const first = await runCli(...args);
    expect(first.code).toBe(0);
    const ran = (JSON.parse(first.out).cases as { id: string }[]).map((c) => c.id).sort();
    expect(ran.length).toBeGreaterThan(0);
    expect((await runCli(...args, '--shard', '1/2')).code).toBe(0);

    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot() }).toString().trim();
    const db = new Database(file, { readonly: true });
    const runs = db.prepare('SELECT id, suite, git_commit, machine, shard_index, shard_count, case_count FROM suite_runs ORDER BY id').all();
    expect(runs).toEqual([
      { id: 1, suite: 'smoke', git_commit: head, machine: 'bench-1', shard_index: null, shard_count: null, case_count: ran.length },
      { id: 2, suite: 'smoke', git_commit: head, machine: 'bench-1', shard_index: 1, shard_count: 2, case_count: Math.ceil(ran.length / 2) },
    ]);
    const cases = db.prepare('SELECT case_id FROM cases WHERE suite_run_id = 1 ORDER BY case_id').all() as { case_id: string }[];
    expect(cases.map((c) => c.case_id)).toEqual(ran);
    expect(db.prepare('SELECT DISTINCT compare FROM suite_runs').all()).toEqual([{ compare: 'digests' }]);
    const fsim = db.prepare("SELECT cycles, counters_json, digest FROM case_targets WHERE suite_run_id = 1 AND target = 'fsim'").all() as { cycles: number; counters_json: string; digest: string }[];
    expect(fsim).toHaveLength(ran.length);
    for (const t of fsim) {
      expect(t.cycles).toBeGreaterThan(0);
      expect(JSON.parse(t.counters_json).cycles).toBe(t.cycles);
      expect(t.digest).toMatch(/^[0-9a-f]{16}$/);
    }
    db.close();
  });

  it('a newer-schema results file is an error before anything runs', async () => {
    const file = join(scratch(), 'results.db');
    openResultsDb(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 99');
    raw.close();
    const r = await runCli('regress', '--suite', 'smoke', '--results', file);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^vta-trace: .*results\.db: results database schema version 99.*newer/);
  });
});

describe('known differences and the design that ran (schema version 4)', () => {
  it('a version-3 file (verdicts pass|fail|error only) is upgraded in place: rows kept, known cases and design hashes stored', () => {
    const file = join(scratch(), 'v3.db');
    olderFile(file, 3);
    const reader = openResultsDb(file, { readonly: true });
    expect(reader.prepare('SELECT case_id, verdict FROM cases').all()).toEqual([{ case_id: 'random#1@small', verdict: 'pass' }]);
    reader.close();

    const writer = openResultsDb(file);
    expect(writer.pragma('user_version', { simple: true })).toBe(RESULTS_SCHEMA_VERSION);
    const known = { ...passingCase('random#2@small', { fsim: 5, tsim: 7 }), verdict: 'known' as const, known: { id: 'no-acc8', reason: 'r', link: null } };
    known.outcomes[1]!.designHash = 'ab'.repeat(32);
    appendSuiteRun(writer, suiteRunMeta({ commit: 'f', commitTime: '2024-05-01T00:00:00Z' }), [caseSpec('random#2@small')], [known]);
    expect(writer.prepare('SELECT case_id, verdict, known_json FROM cases ORDER BY case_id').all()).toEqual([
      { case_id: 'random#1@small', verdict: 'pass', known_json: null },
      { case_id: 'random#2@small', verdict: 'known', known_json: JSON.stringify(known.known) },
    ]);
    expect(writer.prepare("SELECT target, design_hash FROM case_targets WHERE case_id = 'random#2@small' ORDER BY position").all()).toEqual([
      { target: 'fsim', design_hash: null },
      { target: 'tsim', design_hash: 'ab'.repeat(32) },
    ]);
    writer.close();
  });
});

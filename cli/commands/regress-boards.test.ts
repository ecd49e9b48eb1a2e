/**
 * `vta-trace regress --targets fsim,fpga:*` over a boards file listing two emulated boards
 * (agents on loopback with tokens, our RTL behind the harsh memory, config small): every case's
 * fpga run goes to the next free board, both boards run cases, each case's result names its
 * board, and the results equal fsim's and the golden ones (the verdict pass means both). A board
 * whose agent goes away mid-suite fails only the case it had, naming the board; the rest pass on
 * the other board; with no board left the remaining cases fail naming the lost boards.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CaseResult } from '../../regression/case-result.js';
import { AgentServer } from '../../targets/fpga/agent/agent-server.js';
import { EmuBackend } from '../../targets/fpga/backends/emu-backend.js';
import { BOARDS_ENV } from '../../targets/fpga/host/boards-config.js';
import { DroppingBackend } from '../../targets/fpga/testing/dropping-backend.js';
import { runCli, withoutProgress } from '../testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-regress-boards-'));
// Eight random programs on the small configuration: milliseconds each on either target.
const FILTER = '^random#[1-8]@small$';
const CASES = 8;

interface Board {
  name: string;
  port: number;
  close(): Promise<void>;
}
const boards: Board[] = [];

/** An emulated board with its own token; `dropOnRun`: its agent goes away during that run (1-based). */
async function startBoard(name: string, dropOnRun = Infinity): Promise<Board> {
  const token = `token-of-${name}`;
  writeFileSync(join(dir, `${name}.token`), `${token}\n`);
  const emu = new EmuBackend({ memory: { kind: 'emu', seed: 3 } });
  let agent: AgentServer | undefined;
  const backend = new DroppingBackend(emu, dropOnRun, () => void agent?.close());
  agent = await AgentServer.start({ backend, token });
  const b = { name, port: agent.address.port, close: async () => (await agent!.close(), await emu.close()) };
  boards.push(b);
  return b;
}

function boardsFile(list: Board[], name = 'boards.json'): void {
  writeFileSync(join(dir, name), JSON.stringify({ boards: list.map((b) => ({ name: b.name, host: '127.0.0.1', port: b.port, tokenFile: `${b.name}.token` })) }));
}

async function regress(opts: { junit?: string; results?: string } = {}): Promise<{ code: number; results: CaseResult[] }> {
  const out = [...(opts.junit ? ['--junit', opts.junit] : []), ...(opts.results ? ['--results', opts.results] : ['--no-results'])];
  const r = await runCli('regress', '--suite', 'commit', '--filter', FILTER, '--targets', 'fsim,fpga:*', '--jobs', '1', '--json', '--no-progress', ...out);
  expect(withoutProgress(r.err)).toBe('');
  return { code: r.code, results: JSON.parse(r.out).cases as CaseResult[] };
}

const fpgaOf = (c: CaseResult) => c.outcomes.find((o) => o.target === 'fpga:*')!;

beforeAll(() => {
  process.env[BOARDS_ENV] = join(dir, 'boards.json');
});
afterEach(async () => {
  for (const b of boards.splice(0)) await b.close();
});
afterAll(() => {
  delete process.env[BOARDS_ENV];
  rmSync(dir, { recursive: true, force: true });
});

describe('diff with fpga:*', () => {
  it('runs on the first board that answers, recorded under that board’s name', async () => {
    const gone = await startBoard('gone');
    const b = await startBoard('b');
    boardsFile([gone, b]);
    await gone.close();
    const db = join(dir, 'diff.db');
    const r = await runCli('diff', 'fsim', 'fpga:*', '--workload', 'random', '--seed', '2', '--config', 'small', '--db', db, '--json');
    expect(withoutProgress(r.err)).toBe('');
    const report = JSON.parse(r.out) as { values: string; method: string; runs: { target: string; status: string }[] };
    expect(report.runs.map((x) => [x.target, x.status])).toEqual([['fsim', 'ok'], ['fpga:b', 'ok']]);
    expect([report.values, report.method, r.code]).toEqual(['agree', 'digests', 0]);
  }, 300_000);

  it('a board without probes and without a trace unit: the text report says it compared outputs only, and why', async () => {
    const r = await runCli('diff', 'fsim', 'fpga@emu:2,no-probes', '--workload', 'random', '--seed', '2', '--config', 'small', '--db', join(dir, 'note.db'));
    expect(withoutProgress(r.err)).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe('values agree: fsim (run 1) vs fpga@emu:2,no-probes (run 2) (' + lines[0]!.split('(')[3]);
    expect(lines[1]).toMatch(/^  note: compared by outputs only: run 2 \(fpga@emu:2,no-probes\) returned no events, .*run 2 \(fpga@emu:2,no-probes\): it returned neither events nor its trace unit's records$/);
    expect(r.code).toBe(0);
  }, 300_000);
});

describe('regress over the boards of the boards file (fpga:*)', () => {
  it('spreads the fpga runs over both boards; every case passes against fsim and golden, naming its board (JSON, JUnit, results database)', async () => {
    boardsFile([await startBoard('a'), await startBoard('b')]);
    const junit = join(dir, 'junit.xml');
    const resultsFile = join(dir, 'results.db');
    const { code, results } = await regress({ junit, results: resultsFile });
    expect(results.map((c) => [c.id, c.verdict])).toEqual(Array.from({ length: CASES }, (_, i) => [`random#${i + 1}@small`, 'pass']));
    expect(code).toBe(0);
    for (const c of results) {
      expect(c.outcomes.map((o) => [o.target, o.status])).toEqual([['fsim', 'ok'], ['fpga:*', 'ok']]);
      // Digests were compared (the default): the board's run reported every instruction as fsim did.
      expect(fpgaOf(c).digest).toBe(c.outcomes[0]!.digest);
      expect(c.outcomes[0]!.board).toBeUndefined();
    }
    expect(new Set(results.map((c) => fpgaOf(c).board))).toEqual(new Set(['fpga:a', 'fpga:b']));
    const xml = readFileSync(junit, 'utf8');
    for (const c of results) expect(xml).toContain(`<testcase classname="commit" name="${c.id}" time=`);
    expect(xml.match(/<property name="board fpga:\*" value="fpga:[ab]"\/>/g)).toHaveLength(CASES);
    // The results database has the same board per case as the JSON, and none for fsim.
    const db = new Database(resultsFile, { readonly: true });
    const stored = db.prepare('SELECT case_id, target, board FROM case_targets ORDER BY case_id, position').all();
    db.close();
    expect(stored).toEqual(results.flatMap((c) => [{ case_id: c.id, target: 'fsim', board: null }, { case_id: c.id, target: 'fpga:*', board: fpgaOf(c).board }]));
  }, 300_000);

  it('a board whose agent goes away mid-run fails only that case, naming the board; the rest pass on the other board', async () => {
    // Board a is first in the file and free: it takes the first fpga run, and drops it.
    const a = await startBoard('a', 1);
    boardsFile([a, await startBoard('b')]);
    const { code, results } = await regress();
    expect(code).toBe(1);
    const failed = results.filter((c) => c.verdict !== 'pass');
    expect(failed).toHaveLength(1);
    const lost = failed[0]!;
    expect(lost).toMatchObject({ verdict: 'fail', signature: 'board lost' });
    expect(fpgaOf(lost)).toMatchObject({ status: 'crash', board: 'fpga:a' });
    expect(fpgaOf(lost).message).toMatch(new RegExp(`^fpga:a: board a \\(127\\.0\\.0\\.1:${a.port}\\) closed the connection \\(returned before that: the run's start, `));
    const passed = results.filter((c) => c.verdict === 'pass');
    expect(passed).toHaveLength(CASES - 1);
    expect(passed.every((c) => fpgaOf(c).board === 'fpga:b')).toBe(true);
  }, 300_000);

  it('a boards file that lists no board stops the command before anything runs', async () => {
    boardsFile([]);
    const r = await runCli('regress', '--suite', 'commit', '--filter', FILTER, '--targets', 'fsim,fpga:*', '--no-results');
    expect([r.code, r.out]).toEqual([2, '']);
    expect(r.err).toMatch(/fpga:\*: boards file .*boards\.json lists no board/);
  });

  it('with no board left, the remaining fpga runs fail naming the lost boards', async () => {
    boardsFile([await startBoard('a', 1), await startBoard('b', 1)]);
    const { code, results } = await regress();
    expect(code).toBe(1);
    expect(results.every((c) => c.verdict === 'fail' && c.signature === 'board lost')).toBe(true);
    const crashes = results.map(fpgaOf);
    expect(crashes.filter((o) => o.board === 'fpga:a' || o.board === 'fpga:b')).toHaveLength(2);
    const rest = crashes.filter((o) => o.board === '');
    expect(rest).toHaveLength(CASES - 2);
    for (const o of rest) expect(o.message).toMatch(/^no board left in the pool \(lost: fpga:[ab], fpga:[ab]\)$/);
  }, 300_000);
});

describe('a boards file given by --boards only (no $VTA_TRACE_BOARDS, no ./vta-boards.json)', () => {
  const byOption = join(dir, 'by-option.json');
  beforeAll(() => {
    process.env[BOARDS_ENV] = join(dir, 'nowhere.json');
  });
  afterAll(() => {
    process.env[BOARDS_ENV] = join(dir, 'boards.json');
  });
  const run = (...args: string[]) => runCli('regress', '--suite', 'commit', '--jobs', '1', '--no-results', '--json', '--no-progress', ...args);

  it('regress spreads over its boards, runs fpga:<board> in the fpga pool, and re-runs a divergence through it', async () => {
    boardsFile([await startBoard('a'), await startBoard('b')], 'by-option.json');
    // Without the option the environment's (missing) file is used: the option is what makes the rest work.
    const without = await run('--filter', FILTER, '--targets', 'fsim,fpga:*');
    expect([without.code, without.err]).toEqual([2, expect.stringMatching(/boards file .*nowhere\.json does not exist/)]);

    const spread = await run('--filter', FILTER, '--targets', 'fsim,fpga:*', '--boards', byOption);
    expect(withoutProgress(spread.err)).toBe('');
    const results = JSON.parse(spread.out).cases as CaseResult[];
    expect(results.map((c) => c.verdict)).toEqual(Array(CASES).fill('pass'));
    expect(new Set(results.map((c) => fpgaOf(c).board))).toEqual(new Set(['fpga:a', 'fpga:b']));

    const named = await run('--filter', '^random#1@small$', '--targets', 'fsim,fpga:b', '--boards', byOption);
    expect(JSON.parse(named.out).cases.map((c: CaseResult) => [c.verdict, c.outcomes.map((o) => [o.target, o.status])])).toEqual([['pass', [['fsim', 'ok'], ['fpga:b', 'ok']]]]);

    // fsim with LOAD 0 padding one element late against the boards: the re-run (in the fsim pool)
    // creates fpga:* again and must find the boards through the option to name instruction 0.
    const faulty = await run('--filter', '^random#1@small$', '--targets', 'fsim+pad-off-by-one:pc=0,fpga:*', '--boards', byOption);
    expect(withoutProgress(faulty.err)).toBe('');
    const [c] = JSON.parse(faulty.out).cases as CaseResult[];
    expect(c!.verdict).toBe('fail');
    expect(c!.signature).not.toBe('worker crash');
    expect(c!.divergence?.pc).toBe(0);
  }, 300_000);

  it('diff runs fpga:<board> and fpga:* from the file given by --boards', async () => {
    const gone = await startBoard('gone');
    boardsFile([gone, await startBoard('b')], 'by-option.json');
    await gone.close();
    const diff = (target: string) => runCli('diff', 'fsim', target, '--workload', 'random', '--seed', '2', '--config', 'small', '--db', join(dir, 'by-option.db'), '--json', '--boards', byOption);
    for (const [target, ran] of [['fpga:b', 'fpga:b'], ['fpga:*', 'fpga:b']]) {
      const r = await diff(target!);
      expect(withoutProgress(r.err)).toBe('');
      const report = JSON.parse(r.out) as { values: string; runs: { target: string; status: string }[] };
      expect([report.values, report.runs.map((x) => [x.target, x.status])]).toEqual(['agree', [['fsim', 'ok'], [ran, 'ok']]]);
    }
    const without = await runCli('diff', 'fsim', 'fpga:b', '--workload', 'random', '--seed', '2', '--config', 'small', '--db', join(dir, 'by-option.db'));
    expect([without.code, without.err]).toEqual([2, expect.stringMatching(/nowhere\.json does not exist/)]);
  }, 300_000);
});

/**
 * The agent as users run it — `vta-trace agent` in its own process (from the compiled CLI, as
 * CI builds it) — and the `fpga:<board>` target from a boards file: a run through it agrees
 * with fsim; a wrong token stops `diff` with one line and exit 2; killing the agent process
 * mid-run makes that run a crash naming the board and leaves the earlier runs in the trace
 * database intact.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, withoutProgress } from '../../../cli/testing/run-cli.js';
import { repoPath } from '../../../runtime/repo.js';
import type { EventSink } from '../../../runtime/contract/events.js';
import type { Target } from '../../../runtime/contract/target.js';
import { makeTraceSpec } from '../../../tracer/spec.js';
import { TraceStore } from '../../../tracer/store/trace-store.js';
import { traceRun } from '../../../tracer/trace-run.js';
import { BOARDS_ENV } from '../host/boards-config.js';
import { createFpgaTarget } from '../host/create-fpga-target.js';
import { longGemm } from '../../tsim/testing/long-gemm.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-agent-proc-'));
let agent: ChildProcess;
let port = 0;

/** Start `vta-trace agent` on a free loopback port and wait for the line that names it. */
function startAgent(tokenFile: string): Promise<number> {
  agent = spawn(process.execPath, [repoPath('bin', 'vta-trace.js'), 'agent', '--backend', 'emu', '--listen', '127.0.0.1:0', '--token-file', tokenFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((res, rej) => {
    let out = '';
    let err = '';
    agent.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    agent.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on 127\.0\.0\.1:(\d+), token required/.exec(out);
      if (m) res(Number(m[1]));
    });
    agent.on('exit', (code) => rej(new Error(`agent exited with ${code}: ${out}${err}`)));
  });
}

beforeAll(async () => {
  writeFileSync(join(dir, 'good.token'), 'right-token\n');
  writeFileSync(join(dir, 'bad.token'), 'wrong-token\n');
  port = await startAgent(join(dir, 'good.token'));
  writeFileSync(
    join(dir, 'boards.json'),
    JSON.stringify({
      boards: [
        { name: 'lab', host: '127.0.0.1', port, tokenFile: 'good.token' },
        { name: 'lab-bad-token', host: '127.0.0.1', port, tokenFile: 'bad.token' },
      ],
    }),
  );
  process.env[BOARDS_ENV] = join(dir, 'boards.json');
}, 60_000);

afterAll(() => {
  agent?.kill('SIGKILL');
  delete process.env[BOARDS_ENV];
  rmSync(dir, { recursive: true, force: true });
});

describe('vta-trace agent in its own process', () => {
  const db = () => join(dir, 'trace.db');

  it('fpga:<board> from the boards file agrees with fsim', async () => {
    const r = await runCli('diff', 'fsim', 'fpga:lab', '--workload', 'random', '--config', 'small', '--seed', '3', '--db', db());
    expect(withoutProgress(r.err)).toBe('');
    expect(r.out).toMatch(/^values agree: fsim \(run 1\) vs fpga:lab \(run 2\)/);
    expect(r.code).toBe(0);
  }, 300_000);

  it('a wrong token stops diff with one line and exit 2', async () => {
    const r = await runCli('diff', 'fsim', 'fpga:lab-bad-token', '--workload', 'random', '--config', 'small', '--db', db());
    expect(r.code).toBe(2);
    expect(r.err.trim()).toBe(`vta-trace: board lab-bad-token (127.0.0.1:${port}) refused: wrong token`);
  });

  it('killing the agent mid-run: a crash naming the board, earlier runs intact', async () => {
    const bundle = longGemm('small', 2000, 2000); // millions of cycles: still running when killed
    const board = await createFpgaTarget('fpga:lab');
    // Kill at the first sign of life from the board (the LOAD UOP retiring), not after a delay.
    let killed = false;
    const killOnFirstRetire = (sink: EventSink): EventSink => ({
      wantsEvents: sink.wantsEvents,
      wantsIters: sink.wantsIters,
      write: (...a) => sink.write(...a),
      iter: (...a) => sink.iter(...a),
      retire: (...a) => {
        if (!killed) agent.kill('SIGKILL');
        killed = true;
        sink.retire(...a);
      },
    });
    const target: Target = { name: board.name, run: (req) => board.run({ ...req, sink: killOnFirstRetire(req.sink) }), close: () => board.close() };
    const store = TraceStore.open(db());
    let lost;
    try {
      lost = await traceRun({ target, bundle, spec: makeTraceSpec({ mode: 'insn' }), store, handleSigint: false });
    } finally {
      store.close();
      await target.close();
    }
    expect(killed).toBe(true);
    expect(lost.status).toBe('crash');
    // What came back before the kill: the start and at least the batch with the first retire.
    expect(lost.result.message).toMatch(new RegExp(`^fpga:lab: board lab \\(127\\.0\\.0\\.1:${port}\\) closed the connection \\(returned before that: the run's start, [1-9]\\d* event batch\\(es\\) with [1-9]\\d* retire\\(s\\), 0 output range\\(s\\)\\)$`));
    const reopened = TraceStore.open(db(), { mustExist: true });
    try {
      // The diff of the first test, then the killed run. The refused diff recorded nothing: its
      // targets are all made (the board's connection refused) before its first run.
      expect(reopened.runs().map((r) => [r.target, r.status])).toEqual([
        ['fsim', 'ok'],
        ['fpga:lab', 'ok'],
        ['fpga:lab', 'crash'],
      ]);
    } finally {
      reopened.close();
    }
  }, 300_000);
});

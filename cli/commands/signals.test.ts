/**
 * SIGINT and SIGTERM during `vta-trace diff` (the compiled CLI in its own process, as users run
 * it) while fsim runs: fsim computes on the main thread, so before it paused for the event loop a
 * SIGINT was only heard once the run had ended (exit 0, run `ok`) and SIGTERM was not handled.
 * Now either ends the process by that signal (exit status 130 / 143 in a shell) within a short
 * bound, and the run in progress is `interrupted` with the retires it recorded so far.
 */
import { constants } from 'node:os';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { repoPath } from '../../runtime/repo.js';
import { TraceStore } from '../../tracer/store/trace-store.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-signals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Whether a run is in progress in the database (its row is committed when it starts). */
function running(db: string): boolean {
  try {
    const raw = new Database(db, { readonly: true, fileMustExist: true });
    try {
      return raw.prepare("SELECT count(*) FROM runs WHERE status = 'running'").pluck().get() === 1;
    } finally {
      raw.close();
    }
  } catch {
    return false; // not created yet
  }
}

async function signalMidRun(signal: NodeJS.Signals) {
  const db = join(dir, `${signal}.db`);
  // ResNet-18 on fsim in sram mode: about 7000 instructions and 2 M rows, seconds per run (insn
  // mode became too fast for a signal 300 ms in to land inside the run).
  const child = spawn(process.execPath, [repoPath('bin', 'vta-trace.js'), 'diff', 'fsim', 'fsim', '--workload', 'resnet18', '--mode', 'sram', '--db', db], { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, sig) => res({ code, signal: sig })));
  // Wait until the first run has started, then let it get going.
  for (let i = 0; i < 1200 && !running(db); i++) await new Promise((r) => setTimeout(r, 50));
  expect(running(db), 'a run was in progress').toBe(true);
  await new Promise((r) => setTimeout(r, 300));
  const sentAt = Date.now();
  child.kill(signal);
  const end = await exited;
  return { db, end, took: Date.now() - sentAt, err };
}

describe('signals during a fsim run of diff', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`${signal} ends the process by ${signal} within 2 s and leaves the run interrupted with its retires`, async () => {
      const { db, end, took, err } = await signalMidRun(signal);
      // Killed by the signal, or — when the test runner was started with SIGINT ignored, as a
      // background job is — exit status 128 + the signal's number, what a shell reports either way.
      expect([{ code: null, signal }, { code: 128 + constants.signals[signal], signal: null }], err).toContainEqual(end);
      expect(took).toBeLessThan(2000);
      const store = TraceStore.open(db, { readonly: true });
      try {
        const [run] = store.runs();
        expect(run).toMatchObject({ status: 'interrupted', message: `interrupted by ${signal}` });
        const pcs = store.eventGroups(run!.id, { streams: ['insn.load', 'insn.compute', 'insn.store'] }).map((g) => g.pc);
        // The retires before the signal are there (each once), not the whole program's.
        expect(pcs.length).toBeGreaterThan(0);
        expect(new Set(pcs).size).toBe(pcs.length);
        expect(pcs.length).toBeLessThan(run!.insnCount);
      } finally {
        store.close();
      }
    }, 90_000);
  }
});

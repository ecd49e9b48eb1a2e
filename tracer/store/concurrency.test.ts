/**
 * Several threads and processes writing one database lose nothing and never fail on a lock; a
 * run interrupted by SIGINT keeps what it recorded and says so. The writers run the real tracer
 * code, transpiled for worker threads and child processes.
 */
import Database from 'better-sqlite3';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileForWorkers } from '../testing/compile-for-workers.js';
import { TraceStore } from './trace-store.js';

let build: string;
let dir: string;
beforeAll(() => {
  build = compileForWorkers('store');
  dir = mkdtempSync(join(tmpdir(), 'vta-conc-'));
});
afterAll(() => {
  rmSync(build, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

interface WriterResult {
  runId: number;
  events: number;
}
const script = () => join(build, 'tracer', 'testing', 'writer-worker.js');

function inThread(args: object): Promise<WriterResult[]> {
  return new Promise((resolve, reject) => {
    const w = new Worker(script(), { workerData: args });
    w.once('message', resolve);
    w.once('error', reject);
  });
}

function inProcess(args: object): Promise<WriterResult[]> {
  return new Promise((resolve, reject) => {
    const child = fork(script(), [JSON.stringify(args)], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    child.on('exit', (code) => (code === 0 ? resolve(JSON.parse(out) as WriterResult[]) : reject(new Error(`writer exited ${code}: ${err}`))));
  });
}

describe('trace database under concurrent writers', () => {
  it('4 threads and 2 processes writing at once lose no event and the database stays intact', async () => {
    const db = join(dir, 'shared.db');
    // Small batches force many interleaved write transactions.
    const base = { db, insnCount: 401, runs: 2, batchEvents: 64 };
    const all = await Promise.all([
      ...[0, 1, 2, 3].map((i) => inThread({ ...base, name: `thread${i}` })),
      ...[0, 1].map((i) => inProcess({ ...base, name: `proc${i}` })),
    ]);
    const runs = all.flat();
    expect(runs).toHaveLength(12);
    // Toy: every instruction retires, every non-FINISH one writes 4 rows.
    const perRun = 401 + 400 * 4;
    expect(runs.every((r) => r.events === perRun)).toBe(true);

    const store = TraceStore.open(db);
    expect(new Set(runs.map((r) => r.runId)).size).toBe(12);
    for (const r of runs) {
      const row = store.run(r.runId);
      expect(row.status).toBe('ok');
      expect(row.eventCount).toBe(perRun);
      const stored = store.eventGroups(r.runId).reduce((n, g) => n + g.addrs.length, 0);
      expect(stored).toBe(perRun);
      expect(store.digestChunks(r.runId).map((c) => c.count)).toEqual([256, 145]);
    }
    // Every run of the same bundle has identical digests: no write was mixed up between runs.
    const digests = new Set(runs.map((r) => store.chunkSummaries(r.runId).get(1)));
    expect(digests.size).toBe(1);
    expect(store.integrityCheck()).toBe('ok');
    store.close();
  });

  async function killMidRun(db: string, signal: NodeJS.Signals): Promise<void> {
    const child = fork(script(), [JSON.stringify({ db, name: 'long', insnCount: 300_001, runs: 1, batchEvents: 256, yieldEvery: 50 })], {
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    // Wait until the run has committed some events, then stop it.
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        const raw = new Database(db, { readonly: true });
        raw.pragma('busy_timeout = 5000');
        const n = (raw.prepare('SELECT coalesce(sum(event_count), 0) AS n FROM runs').get() as { n: number }).n;
        raw.close();
        if (n > 5000) break;
      } catch {
        // Not created yet.
      }
    }
    child.kill(signal);
    expect(await exited).toBe(signal);
  }

  it('a run killed outright (SIGKILL) is found orphaned at the next open: marked interrupted, events kept', async () => {
    const db = join(dir, 'sigkill.db');
    await killMidRun(db, 'SIGKILL');
    // The killed writer could not mark its run. A read-only look shows it interrupted but
    // leaves the file as it is (viewing changes nothing); the next writable open marks it.
    const ro = TraceStore.open(db, { readonly: true });
    expect(ro.runs()[0]!).toMatchObject({ status: 'interrupted', message: expect.stringMatching(/ended without finishing.*opened read-only/) });
    expect(ro.run(ro.runs()[0]!.id).status).toBe('interrupted');
    ro.close();
    const raw = new Database(db, { readonly: true });
    expect(raw.prepare('SELECT status FROM runs').pluck().get()).toBe('running');
    raw.close();
    const store = TraceStore.open(db);
    const [run] = store.runs();
    expect(run!.status).toBe('interrupted');
    expect(run!.message).toMatch(/ended without finishing/);
    const pcs = store.eventGroups(run!.id, { streams: ['insn.load', 'insn.compute', 'insn.store'] }).map((g) => g.pc);
    expect(pcs.length).toBeGreaterThan(1000);
    expect(pcs).toEqual(pcs.map((_, i) => i));
    expect(store.integrityCheck()).toBe('ok');
    store.close();
  });

  it('a run interrupted by SIGINT keeps its committed events, is marked interrupted, and the database passes integrity_check', async () => {
    const db = join(dir, 'sigint.db');
    await killMidRun(db, 'SIGINT');

    const store = TraceStore.open(db);
    const [run] = store.runs();
    expect(run!.status).toBe('interrupted');
    expect(run!.message).toMatch(/SIGINT/);
    const groups = store.eventGroups(run!.id, { streams: ['insn.load', 'insn.compute', 'insn.store'] });
    const pcs = groups.map((g) => g.pc);
    // Every retire before the interruption is there, in one unbroken prefix of the program.
    expect(pcs.length).toBeGreaterThan(1000);
    expect(pcs).toEqual(pcs.map((_, i) => i));
    const stored = store.eventGroups(run!.id).reduce((n, g) => n + g.addrs.length, 0);
    expect(stored).toBe(run!.eventCount);
    expect(store.integrityCheck()).toBe('ok');
    store.close();
  });
});

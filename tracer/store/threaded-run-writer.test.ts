/**
 * The threaded writer stores exactly the rows RunWriter stores, copies what the recorder hands
 * it, blocks in flush() until the rows are committed (a SIGINT keeps everything recorded before
 * it), and reports a writer thread that dies or stays silent instead of hanging. From the
 * TypeScript sources the thread can only run the compiled build: build dist first (npx tsc -p .);
 * the child process of the SIGINT test runs a transpiled copy of the sources instead.
 */
import Database from 'better-sqlite3';
import { fork } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import type { EventGroup } from '../recorder.js';
import { makeTraceSpec } from '../spec.js';
import { compileForWorkers } from '../testing/compile-for-workers.js';
import { createToyTarget, toyBundle } from '../testing/toy.js';
import { traceRun } from '../trace-run.js';
import { BATCH_BYTES } from './group-batch.js';
import { RunWriter } from './run-writer.js';
import { ThreadedRunWriter } from './threaded-run-writer.js';
import { TraceStore, writerThreadPays } from './trace-store.js';
import { TraceWriterThreadError } from './writer-thread-error.js';
import { WriterThreadGone, WriterThreadHandle, writerThreadScript } from './writer-thread-handle.js';

const params = resolveConfig('default');
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vta-threaded-'));
  file = join(dir, 't.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A run's rows in every table, without ids, timestamps and the writer's pid. */
function rowsOf(db: Database.Database, runId: number): Record<string, unknown[]> {
  const q = (sql: string) => db.prepare(sql).all(runId) as Record<string, unknown>[];
  const run = q('SELECT * FROM runs WHERE id = ?').map(({ id: _i, started_at: _s, finished_at: _f, pid: _p, ...rest }) => rest);
  return {
    run,
    events: q('SELECT pc, stream, part, n, elem_len, addrs, cycles, data FROM events WHERE run_id = ? ORDER BY pc, stream, part'),
    digests: q('SELECT chunk, first_pc, count, lo, hi, insn_digests, present FROM digests WHERE run_id = ? ORDER BY chunk'),
    outputs: q('SELECT name, addr, bytes FROM outputs WHERE run_id = ? ORDER BY name'),
    board: q('SELECT seq, pc, module, digest FROM board_records WHERE run_id = ? ORDER BY seq'),
  };
}

const inpGroup = (pc: number): EventGroup => ({
  stream: 'sram.inp',
  pc,
  part: 0,
  addrs: Uint32Array.of(3, 9),
  cycles: Float64Array.of(10, 11),
  elemLen: 3,
  data: Uint8Array.of(1, 2, 3, 4, 5, 6),
});

describe('ThreadedRunWriter', () => {
  it('pays for write streams on a file database only', () => {
    const spec = (mode: string, kinds?: string) => makeTraceSpec({ mode, kinds });
    expect(writerThreadPays(file, spec('sram'))).toBe(true);
    expect(writerThreadPays(file, spec('full'))).toBe(true);
    expect(writerThreadPays(file, spec('insn', 'insn.load,sram.acc'))).toBe(true);
    expect(writerThreadPays(file, spec('sram', 'insn.load,insn.compute'))).toBe(false);
    expect(writerThreadPays(file, spec('insn'))).toBe(false);
    expect(writerThreadPays(file, spec('digest'))).toBe(false);
    expect(writerThreadPays(file, spec('outputs'))).toBe(false);
    expect(writerThreadPays(':memory:', spec('sram'))).toBe(false);
  });

  it('a run gets the writer it asks for; the thread is started once per store, by the first run that uses it', () => {
    expect(writerThreadScript(true)).toBeDefined();
    const store = TraceStore.open(file);
    const bundle = toyBundle(params, 3);
    const sram = makeTraceSpec({ mode: 'sram' });
    expect(store.startRun({ target: 't', bundle, spec: sram }, { thread: false })).toBeInstanceOf(RunWriter);
    expect(store.writerThreadForTesting).toBeUndefined();
    expect(store.startRun({ target: 't', bundle, spec: sram }, { thread: true })).toBeInstanceOf(ThreadedRunWriter);
    const thread = store.writerThreadForTesting;
    expect(thread).toBeDefined();
    expect(store.startRun({ target: 't', bundle, spec: makeTraceSpec({ mode: 'digest' }) }, { thread: true })).toBeInstanceOf(ThreadedRunWriter);
    expect(store.writerThreadForTesting).toBe(thread);
    store.close();
    expect(store.writerThreadForTesting).toBeUndefined();
  });

  it('stores the same rows as RunWriter: events, digests, outputs, board records, the run', async () => {
    const store = TraceStore.open(file);
    const insns = 700;
    const rows = 5;
    const bundle = toyBundle(params, insns, { expectedOut: new Uint8Array(64) });
    const run = (writer: { thread: boolean; batchEvents?: number }) =>
      traceRun({ target: createToyTarget({ rows }), bundle, spec: makeTraceSpec({ mode: 'full' }), store, boardDigests: true, writer, handleSigint: false });
    const inline = await run({ thread: false });
    expect(store.writerThreadForTesting).toBeUndefined();
    // Small batches: many hand-overs and commits on the thread; default: one batch at finish.
    const threadedSmall = await run({ thread: true, batchEvents: 100 });
    const threaded = await run({ thread: true });
    expect(store.writerThreadForTesting).toBeDefined();
    store.close();

    const db = new Database(file, { readonly: true });
    const want = rowsOf(db, inline.runId);
    // Not vacuous: every retire, 5 writes per non-FINISH instruction, 5 iterations per GEMM and
    // ALU (two of every four instructions), 3 digest chunks.
    expect(want.events.reduce((n: number, e) => n + (e as { n: number }).n, 0)).toBe(insns + (insns - 1) * rows + (insns / 2) * rows);
    expect(want.digests).toHaveLength(3);
    expect(want.outputs).toHaveLength(1);
    expect(want.board).toHaveLength(insns); // one per retired instruction
    expect(want.run[0]).toMatchObject({ status: 'mismatch', trace_mode: 'full' });
    expect(rowsOf(db, threadedSmall.runId)).toEqual(want);
    expect(rowsOf(db, threaded.runId)).toEqual(want);
    db.close();
  });

  it.each([true, false])('copies the groups it is lent (thread: %s): arrays reused after groups() returns do not change the stored rows', (thread) => {
    const store = TraceStore.open(file);
    const w = store.startRun({ target: 't', bundle: toyBundle(params, 3), spec: makeTraceSpec({ mode: 'sram' }) }, { thread });
    const g = inpGroup(1);
    w.groups([g]);
    g.addrs.fill(0);
    g.cycles.fill(0);
    g.data.fill(0);
    w.finish({ status: 'ok' });
    expect(w.eventsWritten).toBe(2);
    const [stored] = store.eventGroups(w.runId);
    expect([...stored!.addrs]).toEqual([3, 9]);
    expect([...stored!.cycles]).toEqual([10, 11]);
    expect([...stored!.data]).toEqual([1, 2, 3, 4, 5, 6]);
    store.close();
  });

  it('a batch buffer is given back when its rows are committed, not when it is handed over', () => {
    const store = TraceStore.open(file);
    const released: ArrayBuffer[] = [];
    const w = store.startRun(
      { target: 't', bundle: toyBundle(params, 3), spec: makeTraceSpec({ mode: 'sram' }) },
      { thread: false, release: (buf) => released.push(buf) },
    );
    w.groups([inpGroup(0)]);
    expect(released).toHaveLength(0);
    w.flush();
    expect(released.map((b) => b.byteLength)).toEqual([BATCH_BYTES]);
    w.finish({ status: 'ok' });
    expect(released).toHaveLength(1); // finish had no groups left: no buffer taken, none given back
    store.close();
  });

  it('the thread sends committed batch buffers back; a run that refills one stores only its own bytes', () => {
    const store = TraceStore.open(file);
    const bundle = toyBundle(params, 3);
    const spec = makeTraceSpec({ mode: 'sram' });
    const acc = (pc: number, n: number, fill: number): EventGroup => ({
      stream: 'sram.acc',
      pc,
      part: 0,
      elemLen: 64,
      addrs: Uint32Array.from({ length: n }, (_, i) => 2 * i), // not consecutive: stored in full
      cycles: Float64Array.from({ length: n }, (_, i) => i),
      data: new Uint8Array(n * 64).fill(fill),
    });
    const first = store.startRun({ target: 'a', bundle, spec }, { thread: true });
    first.groups([acc(0, 1000, 0xaa), acc(1, 1000, 0xbb)]);
    first.finish({ status: 'ok' });

    const thread = store.writerThreadForTesting!;
    const spare = thread.spareBuffer.bind(thread);
    let reused = 0;
    thread.spareBuffer = () => {
      const b = spare();
      if (b) reused++;
      return b;
    };
    const second = store.startRun({ target: 'b', bundle, spec }, { thread: true });
    const mine = [acc(0, 3, 0x11), inpGroup(1)];
    second.groups(mine);
    second.finish({ status: 'ok' });
    expect(reused).toBe(1);
    expect(store.eventGroups(second.runId)).toEqual(mine);
    expect(store.eventGroups(first.runId).map((g) => [g.pc, g.data.length, g.data[0]])).toEqual([
      [0, 64000, 0xaa],
      [1, 64000, 0xbb],
    ]);
    store.close();
  });

  it('flush() returns once the rows are committed: another connection sees them at once', () => {
    const store = TraceStore.open(file);
    const w = store.startRun({ target: 't', bundle: toyBundle(params, 3), spec: makeTraceSpec({ mode: 'sram' }) }, { thread: true });
    expect(w).toBeInstanceOf(ThreadedRunWriter);
    const reader = new Database(file, { readonly: true });
    const count = () => (reader.prepare('SELECT count(*) AS n FROM events WHERE run_id = ?').get(w.runId) as { n: number }).n;
    w.groups([inpGroup(0), inpGroup(1)]);
    w.flush();
    expect(count()).toBe(2);
    expect(w.eventsWritten).toBe(4);
    w.groups([inpGroup(2)]);
    w.finish({ status: 'ok' });
    expect(count()).toBe(3);
    expect(store.run(w.runId)).toMatchObject({ status: 'ok', eventCount: 6 });
    reader.close();
    store.close();
  });

  it('commits the batches handed over when the store closes, even for a run never finished', () => {
    const store = TraceStore.open(file);
    const w = store.startRun({ target: 't', bundle: toyBundle(params, 3), spec: makeTraceSpec({ mode: 'sram' }) }, { thread: true, batchEvents: 2 });
    // Two events per group, a batch of two events: each call hands one batch over, none is waited for.
    w.groups([inpGroup(0)]);
    w.groups([inpGroup(1)]);
    w.groups([inpGroup(2)]);
    store.close();
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT pc, n FROM events WHERE run_id = ? ORDER BY pc').all(w.runId);
    expect(rows).toEqual([0, 1, 2].map((pc) => ({ pc, n: 2 })));
    expect((db.prepare('SELECT event_count FROM runs WHERE id = ?').get(w.runId) as { event_count: number }).event_count).toBe(6);
    db.close();
  });

  it('a writer thread that dies: a TraceWriterThreadError naming it, the run marked interrupted, committed rows kept; the next run gets a new thread', async () => {
    const store = TraceStore.open(file);
    const bundle = toyBundle(params, 3);
    const w = store.startRun({ target: 't', bundle, spec: makeTraceSpec({ mode: 'sram' }) }, { thread: true });
    w.groups([inpGroup(0)]);
    w.flush();
    expect(w.eventsWritten).toBe(2);
    w.groups([inpGroup(1)]);
    store.writerThreadForTesting!.post({ op: 'exit', code: 3 });
    expect(() => w.flush()).toThrow(TraceWriterThreadError);
    expect(() => w.finish({ status: 'ok' })).toThrow(/trace writer thread exited with code 3; run \d+ marked interrupted/);
    const row = store.run(w.runId);
    expect(row.status).toBe('interrupted');
    expect(row.message).toBe('trace writer thread exited with code 3');
    expect(store.eventGroups(w.runId).map((g) => g.pc)).toEqual([0]);

    const dead = store.writerThreadForTesting;
    const r = await traceRun({ target: createToyTarget(), bundle, spec: makeTraceSpec({ mode: 'sram' }), store, handleSigint: false, writer: { thread: true } });
    expect(r.status).toBe('ok');
    expect(store.writerThreadForTesting).not.toBe(dead);
    expect(store.run(r.runId).eventCount).toBe(3 + 2 * 4);
    store.close();
  });

  it('a writer thread that never answers: the wait ends at its bound with an error, it does not hang', () => {
    const silent = join(dir, 'silent.mjs');
    writeFileSync(silent, 'setInterval(() => {}, 1 << 30);\n');
    const h = new WriterThreadHandle(file, silent, 300);
    expect(() => h.request((seq) => ({ op: 'close', seq }))).toThrow(WriterThreadGone);
    expect(() => h.request((seq) => ({ op: 'close', seq }))).toThrow(/did not answer within|exited/);
  });
});

describe('ThreadedRunWriter under SIGINT', () => {
  let build: string;
  beforeAll(() => {
    build = compileForWorkers('threaded');
    // A child that records a long sram run through the writer thread, yielding every 50 instructions.
    writeFileSync(
      join(build, 'interrupted-run.mjs'),
      `import { resolveConfig } from './runtime/config/fixtures.js';
import { makeTraceSpec } from './tracer/spec.js';
import { TraceStore } from './tracer/store/trace-store.js';
import { traceRun } from './tracer/trace-run.js';
import { createToyTarget, toyBundle } from './tracer/testing/toy.js';
const store = TraceStore.open(process.argv[2]);
// Count the retires the target reports; on SIGINT (this listener runs before the tracer's) say how many.
let retired = 0;
const toy = createToyTarget({ yieldEvery: 50 });
const target = { ...toy, run: (req) => toy.run({ ...req, sink: new Proxy(req.sink, { get(t, k) {
  const v = Reflect.get(t, k);
  if (k === 'retire') return (...a) => { retired++; return v.apply(t, a); };
  return typeof v === 'function' ? v.bind(t) : v;
} }) }) };
process.once('SIGINT', () => process.stderr.write('RETIRED ' + retired + '\\n'));
await traceRun({ target, bundle: toyBundle(resolveConfig('default'), 300001), spec: makeTraceSpec({ mode: 'sram' }),
  store, writer: { thread: true, batchEvents: 256 } });
`,
    );
  });
  afterAll(() => rmSync(build, { recursive: true, force: true }));

  it('keeps every event recorded before the interrupt: every instruction the target retired, all committed', async () => {
    const child = fork(join(build, 'interrupted-run.mjs'), [file], { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
    let err = '';
    child.stderr!.on('data', (d) => (err += d));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, sig) => resolve(sig)));
    for (;;) {
      await new Promise((r) => setTimeout(r, 100));
      try {
        const raw = new Database(file, { readonly: true });
        raw.pragma('busy_timeout = 5000');
        const n = (raw.prepare('SELECT coalesce(sum(event_count), 0) AS n FROM runs').get() as { n: number }).n;
        raw.close();
        if (n > 5000) break;
      } catch {
        // Not created yet.
      }
    }
    child.kill('SIGINT');
    expect(await exited, err).toBe('SIGINT');

    const store = TraceStore.open(file);
    const [run] = store.runs();
    expect(run!.status).toBe('interrupted');
    expect(run!.message).toMatch(/SIGINT/);
    const pcs = store.eventGroups(run!.id, { streams: ['insn.load', 'insn.compute', 'insn.store'] }).map((g) => g.pc);
    expect(pcs).toEqual(pcs.map((_, i) => i));
    // The target yields before every 50th instruction, so the interrupt came after a multiple of
    // 50 retires; hand-overs happen every 256 events (5 per instruction), so a lost last batch would show.
    const said = /RETIRED (\d+)/.exec(err);
    expect(said, err).not.toBeNull();
    // Every retire the target reported before the interrupt is stored, none missing at the end.
    expect(pcs.length).toBe(Number(said![1]));
    expect(pcs.length % 50).toBe(0);
    expect(pcs.length).toBeGreaterThan(1000);
    const stored = store.eventGroups(run!.id).reduce((n, g) => n + g.addrs.length, 0);
    expect(stored).toBe(pcs.length * 5);
    expect(run!.eventCount).toBe(stored);
    expect(store.integrityCheck()).toBe('ok');
    store.close();
  });
});

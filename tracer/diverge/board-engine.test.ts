/**
 * Divergence search when a run is a board without probes: it reports no events, only its trace
 * unit's records (here a wrapper plays such a board around the toy target, whose injected fault
 * is known). The engine must compare by board records, name the faulty instruction, say that the
 * board names nothing finer, and still name buffer and lanes where two runs have events.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import type { RunRequest, RunResult, Target } from '../../runtime/contract/target.js';
import { BoardDigester, type BoardRecord } from '../../runtime/contract/board-digest.js';
import { SchemaVersionError } from '../errors.js';
import { MemoryRecordSink, Recorder } from '../recorder.js';
import { renderTextReport } from '../report/text-report.js';
import { makeTraceSpec } from '../spec.js';
import { TraceStore } from '../store/trace-store.js';
import { createToyTarget, toyBundle, type ToyOptions } from '../testing/toy.js';
import { traceRun } from '../trace-run.js';
import { findFirstDivergence } from './engine.js';

const params = resolveConfig('default');
const INSNS = 41;
let dir: string;
let store: TraceStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vta-board-engine-'));
  store = TraceStore.open(join(dir, 't.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A board without probes: runs the toy, keeps the board records, tells the host nothing else. */
class ProbelessBoard implements Target {
  boardRecords: BoardRecord[] | undefined;
  readonly name: string;
  constructor(private readonly toy: ToyOptions) {
    this.name = toy.name ?? 'board';
  }
  async run(req: RunRequest): Promise<RunResult> {
    const digester = new BoardDigester();
    const onBoard = new Recorder(makeTraceSpec({ mode: 'outputs' }), req.bundle.insnCount, new MemoryRecordSink(), digester);
    const r = await createToyTarget(this.toy).run({ bundle: req.bundle, sink: onBoard });
    onBoard.finish();
    this.boardRecords = digester.records;
    return r;
  }
  async close(): Promise<void> {}
}

async function record(target: Target, mode = 'digest'): Promise<number> {
  const r = await traceRun({ target, bundle: toyBundle(params, INSNS), spec: makeTraceSpec({ mode }), store, boardDigests: true, handleSigint: false });
  return r.runId;
}

describe('board records in the store', () => {
  it('stores a probeless board run as board-only with its records, and an event run with records computed from events', async () => {
    const board = await record(new ProbelessBoard({ name: 'board' }));
    const sim = await record(createToyTarget({ name: 'sim' }));
    expect(store.run(board)).toMatchObject({ hostEvents: false, boardSource: 'trace-unit', eventCount: 0, status: 'ok' });
    expect(store.run(sim)).toMatchObject({ hostEvents: true, boardSource: 'events' });
    // One record per instruction, in retire order (the toy retires in program order).
    expect(store.boardRecords(board).map((r) => r.pc)).toEqual([...Array(INSNS).keys()]);
    expect(store.boardRecords(board)[1]!.module).toBe('compute'); // toy: pc 1 is a GEMM
    expect(store.boardRecords(sim)).toEqual(store.boardRecords(board));
    // Without boardDigests an event run has none.
    const plain = await traceRun({ target: createToyTarget(), bundle: toyBundle(params, INSNS), spec: makeTraceSpec(), store, handleSigint: false });
    expect(store.run(plain.runId)).toMatchObject({ hostEvents: true, boardSource: null });
    expect(store.boardRecords(plain.runId)).toEqual([]);
    // Re-opened read-only, as show/runs do, the records are unchanged.
    const file = store.file;
    const want = store.boardRecords(board);
    store.close();
    store = TraceStore.open(file, { readonly: true });
    expect(store.boardRecords(board)).toEqual(want);
    expect(store.run(board).boardSource).toBe('trace-unit');
  });

  it('refuses a database of schema version 1 (before board records) saying it is older', () => {
    const file = join(dir, 'old.db');
    TraceStore.open(file).close();
    const raw = new Database(file);
    raw.pragma('user_version = 1');
    raw.close();
    expect(() => TraceStore.open(file)).toThrow(SchemaVersionError);
    expect(() => TraceStore.open(file)).toThrow(/schema version 1, this vta-trace reads version 5 \(written by an older vta-trace/);
  });
});

describe('digest-mode divergence search with a board-only run', () => {
  it('agrees when the board and the event run do the same, compared by board digests', async () => {
    const sim = await record(createToyTarget({ name: 'sim' }));
    const board = await record(new ProbelessBoard({ name: 'board' }));
    const r = await findFirstDivergence(store, [sim, board]);
    expect(r.values).toBe('agree');
    expect(r.method).toBe('board-digests');
    expect(renderTextReport(r)).toMatch(/^values agree: sim \(run \d+\) vs board \(run \d+\) \(41 instructions, compared by board-digests\)/);
  });

  it('names the faulty instruction of the board and says the board gives nothing finer', async () => {
    const sim = await record(createToyTarget({ name: 'sim' }));
    // Toy: instruction 13 is a GEMM (13 mod 4 = 1); the fault flips one ACC lane there only
    // (lane 5: bytes 20–23, inside the row part of the toy's iteration records).
    const board = await record(new ProbelessBoard({ name: 'board', fault: { pc: 13, lane: 5 } }));
    const r = await findFirstDivergence(store, [sim, board]);
    expect(r.values).toBe('diverge');
    expect(r.method).toBe('board-digests');
    expect(r.first).toMatchObject({ pc: 13, module: 'compute', located: false, expectedRun: sim, actualRun: board });
    expect(r.first!.board!.boardOnly).toEqual([board]);
    expect(r.first!.board!.digests[String(sim)]).not.toBe(r.first!.board!.digests[String(board)]);
    expect(r.later.insns).toBe(0);
    const text = renderTextReport(r);
    expect(text).toMatch(/first divergence at instruction #13 \(compute\)/);
    expect(text).toMatch(/board \(run \d+\) returned only its on-board trace unit's records: they name the instruction and its module, not the buffer, address or lanes/);
  });

  it('with three runs: the two event runs name buffer and lanes, the board records pick the odd one out', async () => {
    const good = await record(createToyTarget({ name: 'good' }), 'sram');
    const bad = await record(createToyTarget({ name: 'bad', fault: { pc: 9, lane: 5, row: 1 } }), 'sram');
    const board = await record(new ProbelessBoard({ name: 'board' }));
    const r = await findFirstDivergence(store, [good, bad, board]);
    expect(r.method).toBe('board-digests');
    expect(r.first).toMatchObject({ pc: 9, located: true, stream: 'sram.acc', addr: 37, expectedRun: good, actualRun: bad });
    expect(r.first!.lanes!.differing).toEqual([5]);
    expect(r.oddOneOut).toMatchObject({ runId: bad, basis: 'majority' });
  });

  it('with three runs where the board is wrong: the board is the odd one out and the instruction is named', async () => {
    const a = await record(createToyTarget({ name: 'a' }));
    const board = await record(new ProbelessBoard({ name: 'board', fault: { pc: 6, lane: 0 } }));
    const b = await record(createToyTarget({ name: 'b' }));
    const r = await findFirstDivergence(store, [a, board, b]);
    expect(r.first).toMatchObject({ pc: 6, module: 'compute', located: false, expectedRun: a, actualRun: board });
    expect(r.oddOneOut).toMatchObject({ runId: board, basis: 'majority' });
    expect(renderTextReport(r)).toMatch(/a \(run \d+\), b \(run \d+\) write the same here/);
  });

  it('a board that stopped early is missing the records of the instructions it never ran', async () => {
    const sim = await record(createToyTarget({ name: 'sim' }));
    const board = await record(new ProbelessBoard({ name: 'board', deadlockAt: 22 }));
    const r = await findFirstDivergence(store, [sim, board]);
    expect(r.first).toMatchObject({ pc: 22, located: false });
    expect(r.first!.board!.digests[String(board)]).toBeNull();
  });

  it('falls back to comparing outputs when an event run has no board records', async () => {
    const plain = await traceRun({ target: createToyTarget({ name: 'sim' }), bundle: toyBundle(params, INSNS), spec: makeTraceSpec(), store, handleSigint: false });
    const board = await record(new ProbelessBoard({ name: 'board', fault: { pc: 13, lane: 5 } }));
    const r = await findFirstDivergence(store, [plain.runId, board]);
    expect(r.method).toBe('outputs');
    expect(r.first).toBeNull();
  });
});

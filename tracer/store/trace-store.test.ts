import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { SchemaVersionError, TraceStoreError } from '../errors.js';
import { makeTraceSpec } from '../spec.js';
import { createToyTarget, toyBundle, toyLane } from '../testing/toy.js';
import { traceRun } from '../trace-run.js';
import { APPLICATION_ID, SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
import { TraceStore } from './trace-store.js';
import { DigestVersionError, assertSameDigestVersion } from './digest-version.js';
import { VtaUserError } from '../../runtime/errors.js';
import { findFirstDivergence } from '../diverge/engine.js';

const params = resolveConfig('default');
let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vta-store-'));
  file = join(dir, 't.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('TraceStore', () => {
  it('stores a run: metadata, canonical events readable by window, digests, outputs', async () => {
    const store = TraceStore.open(file);
    const bundle = toyBundle(params, 9);
    const r = await traceRun({ target: createToyTarget({ rows: 3 }), bundle, spec: makeTraceSpec({ mode: 'sram' }), store, gitCommit: 'abc123', configName: 'default' });
    expect(r.status).toBe('ok');
    const run = store.run(r.runId);
    expect(run).toMatchObject({ target: 'toy', status: 'ok', mode: 'sram', spec: 'sram', gitCommit: 'abc123', configName: 'default', configHash: params.hash, insnCount: 9 });
    // 9 retires + 8 non-FINISH instructions × 3 rows.
    expect(run.eventCount).toBe(9 + 8 * 3);
    expect(run.finishedAt).not.toBeNull();

    const g = store.eventGroups(r.runId, { pcFrom: 1, pcTo: 2, streams: ['sram.acc'] });
    expect(g).toHaveLength(1);
    expect(g[0]!.pc).toBe(1);
    expect(Array.from(g[0]!.addrs)).toEqual([3, 4, 5]); // toy: rows pc·3 + r
    const lane2 = new DataView(g[0]!.data.buffer, g[0]!.data.byteOffset).getUint32(2 * 4, true);
    expect(lane2).toBe(toyLane(1, 3, 2));

    const chunks = store.digestChunks(r.runId);
    expect(chunks).toHaveLength(1);
    expect(Array.from(chunks[0]!.present)).toEqual(new Array(9).fill(1));
    expect(store.outputs(r.runId).map((o) => o.name)).toEqual(['out']);
    expect(store.bundle(run.bundleHash).insnCount).toBe(9);
    expect(store.integrityCheck()).toBe('ok');
    store.close();
  });

  it('marks a run whose outputs differ from the golden as mismatch', async () => {
    const store = TraceStore.open(file);
    const bundle = toyBundle(params, 8, { expectedOut: new Uint8Array(32).fill(1) });
    const r = await traceRun({ target: createToyTarget(), bundle, spec: makeTraceSpec({ mode: 'outputs' }), store });
    expect(r.status).toBe('mismatch');
    expect(store.run(r.runId).message).toMatch(/out/);
    expect(store.expectedOutputs(store.run(r.runId).bundleHash)!.out).toEqual(new Uint8Array(32).fill(1));
    store.close();
  });

  it('keeps the events of a crashed run and records deadlocks with the blocked instruction', async () => {
    const store = TraceStore.open(file);
    const bundle = toyBundle(params, 12);
    const crashed = await traceRun({ target: createToyTarget({ throwAt: 6 }), bundle, spec: makeTraceSpec({ mode: 'insn' }), store });
    expect(crashed.status).toBe('crash');
    expect(store.run(crashed.runId).message).toMatch(/exploded at instruction 6/);
    expect(store.eventGroups(crashed.runId).map((e) => e.pc)).toEqual([0, 1, 2, 3, 4, 5]);
    const dead = await traceRun({ target: createToyTarget({ deadlockAt: 5 }), bundle, spec: makeTraceSpec({ mode: 'digest' }), store });
    expect(store.run(dead.runId)).toMatchObject({ status: 'deadlock', blocked: [{ pc: 5, module: 'compute', queue: 'ld2cmp' }] });
    store.close();
  });

  it('resolves run names', async () => {
    const store = TraceStore.open(file);
    const bundle = toyBundle(params, 4);
    const a = await traceRun({ target: createToyTarget(), bundle, spec: makeTraceSpec(), store });
    const b = await traceRun({ target: createToyTarget(), bundle, spec: makeTraceSpec(), store });
    expect(store.resolveRun('last').id).toBe(b.runId);
    expect(store.resolveRun('last-1').id).toBe(a.runId);
    expect(store.resolveRun(String(a.runId)).id).toBe(a.runId);
    expect(() => store.resolveRun('99')).toThrow(/no run with id 99/);
    expect(() => store.resolveRun('foo')).toThrow(TraceStoreError);
    store.close();
  });

  it('records the digest version of each run and refuses to compare digests of different versions', async () => {
    let store = TraceStore.open(file);
    const bundle = toyBundle(params, 5);
    const ids: number[] = [];
    for (const mode of ['digest', 'sram', 'outputs', 'digest'] as const) ids.push((await traceRun({ target: createToyTarget({ rows: 2 }), bundle, spec: makeTraceSpec({ mode }), store })).runId);
    const [digest, sram, outputs, old] = ids as [number, number, number, number];
    // The documented definition (docs/trace-schema.md §Digest) is version 2; outputs mode has none.
    expect([digest, sram, outputs].map((id) => store.run(id).digestVersion)).toEqual([2, 2, null]);
    expect(store.run(digest).digestScope).toMatch(/ digest=v2$/);
    expect(() => assertSameDigestVersion([store.run(digest), store.run(sram)])).not.toThrow();
    store.close();

    // The last run as a vta-trace of before digest versions wrote it: no version, the scope without it.
    const raw = new Database(file);
    raw.prepare("UPDATE runs SET digest_version = NULL, digest_scope = 'buffers=* insn=0:' WHERE id = ?").run(old);
    raw.close();
    store = TraceStore.open(file);
    expect(store.run(old).digestVersion).toBe(1);
    expect(() => assertSameDigestVersion([store.run(digest), store.run(old)])).toThrow(DigestVersionError);
    expect(() => assertSameDigestVersion([store.run(digest), store.run(old)])).toThrow(
      new RegExp(`runs have instruction digests of different versions \\(${digest}: 2; ${old}: 1\\)`),
    );
    expect(new DigestVersionError([])).toBeInstanceOf(VtaUserError);
    // The divergence search refuses the pair, naming the versions, instead of calling every instruction different.
    await expect(findFirstDivergence(store, [digest, old])).rejects.toThrow(DigestVersionError);
    store.close();

    // A file from before the column: read as version 1, and given the column when opened for writing.
    const older = new Database(file);
    older.exec('ALTER TABLE runs DROP COLUMN digest_version');
    older.close();
    store = TraceStore.open(file, { readonly: true });
    expect([digest, outputs].map((id) => store.run(id).digestVersion)).toEqual([1, null]);
    store.close();
    store = TraceStore.open(file);
    const again = await traceRun({ target: createToyTarget({ rows: 2 }), bundle, spec: makeTraceSpec({ mode: 'digest' }), store });
    expect(store.run(again.runId).digestVersion).toBe(2);
    store.close();
  });

  it('stores consecutive addresses and a shared cycle once (version 3), reads version-2 files as they are and upgrades them when writing', async () => {
    let store = TraceStore.open(file);
    const bundle = toyBundle(params, 4);
    const spec = makeTraceSpec({ mode: 'sram' });
    const old = (await traceRun({ target: createToyTarget({ rows: 3 }), bundle, spec, store })).runId;
    store.close();
    // Toy rows at pc 1: addresses 3, 4, 5 (pc·3 + r), all at cycle 11 (pc·10 + 1).
    const accRow = (db: Database.Database, runId: number) =>
      db.prepare("SELECT addrs, cycles FROM events WHERE run_id = ? AND pc = 1 AND stream = (SELECT id FROM streams WHERE name = 'sram.acc')").get(runId) as {
        addrs: Buffer;
        cycles: Buffer;
      };
    let raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect([accRow(raw, old).addrs.length, accRow(raw, old).cycles.length]).toEqual([4, 8]);
    // The run as a vta-trace of schema version 2 stored it: every address and cycle written out.
    const full = (a: ArrayLike<number>, T: Uint32ArrayConstructor | Float64ArrayConstructor) => Buffer.from(T.from(a).buffer);
    raw
      .prepare("UPDATE events SET addrs = ?, cycles = ? WHERE run_id = ? AND pc = 1 AND stream = (SELECT id FROM streams WHERE name = 'sram.acc')")
      .run(full([3, 4, 5], Uint32Array), full([11, 11, 11], Float64Array), old);
    // Nor had it the columns of version 4, nor the column and stream of version 5.
    raw.exec('ALTER TABLE runs DROP COLUMN git_dirty; ALTER TABLE runs DROP COLUMN design_json; ALTER TABLE runs DROP COLUMN dram_reads; DELETE FROM streams WHERE id = 11;');
    raw.pragma('user_version = 2');
    raw.close();

    const acc = (s: TraceStore, runId: number) => s.eventGroups(runId, { pcFrom: 1, pcTo: 2, streams: ['sram.acc'] })[0]!;
    store = TraceStore.open(file, { readonly: true });
    expect(Array.from(acc(store, old).addrs)).toEqual([3, 4, 5]);
    expect(Array.from(acc(store, old).cycles)).toEqual([11, 11, 11]);
    store.close();
    raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(2);
    raw.close();

    store = TraceStore.open(file);
    const again = (await traceRun({ target: createToyTarget({ rows: 3 }), bundle, spec, store })).runId;
    expect(Array.from(acc(store, again).addrs)).toEqual([3, 4, 5]);
    expect(Array.from(acc(store, again).cycles)).toEqual([11, 11, 11]);
    // The version-2 rows and the compact ones say the same.
    expect(store.eventGroups(again)).toEqual(store.eventGroups(old));
    expect((await findFirstDivergence(store, [old, again])).values).toBe('agree');
    store.close();
    raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect([accRow(raw, again).addrs.length, accRow(raw, again).cycles.length]).toEqual([4, 8]);
    raw.close();
  });

  it('records what produced a run (dirty checkout, design and its sources hash); a version-3 file is read as it is (unknown) and upgraded when writing', async () => {
    const bundle = toyBundle(params, 4);
    const spec = makeTraceSpec({ mode: 'digest' });
    const design = { label: 'my design', file: '/x/design.json', sourcesHash: 'cd'.repeat(32) };
    const withDesign = { ...createToyTarget({}), prepareRun: async () => design };
    let store = TraceStore.open(file);
    const old = (await traceRun({ target: createToyTarget({}), bundle, spec, store, gitCommit: 'a'.repeat(40) })).runId;
    store.close();
    let raw = new Database(file);
    raw.exec('ALTER TABLE runs DROP COLUMN git_dirty; ALTER TABLE runs DROP COLUMN design_json; ALTER TABLE runs DROP COLUMN dram_reads; DELETE FROM streams WHERE id = 11;');
    raw.pragma('user_version = 3');
    raw.close();
    store = TraceStore.open(file, { readonly: true });
    expect([store.run(old).gitCommit, store.run(old).gitDirty, store.run(old).design]).toEqual(['a'.repeat(40), null, null]);
    store.close();
    store = TraceStore.open(file);
    const dirty = (await traceRun({ target: withDesign, bundle, spec, store, gitCommit: 'b'.repeat(40), gitDirty: true })).runId;
    const clean = (await traceRun({ target: createToyTarget({}), bundle, spec, store, gitCommit: 'b'.repeat(40), gitDirty: false })).runId;
    expect([store.run(dirty).gitDirty, store.run(dirty).design]).toEqual([true, design]);
    expect([store.run(clean).gitDirty, store.run(clean).design, store.run(old).gitDirty]).toEqual([false, null, null]);
    store.close();
    raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
  });

  it('records whether a run reported its DRAM reads; a version-4 file is read as it is (unknown) and gets the column and the dram.load stream when writing', async () => {
    const bundle = toyBundle(params, 4);
    const spec = makeTraceSpec({ mode: 'sram' });
    let store = TraceStore.open(file);
    const old = (await traceRun({ target: createToyTarget({}), bundle, spec, store })).runId;
    store.close();
    let raw = new Database(file);
    raw.exec('ALTER TABLE runs DROP COLUMN dram_reads; DELETE FROM streams WHERE id = 11;');
    raw.pragma('user_version = 4');
    raw.close();
    store = TraceStore.open(file, { readonly: true });
    expect(store.run(old).dramReads).toBeNull();
    store.close();
    store = TraceStore.open(file);
    const reads = { ...createToyTarget({}), recordsDramReads: true };
    const withReads = (await traceRun({ target: reads, bundle, spec, store })).runId;
    const without = (await traceRun({ target: createToyTarget({}), bundle, spec, store })).runId;
    expect([store.run(withReads).dramReads, store.run(without).dramReads, store.run(old).dramReads]).toEqual([true, false, null]);
    store.close();
    raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(raw.prepare('SELECT name FROM streams WHERE id = 11').get()).toEqual({ name: 'dram.load' });
    raw.close();
  });

  it('creates files with 8 KiB pages and checkpoints every 64 MiB of WAL whatever the page size', () => {
    TraceStore.open(file).close();
    // A file as the vta-trace before 8 KiB pages created it.
    const older = join(dir, 'older.db');
    const raw = new Database(older);
    raw.pragma('page_size = 4096');
    raw.pragma('journal_mode = WAL');
    raw.exec(SCHEMA_SQL);
    raw.pragma(`application_id = ${APPLICATION_ID}`);
    raw.pragma(`user_version = ${SCHEMA_VERSION}`);
    raw.close();
    const pages = (f: string) => {
      const db = new Database(f, { readonly: true });
      const n = db.pragma('page_size', { simple: true });
      db.close();
      return n;
    };
    expect(pages(file)).toBe(8192);
    const checkpointPages = (f: string) => {
      const store = TraceStore.open(f);
      const n = store.db.pragma('wal_autocheckpoint', { simple: true });
      store.close();
      return n;
    };
    // 64 MiB of WAL: 8192 pages of 8 KiB, 16384 of 4 KiB.
    expect(checkpointPages(file)).toBe(8192);
    expect(checkpointPages(older)).toBe(16384);
    expect(pages(older)).toBe(4096);
  });

  it('refuses databases of another schema version, foreign databases and non-databases', () => {
    TraceStore.open(file).close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => TraceStore.open(file)).toThrow(SchemaVersionError);
    expect(() => TraceStore.open(file)).toThrow(new RegExp(`schema version ${SCHEMA_VERSION + 1}, this vta-trace reads version ${SCHEMA_VERSION} \\(written by a newer`));

    const foreign = join(dir, 'foreign.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE x (a)');
    f.close();
    expect(() => TraceStore.open(foreign)).toThrow(/not a vta-trace trace database/);

    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello, this is not sqlite at all '.repeat(40));
    expect(() => TraceStore.open(text)).toThrow(TraceStoreError);
    expect(() => TraceStore.open(join(dir, 'missing.db'), { mustExist: true })).toThrow(/no such trace database/);
  });
});

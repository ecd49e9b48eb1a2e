/**
 * The trace database as an object: start runs (returning a RunSink), list and read runs, their
 * events, digests, outputs and bundles, and keep divergence reports. One instance per thread or
 * process; several may write the same file concurrently.
 */
import { hostname } from 'node:os';
import type { ProgramBundle, SourceMapEntry } from '../../runtime/bundle/bundle.js';
import type { BlockedInsn, Counters, DesignRecord } from '../../runtime/contract/target.js';
import { MODULES, type Module } from '../../runtime/isa/insn.js';
import type { BoardRecord } from '../../runtime/contract/board-digest.js';
import { STREAMS, STREAM_ID, type Stream } from '../../runtime/contract/events.js';
import { TraceStoreError } from '../errors.js';
import type { DigestChunk, EventGroup } from '../recorder.js';
import { DIGEST_VERSION } from '../digest.js';
import { bufferOfStream, describeSpec, digestScope, keepsDigests, storesStream, type TraceSpec } from '../spec.js';
import { bytesFromBlob, toBlob, u32FromBlob } from './blobs.js';
import { addrsFromBlob, cyclesFromBlob } from './compact-columns.js';
import { withBusyRetry } from './busy.js';
import { toStoredBundle, type BundleInfo, type StoredBundle } from './bundle-record.js';
import { openTraceDb, type Db, type OpenOptions } from './open.js';
import { RunWriter, type RunSink, type RunWriterOptions } from './run-writer.js';
import { ThreadedRunWriter } from './threaded-run-writer.js';
import { WriterThreadHandle, writerThreadScript } from './writer-thread-handle.js';
import { TraceWriterThreadError } from './writer-thread-error.js';
import type { BoardSource, StoredRunStatus } from './schema.js';
import { deriveParams, type VtaParams } from '../../runtime/config/config.js';
import { ConfigError } from '../../runtime/errors.js';
import {
  BadRow,
  bad,
  blob,
  checkBlocked,
  checkCounters,
  checkDigestsRow,
  checkEventsRow,
  checkLoop,
  checkModuleCycles,
  checkOutputRanges,
  checkRunColumns,
  checkWorkload,
  integer,
  jsonColumn,
  optionalText,
  text,
  checkDesign,
} from './row-checks.js';
import { isDamagedFileError, isSqliteError, sqliteProblem } from './sqlite-problem.js';

export interface RunStart {
  target: string;
  bundle: ProgramBundle;
  spec: TraceSpec;
  configName?: string;
  gitCommit?: string;
  /** Whether vta-trace's checkout had uncommitted changes or untracked files when the run was made. */
  gitDirty?: boolean;
  /** The design a simulator target ran (label, description file, hash of its sources). */
  design?: DesignRecord;
  /** Where the bundle file lives, if it came from one (for reproduction). */
  bundlePath?: string;
  /** Whether the target reports what its LOADs read (Target.recordsDramReads): the run's dram.load stream is then complete. */
  dramReads?: boolean;
}

export interface RunRow {
  id: number;
  target: string;
  configName: string | null;
  configHash: string;
  bundleHash: string;
  gitCommit: string | null;
  /** Null when not known (a run of schema 3 or older, or outside a git checkout). */
  gitDirty: boolean | null;
  design: DesignRecord | null;
  mode: string;
  spec: string;
  digestScope: string;
  status: StoredRunStatus;
  message: string | null;
  blocked: BlockedInsn[] | null;
  counters: Counters | null;
  moduleCycles: Record<Module, number> | null;
  insnCount: number;
  eventCount: number;
  startedAt: string;
  finishedAt: string | null;
  /** False when the target reported no events (a board without probes): its digests say nothing. */
  hostEvents: boolean;
  /** Where the run's board records came from; null when it has none. */
  boardSource: BoardSource | null;
  /** The definition its instruction digests follow (DIGEST_VERSION when recorded); null when it has none. */
  digestVersion: number | null;
  /**
   * Whether its target reported what each LOAD read (the dram.load stream): true, false (a target
   * that cannot, e.g. a real board), null not known (a run of schema 4 or older).
   */
  dramReads: boolean | null;
}

export interface EventQuery {
  /** Half-open program-index window. */
  pcFrom?: number;
  pcTo?: number;
  streams?: readonly Stream[];
}

interface RawRun {
  id: number;
  target: string;
  config_name: string | null;
  config_hash: string;
  bundle_hash: string;
  git_commit: string | null;
  /** Absent from files of schema 3 and older (read only). */
  git_dirty?: number | null;
  design_json?: string | null;
  trace_mode: string;
  trace_spec: string;
  digest_scope: string;
  status: StoredRunStatus;
  message: string | null;
  blocked_json: string | null;
  counters_json: string | null;
  module_cycles_json: string | null;
  insn_count: number;
  event_count: number;
  started_at: string;
  finished_at: string | null;
  host_events: number;
  board_source: BoardSource | null;
  /** Absent from files of before the column (read only), NULL in rows of writers that did not know it. */
  digest_version?: number | null;
  /** Absent from files of schema 4 and older (read only). */
  dram_reads?: number | null;
  host: string | null;
  pid: number | null;
}

function toRunRow(r: RawRun): RunRow {
  const where = `runs row ${typeof r.id === 'number' ? r.id : shownId(r.id)}`;
  checkRunColumns(r as unknown as Record<string, unknown>, where);
  const json = <T>(column: 'blocked_json' | 'counters_json' | 'module_cycles_json' | 'design_json', check: (v: unknown, where: string) => void): T | null => {
    const v = jsonColumn(r[column], `${where}, ${column}`);
    check(v, `${where}, ${column}`);
    return v as T | null;
  };
  return {
    id: r.id,
    target: r.target,
    configName: r.config_name,
    configHash: r.config_hash,
    bundleHash: r.bundle_hash,
    gitCommit: r.git_commit,
    gitDirty: r.git_dirty === undefined || r.git_dirty === null ? null : r.git_dirty !== 0,
    design: r.design_json === undefined ? null : json<DesignRecord>('design_json', checkDesign),
    mode: r.trace_mode,
    spec: r.trace_spec,
    digestScope: r.digest_scope,
    status: r.status,
    message: r.message,
    blocked: json('blocked_json', checkBlocked),
    counters: json('counters_json', checkCounters),
    moduleCycles: json('module_cycles_json', checkModuleCycles),
    insnCount: r.insn_count,
    eventCount: r.event_count,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    hostEvents: r.host_events !== 0,
    boardSource: r.board_source,
    // Files written before the column existed, or by a vta-trace that did not know it, lack it:
    // their runs with digests have version-1 digests.
    digestVersion: r.digest_version ?? (r.trace_mode === 'outputs' ? null : 1),
    dramReads: r.dram_reads === undefined || r.dram_reads === null ? null : r.dram_reads !== 0,
  };
}

const shownRun = (v: string) => JSON.stringify(v.length > 40 ? `${v.slice(0, 39)}…` : v);
const shownId = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.slice(0, 20)) : String(v));

/** A run left `running` by a writer process of this host that no longer exists. */
function orphaned(r: RawRun): boolean {
  return r.status === 'running' && r.host === hostname() && r.pid !== null && r.pid !== process.pid && !processAlive(r.pid);
}

const orphanMessage = (r: RawRun) => `writer process ${r.pid} ended without finishing the run (killed?)`;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a run's rows are worth a second thread: only write streams bring enough bytes (sram
 * mode: 2.7 MB per conv:C10 run, twice the untraced run's time to insert) to repay a copy and a
 * hand-over; digest, insn and outputs modes store a few hundred small rows. An in-memory database
 * cannot be shared with another connection at all.
 */
export function writerThreadPays(file: string, spec: TraceSpec): boolean {
  return file !== ':memory:' && file !== '' && STREAMS.some((s) => bufferOfStream(s) !== undefined && storesStream(spec, s));
}

export class TraceStore {
  /** Started by the first run that uses it, shared by the store's later runs, closed with the store. */
  private writerThread?: WriterThreadHandle;

  private constructor(
    readonly db: Db,
    readonly file: string,
    private readonly readonly: boolean,
  ) {}

  /**
   * A read of the file: a row that is not what the schema says, or a file SQLite finds damaged,
   * becomes one line "<file>: not a valid trace database: <what>"; any other SQLite failure
   * "<file>: cannot read trace database: <why>". Errors of vta-trace's own pass unchanged.
   */
  private reading<T>(read: () => T): T {
    try {
      return read();
    } catch (e) {
      if (e instanceof BadRow || isDamagedFileError(e)) throw new TraceStoreError(`${this.file}: not a valid trace database: ${isSqliteError(e) ? sqliteProblem(e) : (e as Error).message}`);
      if (isSqliteError(e)) throw new TraceStoreError(`${this.file}: cannot read trace database: ${sqliteProblem(e, this.file)}`);
      throw e;
    }
  }

  /** A write to the file (a full disk, a read-only file system): "<file>: cannot write trace database: <why>". */
  private writing<T>(write: () => T): T {
    try {
      return write();
    } catch (e) {
      if (isDamagedFileError(e)) throw new TraceStoreError(`${this.file}: not a valid trace database: ${sqliteProblem(e as Error & { code: string })}`);
      if (isSqliteError(e)) throw new TraceStoreError(`${this.file}: cannot write trace database: ${sqliteProblem(e, this.file)}`);
      throw e;
    }
  }

  /**
   * Opened read-only (`runs`, `show`), a store changes nothing in the file: an older version is
   * read as it is, not upgraded, and orphaned runs are shown as interrupted without marking them.
   */
  static open(file: string, opts: OpenOptions = {}): TraceStore {
    const store = new TraceStore(openTraceDb(file, opts), file, opts.readonly ?? false);
    try {
      if (!opts.readonly) store.writing(() => store.markOrphanedRuns());
    } catch (e) {
      store.close();
      throw e;
    }
    return store;
  }

  /**
   * A writer killed outright (SIGKILL, OOM, power cut) cannot mark its own run. Any run still
   * `running` whose writer process, on this host, no longer exists is marked `interrupted`; its
   * committed events stay. Runs of other hosts are left alone: we cannot tell whether they live.
   */
  markOrphanedRuns(): number {
    const rows = this.db.prepare("SELECT * FROM runs WHERE status = 'running'").all() as RawRun[];
    let marked = 0;
    for (const r of rows) {
      if (!orphaned(r)) continue;
      if (typeof r.id !== 'number') continue;
      this.markInterrupted(r.id, orphanMessage(r));
      marked++;
    }
    return marked;
  }

  /** A row as the reader sees it: a read-only store shows an orphan as interrupted (the file still says running). */
  private present(r: RawRun): RunRow {
    const row = toRunRow(r);
    if (!this.readonly || !orphaned(r)) return row;
    return { ...row, status: 'interrupted', message: `${orphanMessage(r)}; not marked in the file, opened read-only` };
  }

  /** Record the bundle (once per hash) and a new run in status `running`. */
  startRun(start: RunStart, opts?: RunWriterOptions): RunSink {
    const b = toStoredBundle(start.bundle, start.bundlePath);
    const id = this.writing(() => withBusyRetry(() =>
      this.db
        .transaction(() => {
          this.saveBundle(b, start.bundle.expected);
          const info = this.db
            .prepare(
              `INSERT INTO runs (target, config_name, config_hash, bundle_hash, git_commit, trace_mode, trace_spec,
                 digest_scope, status, insn_count, started_at, host, pid, digest_version, git_dirty, design_json, dram_reads)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'running', ?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(
              start.target,
              start.configName ?? null,
              start.bundle.params.hash,
              b.hash,
              start.gitCommit ?? null,
              start.spec.mode,
              describeSpec(start.spec),
              // Digests of different definitions are not comparable: the version is part of the scope.
              keepsDigests(start.spec) ? `${digestScope(start.spec)} digest=v${DIGEST_VERSION}` : digestScope(start.spec),
              start.bundle.insnCount,
              new Date().toISOString(),
              hostname(),
              process.pid,
              keepsDigests(start.spec) ? DIGEST_VERSION : null,
              start.gitDirty === undefined ? null : start.gitDirty ? 1 : 0,
              start.design ? JSON.stringify(start.design) : null,
              start.dramReads === undefined ? null : start.dramReads ? 1 : 0,
            );
          return Number(info.lastInsertRowid);
        })
        .immediate(),
    ));
    const thread = this.threadFor(start.spec, opts?.thread);
    if (!thread) return new RunWriter(this.db, id, opts);
    return new ThreadedRunWriter(thread, id, (runId, message) => this.markInterrupted(runId, message), opts);
  }

  /** The writer thread for a run, if it gets one; a thread that died is replaced. */
  private threadFor(spec: TraceSpec, wanted: boolean | undefined): WriterThreadHandle | undefined {
    if (wanted === false || (wanted === undefined && !writerThreadPays(this.file, spec))) return undefined;
    const script = writerThreadScript(wanted === true);
    if (!script) {
      if (wanted) throw new TraceWriterThreadError(`${this.file}: no compiled trace writer thread in this build (build vta-trace first)`);
      return undefined;
    }
    if (!this.writerThread || this.writerThread.gone) this.writerThread = new WriterThreadHandle(this.file, script, this.ackTimeoutMs);
    return this.writerThread;
  }

  /** Tests: a shorter bound on waiting for the writer thread. */
  ackTimeoutMs?: number;

  /** Tests and benchmarks: the writer thread, if one was started. */
  get writerThreadForTesting(): WriterThreadHandle | undefined {
    return this.writerThread;
  }

  private saveBundle(b: StoredBundle, expected?: Record<string, Uint8Array>): void {
    const exists = this.db.prepare('SELECT 1 FROM bundles WHERE hash = ?').get(b.hash);
    if (exists) return;
    this.db
      .prepare(
        `INSERT INTO bundles (hash, insn_count, config_json, program, outputs_json, workload_json, bundle_path)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        b.hash,
        b.insnCount,
        b.configJson,
        toBlob(b.program),
        JSON.stringify(b.outputs),
        b.workload ? JSON.stringify(b.workload) : null,
        b.bundlePath ?? null,
      );
    const src = this.db.prepare('INSERT INTO source_map (bundle_hash, pc, op, loop_json, note) VALUES (?, ?, ?, ?, ?)');
    b.sourceMap.forEach((e, pc) => {
      if (e) src.run(b.hash, pc, e.op, e.loop ? JSON.stringify(e.loop) : null, e.note ?? null);
    });
    const ins = this.db.prepare('INSERT OR IGNORE INTO expected_outputs (bundle_hash, name, bytes) VALUES (?, ?, ?)');
    for (const [name, bytes] of Object.entries(expected ?? {})) ins.run(b.hash, name, toBlob(bytes));
  }

  runs(): RunRow[] {
    return this.reading(() => (this.db.prepare('SELECT * FROM runs ORDER BY id').all() as RawRun[]).map((r) => this.present(r)));
  }

  run(id: number): RunRow {
    const r = this.reading(() => this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RawRun | undefined);
    if (!r) throw new TraceStoreError(`${this.file}: no run with id ${id} (see \`vta-trace runs\`)`);
    return this.reading(() => this.present(r));
  }

  /** A run named by id, or by "last" / "last-N" (N runs before the last). */
  resolveRun(text: string): RunRow {
    const m = /^last(?:-(\d+))?$/.exec(text);
    if (m) {
      const back = m[1] ? Number(m[1]) : 0;
      if (!Number.isSafeInteger(back)) throw new TraceStoreError(`${this.file}: no run "${text}"`);
      const r = this.reading(() => this.db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT 1 OFFSET ?').get(back) as RawRun | undefined);
      if (!r) throw new TraceStoreError(`${this.file}: no run "${text}"`);
      return this.reading(() => this.present(r));
    }
    if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new TraceStoreError(`run ${shownRun(text)}: expected a run id (a number) or last, last-1, …`);
    return this.run(Number(text));
  }

  eventGroups(runId: number, q: EventQuery = {}): EventGroup[] {
    const conds = ['run_id = ?'];
    const args: (number | string)[] = [runId];
    if (q.pcFrom !== undefined) {
      conds.push('pc >= ?');
      args.push(q.pcFrom);
    }
    if (q.pcTo !== undefined && Number.isFinite(q.pcTo)) {
      conds.push('pc < ?');
      args.push(q.pcTo);
    }
    if (q.streams) {
      conds.push(`stream IN (${q.streams.map(() => '?').join(',')})`);
      args.push(...q.streams.map((s) => STREAM_ID[s]));
    }
    const rows = this.reading(() => {
      const rows = this.db
        .prepare(`SELECT id, pc, stream, part, n, elem_len, addrs, cycles, data FROM events WHERE ${conds.join(' AND ')} ORDER BY pc, stream, part`)
        .all(...args) as { id: number; pc: number; stream: number; part: number; n: number; elem_len: number; addrs: Buffer; cycles: Buffer; data: Buffer }[];
      // Every row is checked before any is expanded: counts against BLOB sizes, so that a row
      // claiming more events than it holds costs nothing.
      for (const r of rows) checkEventsRow(r, `events row ${r.id}`);
      return rows;
    });
    return rows.map((r) => ({
      stream: STREAMS[r.stream]!,
      pc: r.pc,
      part: r.part,
      elemLen: r.elem_len,
      addrs: addrsFromBlob(r.addrs, r.n),
      cycles: cyclesFromBlob(r.cycles, r.n),
      data: bytesFromBlob(r.data),
    }));
  }

  /** Streams with at least one stored event in the run (cheap: uses the index). */
  storedStreams(runId: number): Stream[] {
    return this.reading(() => {
      const rows = this.db.prepare('SELECT DISTINCT stream FROM events WHERE run_id = ?').all(runId) as { stream: number }[];
      return rows.map((r) => STREAMS[integer(r.stream, `events of run ${runId}, stream`, 0, STREAMS.length - 1)]!);
    });
  }

  digestChunks(runId: number, fromChunk = 0, toChunk = Number.MAX_SAFE_INTEGER): DigestChunk[] {
    const rows = this.reading(() => {
      const rows = this.db
      .prepare('SELECT * FROM digests WHERE run_id = ? AND chunk >= ? AND chunk < ? ORDER BY chunk')
      .all(runId, fromChunk, toChunk) as {
      chunk: number;
      first_pc: number;
      count: number;
      lo: number;
      hi: number;
      insn_digests: Buffer;
      present: Buffer;
    }[];
      for (const r of rows) checkDigestsRow(r, `digests row (run ${runId}, chunk ${shownId(r.chunk)})`);
      return rows;
    });
    return rows.map((r) => ({
      chunk: r.chunk,
      firstPc: r.first_pc,
      count: r.count,
      lo: r.lo,
      hi: r.hi,
      insnDigests: u32FromBlob(r.insn_digests),
      present: bytesFromBlob(r.present),
    }));
  }

  /** Chunk digests only (phase 1's first pass), as "lo:hi" keyed by chunk. */
  chunkSummaries(runId: number): Map<number, string> {
    return this.reading(() => {
      const rows = this.db.prepare('SELECT chunk, lo, hi FROM digests WHERE run_id = ?').all(runId) as { chunk: number; lo: number; hi: number }[];
      for (const r of rows) {
        const where = `digests row (run ${runId}, chunk ${shownId(r.chunk)})`;
        integer(r.chunk, `${where}, chunk`);
        integer(r.lo, `${where}, lo`, 0, 2 ** 32 - 1);
        integer(r.hi, `${where}, hi`, 0, 2 ** 32 - 1);
      }
      return new Map(rows.map((r) => [r.chunk, `${r.lo}:${r.hi}`]));
    });
  }

  /** The run's board records in retire order (empty when it has none). */
  boardRecords(runId: number): BoardRecord[] {
    return this.reading(() => {
      const rows = this.db.prepare('SELECT seq, pc, module, digest FROM board_records WHERE run_id = ? ORDER BY seq').all(runId) as {
        seq: number;
        pc: number;
        module: number;
        digest: number;
      }[];
      return rows.map((r) => {
        const where = `board_records row (run ${runId}, seq ${shownId(r.seq)})`;
        return {
          pc: integer(r.pc, `${where}, pc`, 0, 2 ** 28),
          module: MODULES[integer(r.module, `${where}, module`, 0, MODULES.length - 1)]!,
          digest: integer(r.digest, `${where}, digest`, -(2 ** 31), 2 ** 32 - 1) >>> 0,
        };
      });
    });
  }

  outputs(runId: number): { name: string; addr: number; bytes: Uint8Array }[] {
    return this.reading(() => {
      const rows = this.db.prepare('SELECT name, addr, bytes FROM outputs WHERE run_id = ? ORDER BY name').all(runId) as {
        name: string;
        addr: number;
        bytes: Buffer;
      }[];
      return rows.map((r, i) => {
        const where = `outputs row ${i + 1} of run ${runId}`;
        return { name: text(r.name, `${where}, name`), addr: integer(r.addr, `${where}, addr`, 0, 2 ** 32 - 1), bytes: bytesFromBlob(blob(r.bytes, `${where}, bytes`)) };
      });
    });
  }

  bundle(hash: string): BundleInfo {
    const r = this.reading(
      () =>
        this.db.prepare('SELECT hash, insn_count, config_json, outputs_json, workload_json, bundle_path FROM bundles WHERE hash = ?').get(hash) as
          | { hash: string; insn_count: number; config_json: string; outputs_json: string; workload_json: string | null; bundle_path: string | null }
          | undefined,
    );
    if (!r) throw new TraceStoreError(`${this.file}: not a valid trace database: bundle ${shownRun(hash)} of a run is not stored`);
    return this.reading(() => {
      const where = `bundles row ${shownRun(hash)}`;
      // The configuration must be one this vta-trace can derive: every reader derives it next.
      this.paramsOf(r.config_json, where);
      return {
        hash: r.hash,
        insnCount: integer(r.insn_count, `${where}, insn_count`, 0, 2 ** 28),
        configJson: r.config_json,
        outputs: checkOutputRanges(jsonColumn(r.outputs_json, `${where}, outputs_json`), `${where}, outputs_json`),
        workload: checkWorkload(jsonColumn(r.workload_json, `${where}, workload_json`), `${where}, workload_json`),
        bundlePath: optionalText(r.bundle_path, `${where}, bundle_path`) ?? undefined,
      };
    });
  }

  /** The configuration of a stored bundle, derived (and so validated). */
  bundleParams(hash: string): VtaParams {
    const info = this.bundle(hash);
    return this.reading(() => this.paramsOf(info.configJson, `bundles row ${shownRun(hash)}`));
  }

  private paramsOf(configJson: unknown, where: string): VtaParams {
    const parsed = jsonColumn(configJson, `${where}, config_json`);
    try {
      return deriveParams(parsed);
    } catch (e) {
      if (e instanceof ConfigError) bad(`${where}, config_json`, e.message);
      throw e;
    }
  }

  /** The 16 bytes of instruction `pc` of a stored bundle. */
  insnBytes(hash: string, pc: number): Uint8Array {
    return this.reading(() => {
      const r = this.db.prepare('SELECT substr(program, ?, 16) AS insn FROM bundles WHERE hash = ?').get(pc * 16 + 1, hash) as { insn: unknown } | undefined;
      // substr of a BLOB is a BLOB; of anything else (a damaged row), text.
      return r && r.insn instanceof Uint8Array ? bytesFromBlob(r.insn) : new Uint8Array(0);
    });
  }

  sourceMapEntry(hash: string, pc: number): SourceMapEntry | null {
    return this.reading(() => {
      const r = this.db.prepare('SELECT op, loop_json, note FROM source_map WHERE bundle_hash = ? AND pc = ?').get(hash, pc) as
        | { op: string; loop_json: string | null; note: string | null }
        | undefined;
      if (!r) return null;
      const where = `source_map row (bundle ${shownRun(hash)}, pc ${pc})`;
      const loop = checkLoop(jsonColumn(r.loop_json, `${where}, loop_json`), `${where}, loop_json`);
      const note = optionalText(r.note, `${where}, note`);
      return { op: text(r.op, `${where}, op`), ...(loop ? { loop } : {}), ...(note ? { note } : {}) };
    });
  }

  expectedOutputs(hash: string): Record<string, Uint8Array> | undefined {
    return this.reading(() => {
      const rows = this.db.prepare('SELECT name, bytes FROM expected_outputs WHERE bundle_hash = ?').all(hash) as { name: string; bytes: Buffer }[];
      if (rows.length === 0) return undefined;
      const where = (i: number) => `expected_outputs row ${i + 1} of bundle ${shownRun(hash)}`;
      return Object.fromEntries(rows.map((r, i) => [text(r.name, `${where(i)}, name`), bytesFromBlob(blob(r.bytes, `${where(i)}, bytes`))]));
    });
  }

  saveDivergence(runIds: number[], verdict: string, at: { pc?: number; stream?: string; addr?: number }, reportJson: string): number {
    return this.writing(() => withBusyRetry(() =>
      Number(
        this.db
          .prepare('INSERT INTO divergences (created_at, run_ids, verdict, pc, stream, addr, report_json) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(new Date().toISOString(), runIds.join(','), verdict, at.pc ?? null, at.stream ?? null, at.addr ?? null, reportJson).lastInsertRowid,
      ),
    ));
  }

  /** The reproduction command of the latest divergence stored for a run (it records that window at full detail). */
  divergenceReproduce(runId: number): string | undefined {
    const row = this.db
      .prepare("SELECT report_json FROM divergences WHERE (',' || run_ids || ',') LIKE ('%,' || ? || ',%') ORDER BY id DESC LIMIT 1")
      .get(String(runId)) as { report_json: string } | undefined;
    if (!row) return undefined;
    const r = JSON.parse(row.report_json) as { reproduce?: unknown };
    return typeof r.reproduce === 'string' ? r.reproduce : undefined;
  }

  /** The latest divergence report stored for exactly these runs, in this order (its JSON), if any. */
  divergenceReportOf(runIds: readonly number[]): string | undefined {
    const row = this.reading(() => this.db.prepare('SELECT report_json FROM divergences WHERE run_ids = ? ORDER BY id DESC LIMIT 1').get(runIds.join(',')) as { report_json: string } | undefined);
    return row?.report_json;
  }

  /** Mark a run that will not finish normally (SIGINT): its committed events stay. */
  markInterrupted(runId: number, message: string): void {
    this.writing(() => withBusyRetry(() =>
      this.db
        .prepare("UPDATE runs SET status = 'interrupted', message = ?, finished_at = ? WHERE id = ? AND status = 'running'")
        .run(message, new Date().toISOString(), runId),
    ));
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }

  close(): void {
    this.writerThread?.close();
    this.writerThread = undefined;
    if (this.db.open) this.db.close();
  }
}

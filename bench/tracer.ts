/**
 * Tracer benchmarks (goals in parentheses):
 * - events written per second, sustained, in sram mode through the Recorder into SQLite (≥ 1e6/s);
 * - first divergence between two stored runs of N events each (≤ 1 s for N = 1e7), and the ratio
 *   of GNU diff's time on the same traces printed one event per line (≥ 100×);
 * - tracing overhead on fsim, digest and sram mode vs outputs mode (≤ 1.3×, ≤ 3×), when the fsim
 *   target and workloads are in the build; what storing an sram run costs alone; a long series;
 * - tracing overhead on tsim (no goal), when Verilator is there.
 * Sizes: VTA_BENCH_TRACER_EVENTS (write rate, default 2e6), VTA_BENCH_TRACER_DIFF_EVENTS (per run,
 * default 1e7), VTA_BENCH_TRACER_WORKLOAD (fsim overhead: the layer, default conv:C10, beside a long
 * GEMM), VTA_BENCH_TRACER_ROUNDS (timed rounds per mode, default 5), VTA_BENCH_TRACER_SERIES (runs
 * in the series, default 60), VTA_BENCH_TRACER_TSIM_ROUNDS (default 10, 0 skips tsim); set them
 * small in CI smoke.
 * VTA_BENCH_TRACER_BASELINE=DIR also measures the fsim overhead of the build in DIR (see fsimOverhead).
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { closeSync, createWriteStream, fsyncSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { once } from 'node:events';
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import { largeGemmBundle } from './fsim.js';
import { resolveConfig } from '../runtime/config/fixtures.js';
import type { VtaParams } from '../runtime/config/config.js';
import type { Target } from '../runtime/contract/target.js';
import { findFirstDivergence } from '../tracer/diverge/engine.js';
import { flatten } from '../tracer/diverge/window-events.js';
import { Recorder } from '../tracer/recorder.js';
import { formatEvent } from '../tracer/report/event-line.js';
import { makeTraceSpec, type TraceSpec } from '../tracer/spec.js';
import { TraceStore } from '../tracer/store/trace-store.js';
import type { RunWriterOptions } from '../tracer/store/run-writer.js';
import { BATCH_BYTES, GroupBatch } from '../tracer/store/group-batch.js';
import type { EventGroup } from '../tracer/recorder.js';
import { STREAM_ID } from '../runtime/contract/events.js';
import { toBlob } from '../tracer/store/blobs.js';
import { CHECKPOINT_BYTES } from '../tracer/store/open.js';
import { PAGE_SIZE } from '../tracer/store/schema.js';
import { toyBundle } from '../tracer/testing/toy.js';
import { traceRun } from '../tracer/trace-run.js';
import { createTarget } from '../targets/registry.js';
import { buildWorkload } from '../runtime/workloads/index.js';

const envInt = (name: string, dflt: number) => {
  const v = process.env[name];
  return v && /^\d+(e\d+)?$/.test(v) ? Number(v) : dflt;
};

const ROWS_PER_INSN = 64;
/** Timed rounds of each trace mode per fsim program (after one untimed round). */
const FSIM_ROUNDS = envInt('VTA_BENCH_TRACER_ROUNDS', 5);

/**
 * Drive a Recorder as a target would: each instruction writes ROWS_PER_INSN INP rows (each
 * reported once) and retires. `faultAt` flips one byte of one row of that instruction.
 */
function recordSynthetic(
  store: TraceStore,
  params: VtaParams,
  bundle: ProgramBundle,
  spec: TraceSpec,
  name: string,
  faultAt?: number,
  writerOpts?: RunWriterOptions,
): { seconds: number; events: number } {
  const writer = store.startRun({ target: name, bundle, spec }, writerOpts);
  const recorder = new Recorder(spec, bundle.insnCount, writer);
  const insns = bundle.buffers[0]!.bytes;
  const row = new Uint8Array(params.elemBytes.inp);
  const t0 = performance.now();
  for (let pc = 0; pc < bundle.insnCount; pc++) {
    for (let r = 0; r < ROWS_PER_INSN; r++) {
      row.fill((pc + r) & 0xff);
      if (pc === faultAt && r === 7) row[3] ^= 0x10;
      recorder.write('sram.inp', pc, pc * 100 + r, (pc * ROWS_PER_INSN + r) % params.inpDepth, row);
    }
    recorder.retire(pc, 'load', pc * 100 + 99, insns.subarray(pc * 16, pc * 16 + 16));
  }
  const summary = recorder.finish();
  writer.finish({ status: 'ok', moduleCycles: summary.lastRetireCycle });
  return { seconds: (performance.now() - t0) / 1000, events: summary.storedEvents };
}

/**
 * What the threaded writer's copy costs (the recorder lends a group's arrays, so each group is
 * copied into a transferable batch — the only copy of a group now): conv:C10's sram run in shape
 * before schema 3, 381 groups of 110 rows of 56 bytes (2.85 MB with addresses and cycles; the
 * cycles, one per group, are now copied once). Best of 200.
 */
function handOverCopyMs(): number {
  const groups: EventGroup[] = Array.from({ length: 381 }, (_, pc) => ({
    stream: 'sram.acc',
    pc,
    part: 0,
    elemLen: 56,
    addrs: new Uint32Array(110).fill(pc),
    cycles: new Float64Array(110).fill(pc),
    data: new Uint8Array(110 * 56).fill(pc),
  }));
  let best = Infinity;
  for (let r = 0; r < 200; r++) {
    const b = new GroupBatch(BATCH_BYTES);
    const t0 = performance.now();
    for (const g of groups) {
      if (!b.empty && !b.fits(g)) b.take();
      b.add(g);
    }
    b.take();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

async function dumpText(store: TraceStore, params: VtaParams, runId: number, file: string, insnCount: number): Promise<void> {
  const out = createWriteStream(file);
  const step = 2048;
  for (let pc = 0; pc < insnCount; pc += step) {
    const lines = flatten(store.eventGroups(runId, { pcFrom: pc, pcTo: pc + step })).map((e) => formatEvent(params, e));
    if (!out.write(lines.join('\n') + '\n')) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

const median = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;

/** What the fsim overhead figures need from one build of vta-trace (this one, or a baseline's dist). */
interface Build {
  label: string;
  createTarget: (name: string) => Target | Promise<Target>;
  buildWorkload: (name: string, o: { config: unknown; seed: number }) => ProgramBundle | Promise<ProgramBundle>;
  resolveConfig: typeof resolveConfig;
  makeTraceSpec: typeof makeTraceSpec;
  TraceStore: typeof TraceStore;
  traceRun: typeof traceRun;
}

/** The build whose compiled modules are under `dist` (a folder like this file's parent), or undefined without fsim. */
async function loadBuild(label: string, dist: URL): Promise<Build | undefined> {
  const load = async (path: string) => (await import(new URL(path, dist).href)) as Record<string, unknown>;
  try {
    return {
      label,
      createTarget: (await load('targets/registry.js')).createTarget as Build['createTarget'],
      buildWorkload: (await load('runtime/workloads/index.js')).buildWorkload as Build['buildWorkload'],
      resolveConfig: (await load('runtime/config/fixtures.js')).resolveConfig as Build['resolveConfig'],
      makeTraceSpec: (await load('tracer/spec.js')).makeTraceSpec as Build['makeTraceSpec'],
      TraceStore: (await load('tracer/store/trace-store.js')).TraceStore as Build['TraceStore'],
      traceRun: (await load('tracer/trace-run.js')).traceRun as Build['traceRun'],
    };
  } catch {
    return undefined;
  }
}

/**
 * Tracing overhead on fsim, against the same program run untraced: a long GEMM (few rows per
 * instruction: the recorder's fixed costs) and ResNet-18's conv:C10 (152 instructions, 2.3 MB of
 * canonical rows per run, 2.0 MB of them ACC rows each rewritten by about ten instructions).
 * Measured history is in git log; what holds now (conv:C10, profiles with node --cpu-prof and perf):
 * - digest mode: fsim lends the recorder its WebAssembly memory and reports touched rows as runs;
 *   the version-2 digest terms are hashed where the rows lie by a SIMD kernel close to its floor
 *   (16 of its 25 vector operations per 16 bytes are the mixers the definition fixes). About
 *   0.65 ms over a 1.8–2.3 ms run. Hashing on a worker thread was slower on two shared cores (the
 *   woken worker took the recording thread's core).
 * - sram mode is bound by storing its bytes. The store inserting and committing one run's rows,
 *   with nothing else running, takes about 3× the untraced run (the "storing … alone" figure;
 *   about half of it with an in-memory database); SQLite with a one-table schema and no vta-trace
 *   code, about 2× ("SQLite alone"). The writer thread (threaded-run-writer.ts) hides what it can
 *   behind the run: 256 KiB batches copied once, transferred, and sent back once committed to be
 *   filled again (alone, a new buffer handed over cost 120 µs, a refilled one 7 µs); batches that queued
 *   up share one commit; the pages the first insert needs are read while the target starts
 *   (RunWriter.warm); the last rows go over before traceRun compares outputs (RunSink.recorded).
 *   Of its ~12 ms of CPU per run (perf, 300 runs back to back): WAL checkpoints 34%, binding,
 *   inserts and B-tree 41%, WAL appends 22% — SQLite writes each WAL frame with two write calls.
 * - a long series into one file also pays the checkpoints (one per 64 MiB of WAL, fsynced with
 *   synchronous = NORMAL): the series figures, with the process's CPU per run and the disk's
 *   synced write rate beside them.
 * Tried and not kept: 16 and 64 KiB pages (sram within noise per run; every small commit rewrites
 *   whole pages, the untraced run up to 10% slower: new files get 8 KiB); synchronous = OFF
 *   (series 27 → 16 ms per run, nothing per run; an OS crash could then damage the file);
 *   checkpoints on a background connection (series 28 → 19 ms, but the per-run median 12 → 16 ms:
 *   it takes the second core); 64 KiB or 512 KiB batches (a message each / no better); deflate
 *   level 1 or per-row narrowing of the rows (33% / 30% smaller; deflate about 20× the time of
 *   storing); narrowing ACC values (only 11% of them fit int16). Measured again later, side by
 *   side with VTA_BENCH_TRACER_BASELINE: 32 and 64 KiB pages made the untraced run 18–22% slower
 *   (1.76 → 2.15 ms, 1.75 → 2.07 ms) while a traced sram run came out 17% slower in one run and
 *   10% faster in the other: noise; and stored 22% more bytes per run.
 *   The events table WITHOUT ROWID, keyed (run_id, pc, stream, part): inserting one run's rows took
 *   twice as long (1.6 → 3.3 ms best; the payloads then sit in the key's B-tree). One commit or
 *   ten per run: no difference beyond the noise. The database on tmpfs instead of the disk: the
 *   same per-run times (ext4 is not what a single run waits for). Handing the first batch over
 *   after 40 KB instead of 256 KB, so the writer starts sooner: within the noise. What fewer
 *   bytes would buy, measured by storing only three quarters of each ACC row (23% fewer bytes, and
 *   none of the cost a real encoding would add): best 6.50 → 6.08 ms beside whole rows in one
 *   run (3.4× against 4.0×), still above 3×; so narrowing the ACC lanes to the 3 bytes most of
 *   them need (about a quarter smaller) is not worth the decoding it would put on every reader.
 * With VTA_BENCH_TRACER_BASELINE=DIR (the dist folder of another checkout, e.g. the commit before a
 * change, compiled) that build is measured too, its runs interleaved with this one's, so a
 * before/after comparison sees the same machine load. Best-of-20 figures swing by about ±0.1
 * (digest) and ±0.7 (sram) from run to run with the machine's load: compare builds side by side.
 */
async function fsimOverhead(figures: Record<string, number | string>): Promise<void> {
  const builds: Build[] = [];
  const here = await loadBuild('', new URL('../', import.meta.url));
  if (!here) {
    figures['fsim overhead'] = 'skipped: fsim target or workloads not in this build';
    return;
  }
  builds.push(here);
  const baselineDir = process.env.VTA_BENCH_TRACER_BASELINE;
  if (baselineDir) {
    const baseline = await loadBuild('baseline ', pathToFileURL(join(baselineDir, '/')));
    if (!baseline) throw new Error(`VTA_BENCH_TRACER_BASELINE: no vta-trace build with fsim under ${baselineDir}`);
    builds.unshift(baseline);
  }
  // Two kinds of program: one long GEMM (few rows written per instruction: the recorder's fixed
  // costs) and a real ResNet-18 layer (every row written, about 2 MB per run for conv:C10, traced).
  const layer = process.env.VTA_BENCH_TRACER_WORKLOAD ?? 'conv:C10';
  const programs: [string, (b: Build) => Promise<ProgramBundle>][] = [
    [`long GEMM`, async () => largeGemmBundle(Number(process.env.VTA_BENCH_TRACER_ITER ?? 2000))],
    [layer, async (b) => await b.buildWorkload(layer, { config: b.resolveConfig('default'), seed: 1 })],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'vta-bench-fsim-'));
  // 'sram-inline': this build's sram mode with RunWriter on the running thread (a baseline of before
  // the writer thread ignores the option: same as its sram).
  const modes = ['outputs', 'digest', 'sram', 'sram-inline'] as const;
  const runs = await Promise.all(
    builds.map(async (b, k) => ({ b, store: b.TraceStore.open(join(dir, `b${k}.db`)), target: await b.createTarget('fsim') })),
  );
  for (const [label, make] of programs) {
    const bundles = await Promise.all(runs.map((r) => make(r.b)));
    // Modes (and builds) take turns, so a burst of load elsewhere on the machine hits them alike;
    // the first round is not timed (a program's first run compiles code paths, a cost that would
    // otherwise be counted in the untraced figure and flatter the ratios). Best of the timed rounds.
    const best = runs.map(() => ({}) as Record<string, number>);
    // Each round's times too: the median of per-round ratios is steadier than best over best on a
    // loaded machine, where one lucky untraced round moves every ratio.
    const times = runs.map(() => ({}) as Record<string, number[]>);
    for (let round = 0; round <= FSIM_ROUNDS; round++) {
      for (const [k, { b, store, target }] of runs.entries()) {
        for (const mode of modes) {
          const t0 = performance.now();
          const inline = mode === 'sram-inline';
          if (inline && b.label) continue;
          const spec = b.makeTraceSpec({ mode: inline ? 'sram' : mode });
          await b.traceRun({ target, bundle: bundles[k]!, spec, store, handleSigint: false, writer: inline ? { thread: false } : undefined });
          if (round === 0) continue;
          const t = performance.now() - t0;
          best[k]![mode] = Math.min(best[k]![mode] ?? Infinity, t);
          (times[k]![mode] ??= []).push(t);
        }
      }
    }
    for (const [k, { b }] of runs.entries()) {
      const base = best[k]!.outputs!;
      figures[`${b.label}fsim ${label}: untraced [s]`] = base / 1000;
      figures[`${b.label}fsim ${label}: digest / untraced (goal ≤ 1.3)`] = best[k]!.digest! / base;
      figures[`${b.label}fsim ${label}: sram / untraced (goal ≤ 3)`] = best[k]!.sram! / base;
      const t = times[k]!;
      figures[`${b.label}fsim ${label}: sram / untraced, median of rounds`] = median(t.sram!.map((x, i) => x / t.outputs![i]!));
      if (!b.label) figures[`fsim ${label}: sram with RunWriter on the running thread / untraced`] = best[k]!['sram-inline']! / base;
    }
  }
  for (const r of runs) {
    await r.target.close();
    r.store.close();
  }
  const layerBundle = await programs[1]![1](here);
  await storeFloor(here, programs[1]![0], layerBundle, dir, figures);
  await seriesOverhead(here, programs[1]![0], layerBundle, dir, figures);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Tracing overhead on tsim (our RTL under Verilator, default config): the simulator sends every
 * event it reports over its pipe, so the modes cost it too, most on a layer with few cycles per
 * byte written (C10, a 1×1 convolution) and little on a long one (C5). Medians of per-round
 * ratios, modes interleaved; VTA_BENCH_TRACER_TSIM_ROUNDS (default 10, 0 skips).
 */
async function tsimOverhead(figures: Record<string, number | string>): Promise<void> {
  const rounds = envInt('VTA_BENCH_TRACER_TSIM_ROUNDS', 10);
  if (rounds === 0) return;
  const dir = mkdtempSync(join(tmpdir(), 'vta-bench-tsim-trace-'));
  let target: Target | undefined;
  try {
    target = await createTarget('tsim');
    const store = TraceStore.open(join(dir, 'tsim.db'));
    for (const layer of ['conv:C10', 'conv:C5']) {
      const bundle = await buildWorkload(layer, { config: resolveConfig('default'), seed: 1 });
      const times: Record<string, number[]> = { outputs: [], digest: [], sram: [] };
      for (let round = 0; round <= rounds; round++) {
        for (const mode of Object.keys(times)) {
          const t0 = performance.now();
          await traceRun({ target, bundle, spec: makeTraceSpec({ mode }), store, handleSigint: false });
          if (round > 0) times[mode]!.push(performance.now() - t0);
        }
      }
      const ratio = (mode: string) => median(times[mode]!.map((t, i) => t / times.outputs![i]!));
      figures[`tsim ${layer}: untraced, median [s]`] = median(times.outputs!) / 1000;
      figures[`tsim ${layer}: digest / untraced, median of rounds`] = ratio('digest');
      figures[`tsim ${layer}: sram / untraced, median of rounds`] = ratio('sram');
    }
    store.close();
  } catch (e) {
    figures['tsim overhead'] = `skipped: ${(e as Error).message.split('\n')[0]}`;
  } finally {
    await target?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Seconds to write `mib` MiB to a new file in `dir` and fsync it: what a durable checkpoint is bound by. */
function syncedWrite(dir: string, mib: number): number {
  const file = join(dir, 'sync-probe');
  const chunk = Buffer.alloc(1 << 20, 1);
  const t0 = performance.now();
  const fd = openSync(file, 'w');
  for (let i = 0; i < mib; i++) writeSync(fd, chunk);
  fsyncSync(fd);
  closeSync(fd);
  const s = (performance.now() - t0) / 1000;
  rmSync(file);
  return s;
}

/**
 * How much of an sram run's time storing its rows takes by itself: the rows and digests one
 * sram run of the layer recorded, read back, then written again as a run into a file store by
 * RunWriter on this thread — startRun, the inserts, the one commit with the run's end: the SQLite
 * and kernel work every sram run pays, without fsim, the recorder or a second thread. Rounds
 * alternate with untraced runs of the layer into the same file; best and median of per-round
 * ratios. When this floor is near 3 by itself, sram ≤ 3× needs the writer thread to hide all of
 * it behind the run, which two busy threads on two cores cannot do every time.
 * Beside it, the least any SQLite store of these bytes costs: the same payloads (no addresses,
 * cycles, digests, run row or outputs) inserted and committed into a one-table database with
 * nothing but a primary key, same page size, journal and sync settings — no vta-trace code.
 */
async function storeFloor(b: Build, label: string, bundle: ProgramBundle, dir: string, figures: Record<string, number | string>): Promise<void> {
  const store = b.TraceStore.open(join(dir, 'floor.db'));
  const target = await b.createTarget('fsim');
  const sram = b.makeTraceSpec({ mode: 'sram' });
  const outputsSpec = b.makeTraceSpec({ mode: 'outputs' });
  const recorded = await b.traceRun({ target, bundle, spec: sram, store, handleSigint: false });
  const groups = store.eventGroups(recorded.runId);
  const chunks = store.digestChunks(recorded.runId);
  const outputs = recorded.result.outputs;
  const storeOnce = () => {
    const t0 = performance.now();
    const writer = store.startRun({ target: 'replay', bundle, spec: sram }, { thread: false });
    writer.groups(groups);
    for (const c of chunks) writer.digestChunk(c);
    writer.finish({ status: 'ok', outputs });
    return performance.now() - t0;
  };
  const untraced = async () => {
    const t0 = performance.now();
    await b.traceRun({ target, bundle, spec: outputsSpec, store, handleSigint: false });
    return performance.now() - t0;
  };
  const minimal = new Database(join(dir, 'minimal.db'));
  minimal.pragma(`page_size = ${PAGE_SIZE}`);
  minimal.pragma('journal_mode = WAL');
  minimal.pragma('synchronous = NORMAL');
  minimal.pragma(`wal_autocheckpoint = ${CHECKPOINT_BYTES / PAGE_SIZE}`);
  minimal.exec('CREATE TABLE e (run INTEGER, pc INTEGER, stream INTEGER, data BLOB, PRIMARY KEY (run, pc, stream))');
  const insert = minimal.prepare('INSERT INTO e VALUES (?, ?, ?, ?)');
  const payloads = groups.map((g) => [g.pc, STREAM_ID[g.stream] * 16 + g.part, toBlob(g.data)] as const);
  let minimalRun = 0;
  const minimalOnce = () => {
    const t0 = performance.now();
    const run = ++minimalRun;
    minimal.transaction(() => {
      for (const [pc, stream, data] of payloads) insert.run(run, pc, stream, data);
    })();
    return performance.now() - t0;
  };
  // Per way of storing: its best time and its per-round ratios to the untraced run.
  const ways = { store: { best: Infinity, ratios: [] as number[] }, minimal: { best: Infinity, ratios: [] as number[] } };
  let bestRun = Infinity;
  for (let round = 0; round <= FSIM_ROUNDS; round++) {
    const run = await untraced();
    const times = { store: storeOnce(), minimal: minimalOnce() };
    if (round === 0) continue;
    for (const way of ['store', 'minimal'] as const) {
      ways[way].ratios.push(times[way] / run);
      ways[way].best = Math.min(ways[way].best, times[way]);
    }
    bestRun = Math.min(bestRun, run);
  }
  await target.close();
  store.close();
  minimal.close();
  figures[`fsim ${label}: storing one sram run's rows alone (no fsim) / untraced run, best over best`] = ways.store.best / bestRun;
  figures[`fsim ${label}: storing one sram run's rows alone / untraced run, median of rounds`] = median(ways.store.ratios);
  figures[`fsim ${label}: SQLite alone, its payloads into a one-table database / untraced run, best over best`] = ways.minimal.best / bestRun;
  figures[`fsim ${label}: SQLite alone, one-table database / untraced run, median of rounds`] = median(ways.minimal.ratios);
}

/**
 * The best-of figures above leave out what a long series of runs into one file also pays: the
 * WAL checkpoints (one per 64 MiB of WAL, fsynced with synchronous = NORMAL). Here runs follow
 * one another into a fresh file, untraced then sram mode, and the mean per run counts every
 * checkpoint that came due; beside it the disk's synced write rate, which bounds that cost: each
 * byte of a run is written and synced twice (WAL, then the database at the checkpoint).
 */
async function seriesOverhead(b: Build, label: string, bundle: ProgramBundle, dir: string, figures: Record<string, number | string>): Promise<void> {
  const n = envInt('VTA_BENCH_TRACER_SERIES', 60);
  const file = join(dir, 'series.db');
  const store = b.TraceStore.open(file);
  const target = await b.createTarget('fsim');
  // Wall time and the process's CPU time (every thread: the run, the writer thread, SQLite's
  // checkpoints, V8's helpers) per run. On a machine with few cores the CPU figure bounds the
  // wall figure from below: CPU per run / cores.
  const cpu: Record<string, number> = {};
  const mean = async (mode: 'outputs' | 'sram') => {
    const spec = b.makeTraceSpec({ mode });
    for (let i = 0; i < 3; i++) await b.traceRun({ target, bundle, spec, store, handleSigint: false });
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await b.traceRun({ target, bundle, spec, store, handleSigint: false });
    const c = process.cpuUsage(c0);
    cpu[mode] = (c.user + c.system) / 1000 / n;
    return (performance.now() - t0) / n;
  };
  const untraced = await mean('outputs');
  const before = statSync(file).size;
  const sram = await mean('sram');
  await target.close();
  store.close();
  // After close the WAL is checkpointed into the file: its growth is what the sram runs stored.
  const mbPerRun = (statSync(file).size - before) / (n + 3) / 1e6;
  const mbPerSecond = 64 / 1.048576 / syncedWrite(dir, 64);
  figures[`fsim ${label}: series of ${n} runs, mean sram / mean untraced (checkpoints included)`] = sram / untraced;
  figures[`fsim ${label}: series, CPU per sram run / CPU per untraced run (all threads; ${availableParallelism()} cores)`] = cpu.sram! / cpu.outputs!;
  figures[`fsim ${label}: series, MB stored per sram run`] = mbPerRun;
  figures[`disk: synced write rate [MB/s] (64 MiB, then fsync)`] = mbPerSecond;
  figures[`fsim ${label}: series, floor of a durable sram run from the disk alone (2 × MB per run / rate) / untraced`] = (2 * mbPerRun * 1000) / mbPerSecond / untraced;
}

export async function benchTracer(): Promise<Record<string, number | string>> {
  const figures: Record<string, number | string> = {};
  const params = resolveConfig('default');
  const dir = mkdtempSync(join(tmpdir(), 'vta-bench-tracer-'));
  try {
    // 1. Sustained write rate.
    const writeEvents = envInt('VTA_BENCH_TRACER_EVENTS', 2e6);
    {
      // The writer thread (the default here) and RunWriter on the calling thread take turns; best of 3 each.
      const store = TraceStore.open(join(dir, 'write.db'));
      const insnCount = Math.max(2, Math.round(writeEvents / (ROWS_PER_INSN + 1)));
      const bundle = toyBundle(params, insnCount);
      const best = { thread: 0, inline: 0 };
      let events = 0;
      for (let round = 0; round < 3; round++) {
        for (const thread of [true, false]) {
          const r = recordSynthetic(store, params, bundle, makeTraceSpec({ mode: 'sram' }), 'synthetic', undefined, { thread });
          events = r.events;
          const key = thread ? 'thread' : 'inline';
          best[key] = Math.max(best[key], r.events / r.seconds);
        }
      }
      figures['sram-mode events stored'] = events;
      figures['sram-mode events/s, writer thread (goal ≥ 1e6)'] = best.thread;
      figures['sram-mode events/s, RunWriter on the recording thread'] = best.inline;
      store.close();
    }
    figures['threaded writer: copy of 2.85 MB of groups into hand-over batches [ms]'] = handOverCopyMs();
    // 2. First divergence between two stored runs, and GNU diff on the same traces as text.
    const diffEvents = envInt('VTA_BENCH_TRACER_DIFF_EVENTS', 1e7);
    {
      const store = TraceStore.open(join(dir, 'diff.db'));
      const insnCount = Math.max(2, Math.round(diffEvents / (ROWS_PER_INSN + 1)));
      const bundle = toyBundle(params, insnCount);
      const spec = makeTraceSpec({ mode: 'sram' });
      const faultAt = Math.floor(insnCount * 0.9);
      recordSynthetic(store, params, bundle, spec, 'reference');
      recordSynthetic(store, params, bundle, spec, 'faulty', faultAt);
      const [ra, rb] = store.runs().slice(-2).map((r) => r.id);
      const t0 = performance.now();
      const report = await findFirstDivergence(store, [ra!, rb!]);
      const engineSeconds = (performance.now() - t0) / 1000;
      if (report.first?.pc !== faultAt || report.first.addr !== (faultAt * ROWS_PER_INSN + 7) % params.inpDepth) {
        throw new Error(`benchmark sanity: expected divergence at #${faultAt}, got ${JSON.stringify(report.first?.pc)}`);
      }
      figures['events per run'] = store.run(ra!).eventCount;
      figures['first divergence, stored runs [s] (goal ≤ 1)'] = engineSeconds;
      const fa = join(dir, 'a.txt');
      const fb = join(dir, 'b.txt');
      await dumpText(store, params, ra!, fa, insnCount);
      await dumpText(store, params, rb!, fb, insnCount);
      const t1 = performance.now();
      const gnu = spawnSync('diff', [fa, fb], { stdio: ['ignore', 'ignore', 'ignore'] });
      const gnuSeconds = (performance.now() - t1) / 1000;
      if (gnu.status === 1) {
        figures['GNU diff on text traces [s]'] = gnuSeconds;
        figures['GNU diff time / engine time (goal ≥ 100)'] = gnuSeconds / engineSeconds;
      } else figures['GNU diff'] = `unavailable (status ${gnu.status})`;
      store.close();
    }
    await fsimOverhead(figures);
    await tsimOverhead(figures);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return figures;
}

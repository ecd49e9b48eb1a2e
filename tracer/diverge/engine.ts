/**
 * The divergence engine: given two or more stored runs of one bundle, name the first event on
 * which they disagree (the differing event with the smallest program index over all streams).
 * Phase 1 narrows to an instruction with digests; phase 2 reads (or re-runs) only a window of
 * instructions at full detail to name stream, buffer, address and lanes. Timing is judged
 * separately from values.
 */
import { deriveParams, type VtaParams } from '../../runtime/config/config.js';
import { sameBytes } from '../../runtime/typed-arrays.js';
import { decodeInsn } from '../../runtime/isa/codec.js';
import { disassemble } from '../../runtime/isa/disasm.js';
import { MODULES, moduleOf, type Module } from '../../runtime/isa/insn.js';
import type { BoardRecord } from '../../runtime/contract/board-digest.js';
import { STREAM_ID } from '../../runtime/contract/events.js';
import { DivergenceInputError } from '../errors.js';
import type { BundleInfo } from '../store/bundle-record.js';
import { assertSameDigestVersion } from '../store/digest-version.js';
import type { RunRow, TraceStore } from '../store/trace-store.js';
import { REPORT_FORMAT, type DivergenceReport, type FirstDivergence, type OutputComparison, type TimingComparison } from './divergence.js';
import { divergenceContext } from './context-diff.js';
import { differingLanes, laneLayout, lanesOf, type LaneLayout } from './lanes.js';
import { hintFor, type Hint } from './hints.js';
import { compareReads } from './read-diff.js';
import type { MemInsn } from '../../runtime/isa/insn.js';
import { rtlBehind, type ProbeMapOf } from './rtl-behind.js';
import { formatEvent } from '../report/event-line.js';
import { shownLanes } from '../report/lane-window.js';
import { firstDifferingInsn } from './phase1.js';
import { firstDifferingBoardRecord, type BoardPhase1Result } from './board-phase1.js';
import { runBoardRecords } from './stored-board-records.js';
import { reproduceCommand } from './reproduce.js';
import { comparedStreams, windowEvents, type Rerun, type WindowEvent } from './window-events.js';
import { digestNarrowing, parseSpecDescription } from '../spec.js';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { mnemonic } from '../../runtime/isa/disasm.js';
import type { KnownEntry } from '../known/known-file.js';
import { matchKnown } from '../known/match.js';
import { uopBufferAt } from '../known/uop-buffer.js';
import type { KnownHit } from './divergence.js';

export interface DivergenceOptions {
  /** Instructions before the divergent one read in phase 2 for context (default 8). */
  window?: number;
  /** Context lines in the unified diff (default 10). */
  contextLines?: number;
  rerun?: Rerun;
  /** The database file, for the reproduction command. */
  dbFile?: string;
  /** The probe map of a run's target when it is RTL: the report names the signals behind the event. */
  probes?: ProbeMapOf;
  /** Known differences to judge divergences by (docs/known-differences.md). */
  known?: KnownContext;
}

export interface KnownContext {
  entries: readonly KnownEntry[];
  /** The bundle, for conditions that need its micro-ops (absent: they are not checked). */
  bundle?: ProgramBundle;
  /** The design's declared uop depth, for uop-index-beyond. */
  uopDepth?: number;
}

/** How many known differences with propagates false the engine goes past looking for an unknown one. */
const MAX_KNOWN = 64;

const eventKey = (e: WindowEvent) => `${STREAM_ID[e.stream]}:${e.addr}`;

export async function findFirstDivergence(store: TraceStore, runIds: number[], opts: DivergenceOptions = {}): Promise<DivergenceReport> {
  if (runIds.length < 2) throw new DivergenceInputError(`need at least two runs to compare, got ${runIds.length}`);
  const runs = runIds.map((id) => store.run(id));
  const hashes = new Set(runs.map((r) => r.bundleHash));
  if (hashes.size > 1) {
    throw new DivergenceInputError(`runs ${runs.map((r) => `${r.id} (bundle ${r.bundleHash.slice(0, 12)})`).join(', ')} ran different bundles; only runs of one bundle can be compared`);
  }
  const bundle = store.bundle(runs[0]!.bundleHash);
  const params = deriveParams(JSON.parse(bundle.configJson), `bundle ${bundle.hash}`);
  const golden = store.expectedOutputs(bundle.hash);
  const outputs = compareOutputs(store, runs, golden);

  // A run whose target reported no events (a board without probes) has empty instruction
  // digests: then the runs are compared by board records when all have them (stored, or derived
  // from stored events), else by outputs — and the report says why.
  const keepDigests = runs.every((r) => r.mode !== 'outputs');
  const boardOnly = runs.filter((r) => !r.hostEvents);
  const board = keepDigests && boardOnly.length > 0 ? boardComparison(store, runs, bundle.insnCount) : undefined;
  const byBoard = board?.records !== undefined;
  const withDigests = keepDigests && boardOnly.length === 0;
  // Different digest definitions first: the scope message's advice (--buffers, --insn) would not help.
  if (withDigests) assertSameDigestVersion(runs);
  if (withDigests && new Set(runs.map((r) => r.digestScope)).size > 1) {
    throw new DivergenceInputError(
      `runs have different digest scopes (${runs.map((r) => `${r.id}: ${r.digestScope}`).join('; ')}): record them with the same --buffers and --insn`,
    );
  }
  const boardPhase1 = board?.records ? firstDifferingBoardRecord(board.records, bundle.insnCount) : undefined;
  const phase1 = boardPhase1 ?? (withDigests ? firstDifferingInsn(store, runIds) : { pc: undefined, laterInsns: 0 });
  let first: FirstDivergence | null = null;
  let laterEvents = 0;
  let odd: DivergenceReport['oddOneOut'] = null;
  const known: KnownHit[] = [];
  // Runs that lack the event of a known difference (e.g. never retired the instruction the design
  // does not accept): their abnormal end is that difference.
  const stoppedAtKnown = new Set<number>();
  const unchecked = new Set<string>();
  let explained = false;
  if (phase1.pc !== undefined) {
    let pc = phase1.pc;
    for (;;) {
      const located = boardPhase1
        ? await locateByBoard(store, runs, bundle, params, pc, boardPhase1, opts)
        : await locate(store, runs, bundle, params, pc, opts);
      const rtl = rtlBehind(located.first, runs, opts.probes);
      if (rtl.length) located.first.rtl = rtl;
      const verdict = opts.known?.entries.length ? judgeKnown(store, params, bundle, runs, located.first, opts.known) : undefined;
      for (const id of verdict?.unchecked ?? []) unchecked.add(id);
      const entry = verdict?.entry;
      if (first === null || !entry) {
        first = entry ? { ...located.first, known: refOf(entry) } : located.first;
        laterEvents = located.laterEvents;
        odd = located.oddRun !== undefined ? { runId: located.oddRun, target: runs.find((r) => r.id === located.oddRun)!.target, basis: 'majority' } : null;
      }
      if (!entry) {
        explained = false;
        break;
      }
      if (located.first.kind === 'missing') {
        for (const [id, v] of Object.entries(located.first.lanes?.values ?? {})) if (v === null) stoppedAtKnown.add(Number(id));
      }
      known.push({ pc, disasm: located.first.disasm, stream: located.first.stream ?? null, addr: located.first.addr ?? null, entry: refOf(entry) });
      explained = true;
      // A difference that feeds later instructions leaves nothing after it to judge; board records
      // give no later instruction to go on to.
      if (entry.propagates || boardPhase1 || known.length >= MAX_KNOWN) break;
      const next = firstDifferingInsn(store, runIds, pc);
      if (next.pc === undefined) break;
      pc = next.pc;
    }
  }
  if (!odd) odd = oddByGolden(runs, outputs);
  // A board that stopped (hang, crash…) and brought back nothing to compare by instruction has
  // not been shown to agree, whatever its outputs: its abnormal end is the verdict.
  const blindAbnormal = boardOnly.filter((r) => r.boardSource === null && r.status !== 'ok' && r.status !== 'mismatch');
  const valuesDiverge = first !== null || outputs.some((o) => !o.agree) || blindAbnormal.length > 0;
  // A run that ended abnormally is explained when it is the run that lacks a known difference's
  // event (it stopped there), or by an entry that names its status.
  const abnormalExplained = runs.every(
    (r) => r.status === 'ok' || r.status === 'mismatch' || stoppedAtKnown.has(r.id) || known.some((k) => entryStatuses(opts.known, k.entry.id).includes(r.status)),
  );
  const report: DivergenceReport = {
    format: REPORT_FORMAT,
    values: valuesDiverge ? 'diverge' : 'agree',
    verdict: !valuesDiverge ? 'agree' : explained && first !== null && abnormalExplained ? 'known' : 'diverge',
    known,
    knownUnchecked: [...unchecked],
    method: byBoard ? 'board-digests' : withDigests ? 'digests' : 'outputs',
    methodNote: board?.note ?? (withDigests && first === null && outputs.some((o) => !o.agree) ? outsideDigestsNote(runs[0]!) : null),
    bundle: { hash: bundle.hash, insnCount: bundle.insnCount, workload: bundle.workload ?? null },
    runs: runs.map((r) => ({ id: r.id, target: r.target, status: r.status, message: r.message, blocked: r.blocked, mode: r.mode, cycles: r.counters?.cycles ?? null })),
    first,
    oddOneOut: odd,
    later: { insns: phase1.laterInsns, events: laterEvents },
    outputs,
    timing: compareTiming(runs, first),
    abnormal: runs
      .filter((r) => r.status !== 'ok' && r.status !== 'mismatch')
      .map((r) => ({ runId: r.id, target: r.target, status: r.status, message: r.message, blocked: r.blocked })),
    reproduce: '',
  };
  report.reproduce = reproduceCommand(runs, bundle, first, opts.dbFile);
  return report;
}

const runLabel = (r: RunRow) => `run ${r.id} (${r.target})`;

const refOf = (e: KnownEntry) => ({ id: e.id, reason: e.reason, link: e.link ?? null, file: e.file });

function entryStatuses(ctx: KnownContext | undefined, id: string): string[] {
  return ctx?.entries.find((e) => e.id === id)?.match.status ?? [];
}

/** Which known-differences entry, if any, explains a divergence. */
function judgeKnown(store: TraceStore, params: VtaParams, bundle: BundleInfo, runs: RunRow[], f: FirstDivergence, ctx: KnownContext) {
  let insn;
  try {
    insn = decodeInsn(params, store.insnBytes(bundle.hash, f.pc), 0, f.pc);
  } catch {
    return undefined;
  }
  return matchKnown(ctx.entries, {
    insn,
    mnemonic: mnemonic(params, insn),
    module: moduleOf(insn),
    ...(f.stream !== undefined ? { stream: f.stream } : {}),
    ...(f.kind !== undefined ? { kind: f.kind } : {}),
    statuses: runs.map((r) => r.status),
    ...(ctx.bundle ? { uops: uopBufferAt(ctx.bundle, f.pc), bundle: ctx.bundle, pc: f.pc } : {}),
    ...(ctx.uopDepth !== undefined ? { uopDepth: ctx.uopDepth } : {}),
  });
}

/**
 * Every instruction digest agrees yet the outputs differ: when the runs digested only part of the
 * program (their digest scopes are the same, checked above), what differs lies outside it.
 */
function outsideDigestsNote(run: RunRow): string | null {
  const { covers, flags } = digestNarrowing(parseSpecDescription(run.spec));
  if (!covers.length) return null;
  return `every instruction digest agrees, but the runs digested only ${covers.join(' and ')}; the outputs differ, so what differs lies outside that: record again without ${flags.join(' and ')}`;
}

/**
 * Every run's board records when all have or can derive them, with a note on what was derived;
 * else no records and a note saying why the runs are compared by outputs and how to get more.
 */
function boardComparison(store: TraceStore, runs: RunRow[], insnCount: number): { records?: BoardRecord[][]; note: string | null } {
  const got = runs.map((r) => ({ run: r, ...runBoardRecords(store, r, insnCount) }));
  const missing = got.filter((g) => g.records === undefined);
  // A board-only run without records leaves nothing to compare by instruction, whatever the others kept.
  const blind = missing.filter((g) => !g.run.hostEvents);
  const lacking = blind.length ? blind : missing;
  const boardOnly = runs.filter((r) => !r.hostEvents).map(runLabel).join(', ');
  if (lacking.length) {
    const why = lacking.map((g) => `${runLabel(g.run)}: ${'why' in g ? g.why : ''}${g.run.status !== 'ok' && g.run.status !== 'mismatch' ? ` (it ended ${g.run.status})` : ''}`).join('; ');
    const finer = lacking.some((g) => g.run.hostEvents)
      ? `; for a comparison by instruction, run the targets again together (vta-trace diff <targets> --workload|--bundle … on a configuration with TRACE_UNIT computes the board records of the runs with events) or store the other runs with --mode full`
      : '';
    return { note: `compared by outputs only: ${boardOnly} returned no events, so the runs can be compared by instruction only through board records, and not every run has them — ${why}${finer}`, records: undefined };
  }
  const derived = got.filter((g) => 'derived' in g && g.derived).map((g) => runLabel(g.run));
  return {
    records: got.map((g) => g.records!),
    note: derived.length ? `board records of ${derived.join(', ')} derived from the stored events (the run was stored without them), to compare with ${boardOnly}` : null,
  };
}

function insnAt(store: TraceStore, params: VtaParams, bundle: BundleInfo, pc: number): { module: Module | null; disasm: string } {
  try {
    const insn = decodeInsn(params, store.insnBytes(bundle.hash, pc), 0, pc);
    return { module: moduleOf(insn), disasm: disassemble(params, insn) };
  } catch (e) {
    return { module: null, disasm: `(undecodable: ${(e as Error).message})` };
  }
}

interface Located {
  first: FirstDivergence;
  laterEvents: number;
  oddRun?: number;
}

async function locate(store: TraceStore, runs: RunRow[], bundle: BundleInfo, params: VtaParams, pc: number, opts: DivergenceOptions): Promise<Located> {
  const span = opts.window ?? 8;
  const win = { from: Math.max(0, pc - span), to: pc + 1 };
  const windows = await Promise.all(runs.map((r) => windowEvents(store, r, bundle, win, opts.rerun)));
  const base = unlocated(store, params, bundle, pc, runs[0]!.id, runs[1]!.id);
  // Compare only streams every run covers; a difference found there is the first one only if
  // no uncovered stream orders before it.
  const wanted = comparedStreams(parseSpecDescription(runs[0]!.spec));
  const common = wanted.filter((s) => windows.every((w) => w.streams.includes(s)));
  const commonIds = new Set(common.map((s) => STREAM_ID[s]));
  const perRun = windows.map((w) => w.events.filter((e) => commonIds.has(STREAM_ID[e.stream])));
  const atPc = perRun.map((evs) => new Map(evs.filter((e) => e.pc === pc).map((e) => [eventKey(e), e])));
  const keys = [...new Set(atPc.flatMap((m) => [...m.keys()]))].sort(compareKeys);
  const differing = keys.filter((k) => !atPc.every((m) => sameBytes(m.get(k)?.data, atPc[0]!.get(k)?.data)));
  const firstSid = differing.length ? Number(differing[0]!.split(':')[0]) : Infinity;
  const explained = differing.length > 0 && wanted.every((s) => STREAM_ID[s] >= firstSid || commonIds.has(STREAM_ID[s]));
  const failures = runs.flatMap((r, i) => (windows[i]!.rerunFailed !== undefined ? [{ runId: r.id, target: r.target, reason: windows[i]!.rerunFailed! }] : []));
  const detail: FirstDivergence['detail'] = failures.length ? 're-run failed' : windows.some((w) => w.source === 're-run') ? 're-run' : 'stored';
  const withFailures = failures.length ? { rerunFailures: failures } : {};
  if (!explained) {
    // The digests differ but the available events cannot say where: name the instruction only.
    return { first: common.length === wanted.length ? { ...base, detail, ...withFailures } : { ...base, ...withFailures }, laterEvents: 0 };
  }
  const key = differing[0]!;
  const values = atPc.map((m) => m.get(key));
  const { expectedIdx, actualIdx, oddIdx } = pickExpected(values.map((v) => v?.data));
  const ev = values[expectedIdx] ?? values[actualIdx]!;
  const layout = laneLayout(params, ev.stream);
  const lanes = Object.fromEntries(runs.map((r, i) => [String(r.id), values[i] ? lanesOf(layout, values[i]!.data) : null]));
  const retireCycle = (i: number) => perRun[i]!.find((e) => e.pc === pc && e.addr === -1)?.cycle ?? null;
  const expLanes = lanes[String(runs[expectedIdx]!.id)] ?? undefined;
  const actLanes = lanes[String(runs[actualIdx]!.id)] ?? undefined;
  const differ = differingLanes(expLanes, actLanes);
  const expected = values[expectedIdx];
  const actual = values[actualIdx];
  const hint = expected && actual ? rowHint(layout, pc, perRun[expectedIdx]!, expected, actual, expLanes!, actLanes!, differ) : null;
  const first: FirstDivergence = {
    ...base,
    located: true,
    stream: ev.stream,
    buffer: ev.stream.startsWith('sram.') ? ev.stream.slice(5) : ev.stream === 'dram.store' ? 'dram' : ev.stream.startsWith('insn.') ? 'insn' : ev.stream,
    addr: ev.addr,
    kind: values.some((v) => v === undefined) ? 'missing' : 'value',
    expectedRun: runs[expectedIdx]!.id,
    actualRun: runs[actualIdx]!.id,
    lanes: {
      width: layout.width,
      values: lanes,
      differing: differ,
    },
    hint,
    cycles: Object.fromEntries(runs.map((r, i) => [String(r.id), values[i]?.cycle ?? retireCycle(i)])),
    context: contextDiff(params, runs, perRun, expectedIdx, actualIdx, pc, key, opts.contextLines ?? 10, shownLanes(Math.max(expLanes?.length ?? 0, actLanes?.length ?? 0), differ)),
    detail,
    ...withFailures,
  };
  // A run that lacks the event (never retired the instruction) read only part of what it meant to.
  const read = first.kind !== 'value' ? undefined : compareReads(params, memInsnAt(store, params, bundle, pc), runs, windows, pc, first.expectedRun, first.actualRun);
  if (read) first.read = read;
  // A row that matches no other row may still be explained by where the load read it from.
  if (!first.hint && read?.hint) first.hint = read.hint;
  return { first, laterEvents: differing.length - 1, oddRun: oddIdx === undefined ? undefined : runs[oddIdx]!.id };
}

/** The instruction at `pc` when it is a LOAD or STORE (undecodable: undefined). */
function memInsnAt(store: TraceStore, params: VtaParams, bundle: BundleInfo, pc: number): MemInsn | undefined {
  try {
    const insn = decodeInsn(params, store.insnBytes(bundle.hash, pc), 0, pc);
    return insn.opcode === 0 || insn.opcode === 1 ? (insn as MemInsn) : undefined;
  } catch {
    return undefined;
  }
}

/** What the actual row looks like, from the expected run's rows of the same stream in the window (hints.ts). */
function rowHint(layout: LaneLayout, pc: number, expectedRun: WindowEvent[], exp: WindowEvent, act: WindowEvent, e: number[], a: number[], differing: number[]): Hint | null {
  // Iteration records lead with index words; the hints look at the lanes alone.
  if (layout.headerWords) return null;
  const writes = expectedRun.filter((w) => w.stream === exp.stream && w.addr !== -1).sort((x, y) => x.pc - y.pc);
  return hintFor({
    pc,
    addr: exp.addr,
    width: layout.width,
    signed: layout.signed,
    expected: e,
    actual: a,
    differing,
    expectedData: exp.data,
    actualData: act.data,
    writes,
    formatAddr: exp.stream === 'dram.store' ? (x) => `0x${x.toString(16)}` : String,
  });
}

/** The instruction at `pc`, named but not located in a buffer. */
function unlocated(store: TraceStore, params: VtaParams, bundle: BundleInfo, pc: number, expectedRun: number, actualRun: number): FirstDivergence {
  return { pc, ...insnAt(store, params, bundle, pc), source: store.sourceMapEntry(bundle.hash, pc), located: false, expectedRun, actualRun, cycles: {} };
}

/** A board record as bytes (module, digest), so pickExpected can group runs by it. */
function recordBytes(r: BoardRecord | undefined): Uint8Array | undefined {
  if (!r) return undefined;
  const b = new Uint8Array(5);
  b[0] = MODULES.indexOf(r.module);
  new DataView(b.buffer).setUint32(1, r.digest, true);
  return b;
}

/**
 * Phase 2 when phase 1 compared board records: the runs that have events (re-read or re-run)
 * are compared among themselves to name buffer, address and lanes; a board-only run takes part
 * only through its record, which names the instruction and module. The expected value and the
 * odd one out come from the records, where every run has a say.
 */
async function locateByBoard(store: TraceStore, runs: RunRow[], bundle: BundleInfo, params: VtaParams, pc: number, p1: BoardPhase1Result, opts: DivergenceOptions): Promise<Located> {
  const pick = pickExpected(p1.atPc.map(recordBytes));
  const oddRun = pick.oddIdx === undefined ? undefined : runs[pick.oddIdx]!.id;
  const board = {
    digests: Object.fromEntries(runs.map((r, i) => [String(r.id), p1.atPc[i]?.digest ?? null])),
    boardOnly: runs.filter((r) => !r.hostEvents).map((r) => r.id),
  };
  const detailed = runs.filter((r) => r.hostEvents);
  if (detailed.length >= 2) {
    const inner = await locate(store, detailed, bundle, params, pc, opts);
    if (inner.first.located) return { first: { ...inner.first, board }, laterEvents: inner.laterEvents, oddRun: oddRun ?? inner.oddRun };
  }
  const first = unlocated(store, params, bundle, pc, runs[pick.expectedIdx]!.id, runs[pick.actualIdx]!.id);
  return { first: { ...first, board }, laterEvents: 0, oddRun };
}

function compareKeys(a: string, b: string): number {
  const [sa, aa] = a.split(':').map(Number);
  const [sb, ab] = b.split(':').map(Number);
  return sa! - sb! || aa! - ab!;
}

/**
 * Which run holds the expected value: the majority when one exists (then a lone dissenter is
 * the odd one out), else the first run (the reference, e.g. fsim in `diff fsim tsim`).
 */
function pickExpected(values: (Uint8Array | undefined)[]): { expectedIdx: number; actualIdx: number; oddIdx?: number } {
  // Two runs that both lack the event agree on it (sameBytes alone calls two absences different).
  const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) => (a === undefined && b === undefined) || sameBytes(a, b);
  const classes: number[][] = [];
  values.forEach((v, i) => {
    const c = classes.find((cl) => same(values[cl[0]!], v));
    if (c) c.push(i);
    else classes.push([i]);
  });
  classes.sort((a, b) => b.length - a.length || a[0]! - b[0]!);
  const major = classes[0]!;
  if (values.length >= 3 && major.length > values.length / 2) {
    const dissenters = classes.slice(1).flat();
    return { expectedIdx: major[0]!, actualIdx: dissenters[0]!, oddIdx: dissenters.length === 1 ? dissenters[0] : undefined };
  }
  // No majority: the reference is the first run, even when it lacks the event (the other run has
  // an extra one); the actual run is the first that disagrees with it.
  const expectedIdx = 0;
  const actualIdx = values.findIndex((v) => !same(v, values[0]));
  return { expectedIdx, actualIdx: actualIdx < 0 ? 1 : actualIdx };
}

/**
 * The events before (and including) the first differing one, expected vs actual, as a unified
 * diff. Rows of the divergent stream show the divergent lanes (`shown`) and their neighbours;
 * other wide rows their first lanes: every line before the divergent one agrees on all lanes.
 */
function contextDiff(params: VtaParams, runs: RunRow[], perRun: WindowEvent[][], ei: number, ai: number, pc: number, key: string, lines: number, shown: number[]): string {
  const sid = Number(key.split(':')[0]);
  const firstLanes = [0, 1, 2, 3, 4, 5, 6, 7];
  // Three times the context on each side, so the diff can line the two tails up itself.
  const upTo = (evs: WindowEvent[]) => {
    const sorted = [...evs].sort((a, b) => a.pc - b.pc || compareKeys(eventKey(a), eventKey(b)));
    const kept = sorted.filter((e) => e.pc < pc || (e.pc === pc && compareKeys(eventKey(e), key) <= 0));
    return kept.slice(-3 * lines).map((e) => formatEvent(params, e, STREAM_ID[e.stream] === sid ? shown : firstLanes));
  };
  const name = (i: number) => `run ${runs[i]!.id} (${runs[i]!.target})`;
  return divergenceContext(name(ei), name(ai), upTo(perRun[ei]!), upTo(perRun[ai]!), lines);
}

function compareOutputs(store: TraceStore, runs: RunRow[], golden: Record<string, Uint8Array> | undefined): OutputComparison[] {
  const per = runs.map((r) => new Map(store.outputs(r.id).map((o) => [o.name, o.bytes])));
  const names = [...new Set(per.flatMap((m) => [...m.keys()]).concat(Object.keys(golden ?? {})))].sort();
  return names.map((name) => {
    const bytes = per.map((m) => m.get(name));
    let firstDifference: number | null = null;
    let differingBytes = 0;
    const ref = bytes[0];
    const len = Math.max(...bytes.map((b) => b?.length ?? 0));
    for (let i = 0; i < len; i++) {
      if (bytes.some((b) => b?.[i] !== ref?.[i])) {
        differingBytes++;
        if (firstDifference === null) firstDifference = i;
      }
    }
    const want = golden?.[name];
    const goldenMismatch = want ? runs.filter((_, i) => !sameBytes(bytes[i], want)).map((r) => r.id) : null;
    return { name, agree: differingBytes === 0 && bytes.every((b) => b !== undefined), firstDifference, differingBytes, goldenMismatch };
  });
}

function oddByGolden(runs: RunRow[], outputs: OutputComparison[]): DivergenceReport['oddOneOut'] {
  const bad = new Set(outputs.flatMap((o) => o.goldenMismatch ?? []));
  if (bad.size !== 1 || runs.length < 2) return null;
  const id = [...bad][0]!;
  return { runId: id, target: runs.find((r) => r.id === id)!.target, basis: 'golden' };
}

function compareTiming(runs: RunRow[], first: FirstDivergence | null): TimingComparison {
  const cycles = Object.fromEntries(runs.map((r) => [String(r.id), r.counters?.cycles ?? null]));
  const modules = Object.fromEntries(MODULES.map((m) => [m, Object.fromEntries(runs.map((r) => [String(r.id), r.moduleCycles?.[m] ?? null]))])) as TimingComparison['modules'];
  const exp = String(first?.expectedRun ?? runs[0]!.id);
  const act = String(first?.actualRun ?? runs[1]!.id);
  const moduleDelta = Object.fromEntries(
    MODULES.map((m) => {
      const a = modules[m][exp];
      const b = modules[m][act];
      return [m, a === null || a === undefined || b === null || b === undefined ? null : b - a];
    }),
  ) as TimingComparison['moduleDelta'];
  const totals = Object.values(cycles);
  const differs = totals.some((c) => c !== totals[0]) || MODULES.some((m) => new Set(Object.values(modules[m])).size > 1);
  const minus = (b: number | null | undefined, a: number | null | undefined) => (a === null || a === undefined || b === null || b === undefined ? null : b - a);
  const byRun = Object.fromEntries(
    runs
      .filter((r) => String(r.id) !== exp)
      .map((r) => {
        const id = String(r.id);
        return [id, { total: minus(cycles[id], cycles[exp]), ...Object.fromEntries(MODULES.map((m) => [m, minus(modules[m][id], modules[m][exp])])) }];
      }),
  ) as TimingComparison['deltaFromReference'];
  return { verdict: differs ? 'differs' : 'same', cycles, modules, moduleDelta, reference: Number(exp), deltaFromReference: byRun };
}

/**
 * The divergence engine checked against a simple, independent "first differing event": seeded
 * random pairs and triples of event scripts that differ at random places (an extra write, a
 * missing write, writes reordered within an instruction, a changed payload, an instruction that
 * does not retire, a run that stops early), over every stream, recorded with events stored
 * (`sram`, `full`) and with digests only (`digest`, the window re-run at full detail).
 *
 * The reference below knows nothing of digests, chunks or windows: per instruction it keeps the
 * last write per (stream, address) of each run plus its retire, and the first instruction (in
 * program order) and then the first (stream, address) on which the runs' values are not all
 * equal is the first divergence. The documented rules it shares with the engine: iteration
 * streams are never compared (docs/trace-schema.md), an instruction no run retired has no digest
 * anywhere and so is not compared, and the expected run is the majority's first run when one
 * exists, else the first run.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { seededRand, type Rand } from '../../runtime/workloads/workload-kit.js';
import { STREAM_ID, retireStream, type Stream } from '../../runtime/contract/events.js';
import { MemoryRecordSink, Recorder } from '../recorder.js';
import { renderTextReport } from '../report/text-report.js';
import { makeTraceSpec } from '../spec.js';
import { TraceStore } from '../store/trace-store.js';
import { createScriptedTarget, type ScriptedInsn, type ScriptedWrite } from '../testing/scripted.js';
import { toyBundle, toyInsn } from '../testing/toy.js';
import { traceRun } from '../trace-run.js';
import { moduleOf } from '../../runtime/isa/insn.js';
import { findFirstDivergence } from './engine.js';
import type { Rerun } from './window-events.js';

const params = resolveConfig('default');
const WRITE_STREAMS = ['sram.uop', 'sram.inp', 'sram.wgt', 'sram.acc', 'sram.out', 'dram.store', 'gemm.iter', 'alu.iter'] as const;
const ITER = new Set<string>(['gemm.iter', 'alu.iter']);

function elemLen(stream: ScriptedWrite['stream']): number {
  switch (stream) {
    case 'sram.uop':
      return params.elemBytes.uop;
    case 'sram.inp':
      return params.elemBytes.inp;
    case 'sram.wgt':
      return params.elemBytes.wgt;
    case 'sram.acc':
      return params.elemBytes.acc;
    case 'sram.out':
    case 'dram.store':
      return params.elemBytes.out;
    default:
      return 12 + params.elemBytes.acc;
  }
}

/** Lane width in bytes as the report splits payloads (every lane of the default config is whole bytes). */
function laneBytes(stream: Stream): number {
  if (stream === 'sram.acc' || stream === 'sram.uop') return 4;
  return 1;
}

function randomWrite(rand: Rand): ScriptedWrite {
  const stream = WRITE_STREAMS[rand(WRITE_STREAMS.length)]!;
  // Few addresses and few distinct byte values: repeats of an address (last write wins) are common.
  const data = Uint8Array.from({ length: elemLen(stream) }, () => rand(3));
  return { stream, addr: rand(4), data };
}

function baseScript(rand: Rand, n: number): ScriptedInsn[] {
  return Array.from({ length: n }, () => ({ writes: Array.from({ length: rand(4) }, () => randomWrite(rand)), retire: true }));
}

const copy = (s: ScriptedInsn[]): ScriptedInsn[] => s.map((i) => ({ writes: i.writes.map((w) => ({ ...w, data: w.data.slice() })), retire: i.retire }));

/** One random change of a script, in place; returns what it did (for failure messages). */
function mutate(rand: Rand, s: ScriptedInsn[]): string {
  if (!s.length) return 'nothing';
  const pc = rand(s.length);
  const insn = s[pc]!;
  switch (rand(6)) {
    case 0:
      insn.writes.splice(rand(insn.writes.length + 1), 0, randomWrite(rand));
      return `extra write at #${pc}`;
    case 1:
      if (!insn.writes.length) return 'nothing';
      insn.writes.splice(rand(insn.writes.length), 1);
      return `missing write at #${pc}`;
    case 2:
      for (let i = insn.writes.length - 1; i > 0; i--) {
        const j = rand(i + 1);
        [insn.writes[i], insn.writes[j]] = [insn.writes[j]!, insn.writes[i]!];
      }
      return `reordered #${pc}`;
    case 3: {
      if (!insn.writes.length) return 'nothing';
      const w = insn.writes[rand(insn.writes.length)]!;
      w.data[rand(w.data.length)] ^= 1 + rand(255);
      return `changed a write at #${pc}`;
    }
    case 4:
      insn.retire = false;
      return `#${pc} does not retire`;
    default:
      s.length = pc;
      return `stops before #${pc}`;
  }
}

interface Expected {
  pc: number;
  stream: Stream;
  addr: number;
  kind: 'value' | 'missing';
  expectedIdx: number;
  actualIdx: number;
  oddIdx?: number;
  differingLanes?: number[];
  /** Whether each run has the event. */
  has: boolean[];
  laterInsns: number;
  laterEvents: number;
}

const sameOrBothAbsent = (a: Uint8Array | undefined, b: Uint8Array | undefined) => (a === undefined ? b === undefined : b !== undefined && a.length === b.length && a.every((x, i) => x === b[i]));

/** The independent first differing event (see the file comment). */
function referenceFirst(scripts: ScriptedInsn[][], insnCount: number): Expected | null {
  const program = toyBundle(params, insnCount).buffers[0]!.bytes;
  const eventsAt = (s: ScriptedInsn[], pc: number) => {
    const m = new Map<string, { stream: Stream; addr: number; data: Uint8Array }>();
    const insn = s[pc];
    if (!insn) return m;
    for (const w of insn.writes) if (!ITER.has(w.stream)) m.set(`${w.stream}:${w.addr}`, { stream: w.stream as Stream, addr: w.addr, data: w.data });
    const stream = retireStream(moduleOf(toyInsn(pc, insnCount)));
    if (insn.retire) m.set(`${stream}:-1`, { stream, addr: -1, data: program.subarray(pc * 16, pc * 16 + 16) });
    return m;
  };
  const differs = (pc: number): string[] => {
    const retired = scripts.map((s) => s[pc]?.retire === true);
    if (!retired.some((r) => r)) return [];
    const maps = scripts.map((s) => eventsAt(s, pc));
    const keys = [...new Set(maps.flatMap((m) => [...m.keys()]))];
    const order = (k: string) => {
      const e = maps.find((m) => m.has(k))!.get(k)!;
      return [STREAM_ID[e.stream], e.addr] as const;
    };
    keys.sort((a, b) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1]);
    return keys.filter((k) => !maps.every((m) => sameOrBothAbsent(m.get(k)?.data, maps[0]!.get(k)?.data)));
  };
  let first: number | undefined;
  let later = 0;
  for (let pc = 0; pc < insnCount; pc++) {
    if (!differs(pc).length) continue;
    if (first === undefined) first = pc;
    else later++;
  }
  if (first === undefined) return null;
  const keys = differs(first);
  const maps = scripts.map((s) => eventsAt(s, first!));
  const values = maps.map((m) => m.get(keys[0]!));
  const ev = values.find((v) => v)!;
  // Expected: the majority's first run (three runs or more), else the first run.
  const groups: number[][] = [];
  values.forEach((v, i) => {
    const g = groups.find((gr) => sameOrBothAbsent(values[gr[0]!]?.data, v?.data));
    if (g) g.push(i);
    else groups.push([i]);
  });
  const major = groups.reduce((a, b) => (b.length > a.length ? b : a));
  let expectedIdx = 0;
  let oddIdx: number | undefined;
  if (values.length >= 3 && major.length * 2 > values.length) {
    expectedIdx = major[0]!;
    const dissenters = values.map((_, i) => i).filter((i) => !major.includes(i));
    if (dissenters.length === 1) oddIdx = dissenters[0];
  }
  const actualIdx = values.findIndex((v, i) => i !== expectedIdx && !sameOrBothAbsent(v?.data, values[expectedIdx]?.data));
  const kind = values.some((v) => !v) ? 'missing' : 'value';
  let differingLanes: number[] | undefined;
  if (kind === 'value') {
    const lb = laneBytes(ev.stream);
    const a = values[expectedIdx]!.data;
    const b = values[actualIdx]!.data;
    differingLanes = [];
    for (let l = 0; l * lb < a.length; l++) if (!sameOrBothAbsent(a.subarray(l * lb, (l + 1) * lb), b.subarray(l * lb, (l + 1) * lb))) differingLanes.push(l);
  }
  return { pc: first, stream: ev.stream, addr: ev.addr, kind, expectedIdx, actualIdx, oddIdx, differingLanes, has: values.map((v) => v !== undefined), laterInsns: later, laterEvents: keys.length - 1 };
}

/** What the cases covered, so the generator cannot drift into testing only the easy outcomes. */
type Outcome = 'agree' | 'value' | 'missing' | 'extra' | 'odd';

async function check(seed: number, mode: 'sram' | 'full' | 'digest', seen: Set<Outcome>): Promise<void> {
  const rand = seededRand(seed);
  const insnCount = 3 + rand(14);
  const base = baseScript(rand, insnCount);
  const runCount = 2 + rand(2);
  const changes: string[] = [];
  const scripts = Array.from({ length: runCount }, (_, i) => {
    const s = copy(base);
    // Each run changed a few times, or not at all (so agreeing runs and majorities occur).
    const n = rand(3);
    for (let k = 0; k < n; k++) changes.push(`run ${i}: ${mutate(rand, s)}`);
    return s;
  });
  const names = scripts.map((_, i) => `r${i}`);
  const store = TraceStore.open(':memory:');
  try {
    const bundle = toyBundle(params, insnCount);
    const ids: number[] = [];
    for (let i = 0; i < runCount; i++) {
      const r = await traceRun({ target: createScriptedTarget(names[i]!, scripts[i]!), bundle, spec: makeTraceSpec({ mode }), store, handleSigint: false });
      ids.push(r.runId);
    }
    const rerun: Rerun = async ({ run, spec }) => {
      const sink = new MemoryRecordSink();
      const rec = new Recorder(spec, run.insnCount, sink);
      await createScriptedTarget(run.target, scripts[names.indexOf(run.target)]!).run({ bundle, sink: rec });
      rec.finish();
      return sink.eventGroups;
    };
    const report = await findFirstDivergence(store, ids, { rerun });
    renderTextReport(report);
    const want = referenceFirst(scripts, insnCount);
    const why = `seed ${seed}, mode ${mode}, ${runCount} runs of ${insnCount} instructions: ${changes.join('; ') || 'no change'}`;
    if (!want) {
      expect(report.first, why).toBeNull();
      expect(report.values, why).toBe('agree');
      seen.add('agree');
      return;
    }
    expect(report.values, why).toBe('diverge');
    expect(report.first, why).toMatchObject({
      pc: want.pc,
      located: true,
      stream: want.stream,
      addr: want.addr,
      kind: want.kind,
      expectedRun: ids[want.expectedIdx],
      actualRun: ids[want.actualIdx],
      detail: mode === 'digest' ? 're-run' : 'stored',
    });
    expect(report.later, why).toEqual({ insns: want.laterInsns, events: want.laterEvents });
    seen.add(want.kind === 'value' ? 'value' : want.has[want.expectedIdx] ? 'missing' : 'extra');
    if (want.oddIdx !== undefined) seen.add('odd');
    if (want.oddIdx !== undefined) expect(report.oddOneOut, why).toEqual({ runId: ids[want.oddIdx], target: names[want.oddIdx], basis: 'majority' });
    if (want.differingLanes) expect(report.first!.lanes!.differing, why).toEqual(want.differingLanes);
    for (let i = 0; i < runCount; i++) {
      expect(report.first!.lanes!.values[String(ids[i])] !== null, `${why}: run ${i} has the event`).toBe(want.has[i]);
    }
  } finally {
    store.close();
  }
}

const CASES = Number(process.env.VTA_ENGINE_PROPERTY_CASES ?? 150);

describe('findFirstDivergence against an independent first differing event', () => {
  for (const mode of ['sram', 'full', 'digest'] as const) {
    it(`${CASES} seeded pairs and triples of event scripts, mode ${mode}: same first event, runs, kind, lanes and later counts; never throws`, async () => {
      const seen = new Set<Outcome>();
      for (let seed = 1; seed <= CASES; seed++) await check(seed * 7919 + mode.length, mode, seen);
      expect([...seen].sort()).toEqual(['agree', 'extra', 'missing', 'odd', 'value']);
    });
  }
});

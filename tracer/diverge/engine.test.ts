import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import type { Target } from '../../runtime/contract/target.js';
import { DivergenceInputError } from '../errors.js';
import { MemoryRecordSink, Recorder } from '../recorder.js';
import { renderTextReport } from '../report/text-report.js';
import { makeTraceSpec, type TraceSpecOptions } from '../spec.js';
import { TraceStore } from '../store/trace-store.js';
import { createScriptedTarget, type ScriptedInsn } from '../testing/scripted.js';
import { createToyTarget, toyBundle, toyLane, type ToyOptions } from '../testing/toy.js';
import { traceRun } from '../trace-run.js';
import { findFirstDivergence } from './engine.js';
import type { Rerun } from './window-events.js';

const params = resolveConfig('default');
let dir: string;
let store: TraceStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vta-engine-'));
  store = TraceStore.open(join(dir, 't.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function record(toy: ToyOptions, spec: TraceSpecOptions = { mode: 'sram' }, insnCount = 41, expectedOut?: Uint8Array) {
  const r = await traceRun({ target: createToyTarget(toy), bundle: toyBundle(params, insnCount, { expectedOut }), spec: makeTraceSpec(spec), store });
  return r.runId;
}

/** A re-run hook as the CLI provides it: run the toy target again with the window spec into memory. */
const toyRerun =
  (byTarget: Record<string, ToyOptions>): Rerun =>
  async ({ run, spec }) => {
    const target: Target = createToyTarget(byTarget[run.target]);
    const sink = new MemoryRecordSink();
    const rec = new Recorder(spec, run.insnCount, sink);
    await target.run({ bundle: toyBundle(params, run.insnCount), sink: rec });
    rec.finish();
    return sink.eventGroups;
  };

describe('first divergence', () => {
  it('runs that write the same final state in different orders agree', async () => {
    const a = await record({ name: 'A' });
    const b = await record({ name: 'B', scramble: true });
    const r = await findFirstDivergence(store, [a, b]);
    expect(r.values).toBe('agree');
    expect(r.first).toBeNull();
    expect(r.timing.verdict).toBe('same');
    expect(renderTextReport(r)).toMatch(/^values agree/);
  });

  it('names the injected instruction, buffer, address and lane from stored events', async () => {
    const a = await record({ name: 'good' });
    // Toy: instruction 9 is a GEMM writing ACC rows 36..39; flip lane 5 of row 37.
    const b = await record({ name: 'bad', fault: { pc: 9, lane: 5, row: 1, propagate: true } });
    const r = await findFirstDivergence(store, [a, b]);
    expect(r.values).toBe('diverge');
    const f = r.first!;
    expect(f).toMatchObject({ pc: 9, module: 'compute', located: true, stream: 'sram.acc', buffer: 'acc', addr: 37, kind: 'value', expectedRun: a, actualRun: b, detail: 'stored' });
    expect(f.disasm).toMatch(/^GEMM/);
    expect(f.source).toEqual({ op: 'toy', loop: { step: 2 } });
    expect(f.lanes!.differing).toEqual([5]);
    expect(f.lanes!.values[String(a)]![5]).toBe(toyLane(9, 37, 5) | 0);
    expect(f.lanes!.values[String(b)]![5]).toBe((toyLane(9, 37, 5) ^ 1) | 0);
    // Propagation corrupts rows 38, 39 of pc 9 and every later ACC write: counted, not listed.
    expect(r.later.events).toBe(2);
    expect(r.later.insns).toBeGreaterThan(0);
    expect(r.oddOneOut).toBeNull();
    const text = renderTextReport(r);
    expect(text).toMatch(/first divergence at instruction #9 \(compute\)/);
    expect(text).toMatch(/stream {3}sram\.acc {3}buffer acc {3}address 37/);
    expect(text).toMatch(/lanes {4}1 of 16 differ \(32-bit\): 5/);
    expect(text).toMatch(/reproduce: vta-trace diff good bad --workload toy --seed 1 --mode sram --insn 1:10/);
    // The context diff shows matching preceding events and the differing one.
    expect(f.context).toMatch(/^ #9 sram\.acc @36 /m);
    expect(f.context).toMatch(/^-#9 sram\.acc @37 /m);
    expect(f.context).toMatch(/^\+#9 sram\.acc @37 /m);
  });

  it('with only digests stored, re-runs the window to name the event; without re-run it names the instruction only', async () => {
    const toys = { good: { name: 'good' }, bad: { name: 'bad', fault: { pc: 22, lane: 3 } } };
    const a = await record(toys.good, { mode: 'digest' });
    const b = await record(toys.bad, { mode: 'digest' });
    const r = await findFirstDivergence(store, [a, b], { rerun: toyRerun(toys) });
    expect(r.first).toMatchObject({ pc: 22, stream: 'sram.acc', addr: 88, detail: 're-run' });
    expect(r.first!.lanes!.differing).toEqual([3]);
    const blind = await findFirstDivergence(store, [a, b]);
    expect(blind.first).toMatchObject({ pc: 22, located: false });
    expect(renderTextReport(blind)).toMatch(/record with --mode sram/);
  });

  it('finds a divergence in the second digest chunk', async () => {
    const a = await record({ name: 'good' }, { mode: 'sram' }, 601);
    const b = await record({ name: 'bad', fault: { pc: 500, lane: 0 } }, { mode: 'sram' }, 601);
    const r = await findFirstDivergence(store, [a, b]);
    // 500 % 4 == 0: a LOAD INP writing INP rows 2000..2003 mod 1024.
    expect(r.first).toMatchObject({ pc: 500, stream: 'sram.inp', buffer: 'inp', addr: 2000 % 1024 });
    expect(r.first!.lanes!.differing).toEqual([0]);
    expect(r.later.insns).toBe(0);
  });

  it('with three runs names the odd one out and takes the majority as expected', async () => {
    const a = await record({ name: 'A' });
    const b = await record({ name: 'B', fault: { pc: 13, lane: 0 } });
    const c = await record({ name: 'C' });
    const r = await findFirstDivergence(store, [a, b, c]);
    expect(r.oddOneOut).toEqual({ runId: b, target: 'B', basis: 'majority' });
    expect(r.first).toMatchObject({ pc: 13, expectedRun: a, actualRun: b });
  });

  it('names the golden odd one out from outputs alone', async () => {
    const golden = new Uint8Array(160);
    const a = await record({ name: 'A' }, { mode: 'outputs' }, 41, golden);
    const b = await record({ name: 'B' }, { mode: 'outputs' }, 41, golden);
    const r = await findFirstDivergence(store, [a, b]);
    // Both runs compute the same (non-zero) toy output: they agree with each other, both differ from the golden.
    expect(r.method).toBe('outputs');
    expect(r.values).toBe('agree');
    expect(r.outputs[0]!.goldenMismatch).toEqual([a, b]);
    expect(r.oddOneOut).toBeNull();
  });

  it('reports a deadlock as a missing retire of the blocked instruction', async () => {
    const a = await record({ name: 'A' }, { mode: 'insn' });
    const b = await record({ name: 'B', deadlockAt: 6 }, { mode: 'insn' });
    const r = await findFirstDivergence(store, [a, b]);
    expect(r.first).toMatchObject({ pc: 6, stream: 'insn.compute', buffer: 'insn', addr: -1, kind: 'missing' });
    expect(r.abnormal).toEqual([{ runId: b, target: 'B', status: 'deadlock', message: expect.any(String), blocked: [{ pc: 6, module: 'compute', queue: 'ld2cmp' }] }]);
    const text = renderTextReport(r);
    expect(text).toMatch(/the instruction never retired/);
    expect(text).toMatch(/blocked: instruction #6 \(compute\) waiting on queue ld2cmp/);
  });

  it('equal values with different cycle counts: values agree, per-module cycle difference reported', async () => {
    const a = await record({ name: 'A', cyclesPerInsn: 10 }, { mode: 'digest' }, 9);
    const b = await record({ name: 'B', cyclesPerInsn: 12 }, { mode: 'digest' }, 9);
    const r = await findFirstDivergence(store, [a, b]);
    expect(r.values).toBe('agree');
    expect(r.timing.verdict).toBe('differs');
    // Last retires: load #4, compute #8 (FINISH), store #7; toy retire cycle = pc·cpi + 2.
    expect(r.timing.moduleDelta).toEqual({ load: 4 * 2, compute: 8 * 2, store: 7 * 2 });
    expect(renderTextReport(r)).toMatch(/load \+8, compute \+16, store \+14/);
  });

  it('refuses runs of different bundles and runs with different digest scopes', async () => {
    const a = await record({ name: 'A' }, { mode: 'digest' }, 9);
    const b = await record({ name: 'B' }, { mode: 'digest' }, 13);
    await expect(findFirstDivergence(store, [a, b])).rejects.toThrow(DivergenceInputError);
    const c = await record({ name: 'C' }, { mode: 'digest', buffers: 'acc' }, 9);
    await expect(findFirstDivergence(store, [a, c])).rejects.toThrow(/different digest scopes/);
    await expect(findFirstDivergence(store, [a])).rejects.toThrow(/at least two runs/);
  });
});

describe('makeRerun', () => {
  it('re-runs targets by name on the bundle, and refuses a bundle whose content differs from the stored one', async () => {
    const { makeRerun } = await import('./rerun.js');
    const toys: Record<string, ToyOptions> = { good: { name: 'good' }, bad: { name: 'bad', fault: { pc: 17, lane: 9 } } };
    const a = await record(toys.good!, { mode: 'digest' });
    const b = await record(toys.bad!, { mode: 'digest' });
    const factory = async (name: string) => createToyTarget(toys[name]);
    const same = await findFirstDivergence(store, [a, b], { rerun: makeRerun(factory, async () => toyBundle(params, 41)) });
    expect(same.first).toMatchObject({ pc: 17, stream: 'sram.acc', addr: 68, detail: 're-run' });
    expect(same.first!.lanes!.differing).toEqual([9]);
    // A regenerated bundle that is not the recorded one (e.g. another seed) must not be compared.
    const other = await findFirstDivergence(store, [a, b], { rerun: makeRerun(factory, async () => toyBundle(params, 45)) });
    expect(other.first).toMatchObject({ pc: 17, located: false });
  });
});

describe('an event only some runs have (extra or missing), in any order of the runs', () => {
  const acc = (pc: number, addr: number) => ({ stream: 'sram.acc' as const, addr, data: new Uint8Array(params.elemBytes.acc).fill(pc + 1) });
  const plain = (n: number): ScriptedInsn[] => Array.from({ length: n }, (_, pc) => ({ writes: [acc(pc, pc)], retire: true }));
  const withExtra = (): ScriptedInsn[] => plain(9).map((s, pc) => (pc === 3 ? { ...s, writes: [...s.writes, acc(pc, 100)] } : s));
  async function recordScript(name: string, script: ScriptedInsn[], mode = 'sram') {
    const r = await traceRun({ target: createScriptedTarget(name, script), bundle: toyBundle(params, 9), spec: makeTraceSpec({ mode }), store });
    return r.runId;
  }

  it('names an extra SRAM write of the run compared against the reference, and the same write missing the other way round', async () => {
    const ref = await recordScript('ref', plain(9));
    const extra = await recordScript('extra', withExtra());
    const r = await findFirstDivergence(store, [ref, extra]);
    expect(r.first).toMatchObject({ pc: 3, stream: 'sram.acc', addr: 100, kind: 'missing', expectedRun: ref, actualRun: extra });
    expect(r.first!.lanes!.values[String(ref)]).toBeNull();
    expect(renderTextReport(r)).toMatch(/extra {4}on extra \(run \d+\): ref \(run \d+\) has no such write/);
    const back = await findFirstDivergence(store, [extra, ref]);
    expect(back.first).toMatchObject({ pc: 3, stream: 'sram.acc', addr: 100, kind: 'missing', expectedRun: extra, actualRun: ref });
    expect(renderTextReport(back)).toMatch(/missing {2}on ref \(run \d+\): no such write/);
  });

  it('names an instruction only one run retired, whichever run comes first', async () => {
    const stopped = await recordScript('stopped', plain(6));
    const full = await recordScript('full', plain(9));
    const r = await findFirstDivergence(store, [stopped, full]);
    expect(r.first).toMatchObject({ pc: 6, addr: -1, buffer: 'insn', kind: 'missing', expectedRun: stopped, actualRun: full });
    expect(renderTextReport(r)).toMatch(/extra {4}on full \(run \d+\): stopped \(run \d+\) never retired this instruction/);
    const back = await findFirstDivergence(store, [full, stopped]);
    expect(back.first).toMatchObject({ pc: 6, addr: -1, kind: 'missing', expectedRun: full, actualRun: stopped });
    expect(renderTextReport(back)).toMatch(/missing {2}on stopped \(run \d+\): the instruction never retired/);
  });

  it('with three runs and no majority, the first run is the reference even when it lacks the event; with the majority lacking it, the one that has it is odd', async () => {
    const ref = await recordScript('ref', plain(9));
    const extra = await recordScript('extra', withExtra());
    const changed = await recordScript('changed', withExtra().map((s, pc) => (pc === 3 ? { ...s, writes: [acc(3, 3), acc(7, 100)] } : s)));
    const none = await findFirstDivergence(store, [ref, extra, changed]);
    expect(none.first).toMatchObject({ pc: 3, addr: 100, kind: 'missing', expectedRun: ref, actualRun: extra });
    expect(none.oddOneOut).toBeNull();
    const ref2 = await recordScript('ref2', plain(9));
    const odd = await findFirstDivergence(store, [ref, extra, ref2]);
    expect(odd.first).toMatchObject({ pc: 3, addr: 100, kind: 'missing', expectedRun: ref, actualRun: extra });
    expect(odd.oddOneOut).toEqual({ runId: extra, target: 'extra', basis: 'majority' });
  });
});

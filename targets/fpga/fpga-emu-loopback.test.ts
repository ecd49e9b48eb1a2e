/**
 * The whole network path on the emulated board: agent (in-process, loopback, token) + emu
 * backend + TCP + FpgaTarget. Several workloads give the outputs fsim gives (recorded programs
 * also their recorded results), and `diff fsim tsim fpga` agrees event for event.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveParams } from '../../runtime/config/config.js';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { randomProgram } from '../../runtime/workloads/random-program.js';
import { BoardDigester, type BoardRecord } from '../../runtime/contract/board-digest.js';
import { diffTargets } from '../../tracer/diff-targets.js';
import { MemoryRecordSink, Recorder } from '../../tracer/recorder.js';
import { makeTraceSpec } from '../../tracer/spec.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import { traceRun } from '../../tracer/trace-run.js';
import { createFsimTarget } from '../fsim/fsim-target.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import { runCli, withoutProgress } from '../../cli/testing/run-cli.js';
import { runFsim } from '../fsim/fsim-target.js';
import { FpgaTarget } from './host/fpga-target.js';
import { startLoopbackBoard, type LoopbackBoard } from './testing/loopback-board.js';

const quiet = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };
const dir = mkdtempSync(join(tmpdir(), 'vta-fpga-emu-'));

describe('fpga over loopback on the emulated board', () => {
  let emuBoard: LoopbackBoard;
  let target: FpgaTarget;
  beforeAll(async () => {
    emuBoard = await startLoopbackBoard('loopback', 11, 'loopback-test-token');
    target = emuBoard.target;
  });
  afterAll(async () => {
    await emuBoard.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each(['vec:matmul_blocked_4x4', 'vec:gemm_multi_uop', 'vec:alu_shr_tensor'])('%s gives its recorded result and fsim’s outputs', async (name) => {
    const bundle = buildWorkload(name, { config: resolveConfig('default') });
    const r = await target.run({ bundle, sink: quiet });
    expect(r.status, r.message).toBe('ok');
    expect(r.counters.cycles).toBeGreaterThan(0);
    expect(r.counters.insns.load + r.counters.insns.compute + r.counters.insns.store).toBe(bundle.insnCount);
    for (const [out, want] of Object.entries(bundle.expected!)) expect(r.outputs.find((o) => o.name === out)!.bytes).toEqual(want);
    expect(r.outputs.map((o) => o.bytes)).toEqual(runFsim({ bundle, sink: quiet }).outputs.map((o) => o.bytes));
  }, 300_000);

  it.each([
    ['small', 1],
    ['small', 2],
    ['default', 5],
  ] as const)('random program on %s (seed %d) gives fsim’s outputs', async (config, seed) => {
    const bundle = buildWorkload('random', { config: resolveConfig(config), seed });
    const r = await target.run({ bundle, sink: quiet });
    expect(r.status, r.message).toBe('ok');
    expect(r.outputs.map((o) => o.bytes)).toEqual(runFsim({ bundle, sink: quiet }).outputs.map((o) => o.bytes));
  }, 300_000);

  it('with the on-board trace unit: its records equal the board digests of fsim, and the ring stays out of the trace', async () => {
    const params = deriveParams({ ...resolveConfig('small').json, TRACE_UNIT: true });
    const bundle = randomProgram(params, 7);
    const board = new BoardDigester();
    const fsimSink = new Recorder(makeTraceSpec({ mode: 'outputs' }), bundle.insnCount, new MemoryRecordSink(), board);
    const want = runFsim({ bundle, sink: fsimSink });
    fsimSink.finish();
    const store = TraceStore.open(join(dir, 'ring.db'));
    try {
      const { report } = await diffTargets({ targets: ['fsim', 'fpga:ring'], createTarget: async (n) => (n === 'fsim' ? createFsimTarget() : target), bundle, spec: makeTraceSpec({ mode: 'sram' }), store });
      expect(report.values).toBe('agree');
    } finally {
      store.close();
    }
    const r = await target.run({ bundle, sink: quiet });
    expect(r.outputs.map((o) => o.bytes)).toEqual(want.outputs.map((o) => o.bytes));
    const byPc = (rs: readonly BoardRecord[]) => [...rs].sort((a, b) => a.pc - b.pc);
    expect(target.boardRecords).toHaveLength(bundle.insnCount);
    expect(byPc(target.boardRecords!)).toEqual(byPc(board.records));
  }, 300_000);

  it('a run stopped by the cycle limit brings back the records written until then, and diff names the instruction where the board stopped', async () => {
    const params = deriveParams({ ...resolveConfig('small').json, TRACE_UNIT: true });
    const bundle = randomProgram(params, 7);
    const board = new BoardDigester();
    const fsimSink = new Recorder(makeTraceSpec({ mode: 'outputs' }), bundle.insnCount, new MemoryRecordSink(), board);
    runFsim({ bundle, sink: fsimSink });
    fsimSink.finish();
    const fsimRecord = new Map(board.records.map((r) => [r.pc, r]));
    // A board without probes: the trace unit's records are all it says about instructions.
    const probeless = new FpgaTarget({ name: 'fpga:probeless', endpoint: emuBoard.endpoint, probes: false });
    try {
      const whole = await probeless.run({ bundle, sink: quiet });
      expect(whole.status, whole.message).toBe('ok');
      const maxCycles = Math.floor(whole.counters.cycles / 2);
      const stopped = await probeless.run({ bundle, sink: quiet, limits: { maxCycles } });
      expect(stopped.status).toBe('hang');
      expect(stopped.message).toMatch(new RegExp(`cycle limit ${maxCycles} reached`));
      const got = probeless.boardRecords!;
      // Some instructions but not all, each as fsim computes it.
      expect(got.length).toBeGreaterThan(0);
      expect(got.length).toBeLessThan(bundle.insnCount);
      for (const r of got) expect(r).toEqual(fsimRecord.get(r.pc));

      const limited = Object.create(probeless) as FpgaTarget;
      limited.run = (req) => probeless.run({ ...req, limits: { ...req.limits, maxCycles } });
      const store = TraceStore.open(join(dir, 'stopped.db'));
      try {
        const { report } = await diffTargets({ targets: ['fsim', 'fpga:probeless'], createTarget: async (n) => (n === 'fsim' ? createFsimTarget() : limited), bundle, spec: makeTraceSpec({ mode: 'digest' }), store });
        const recorded = new Set(got.map((r) => r.pc));
        const firstMissing = Array.from({ length: bundle.insnCount }, (_, pc) => pc).find((pc) => !recorded.has(pc));
        expect([report.values, report.method, report.first?.pc]).toEqual(['diverge', 'board-digests', firstMissing]);
        expect(report.abnormal).toEqual([expect.objectContaining({ status: 'hang' })]);
      } finally {
        store.close();
      }
    } finally {
      await probeless.close();
    }
  }, 300_000);

  it('the emulated board reports what each LOAD read (dram.load) as fsim does; a board without probes says it cannot', async () => {
    const bundle = buildWorkload('conv2d-small', { config: resolveConfig('default') });
    const store = TraceStore.open(':memory:');
    const probeless = new FpgaTarget({ name: 'fpga:loopback,no-probes', endpoint: emuBoard.endpoint, probes: false });
    try {
      const spec = makeTraceSpec({ mode: 'sram' });
      const ids: number[] = [];
      for (const t of [createFsimTarget(), target, probeless]) ids.push((await traceRun({ target: t, bundle, spec, store })).runId);
      const reads = ids.map((id) => store.eventGroups(id, { streams: ['dram.load'] }).map((g) => ({ pc: g.pc, data: Buffer.from(g.data).toString('hex') })));
      expect(ids.map((id) => store.run(id).dramReads)).toEqual([true, true, false]);
      expect(reads[0]!.length).toBeGreaterThan(4);
      expect(reads[1]).toEqual(reads[0]);
      expect(reads[2]).toEqual([]);
    } finally {
      await probeless.close();
      store.close();
    }
  }, 300_000);

  it('diff fsim tsim fpga agrees (the local fpga target starts its own agent)', async () => {
    const db = join(dir, 'diff.db');
    const r = await runCli('diff', 'fsim', 'tsim', 'fpga', '--workload', 'vec:matmul_blocked_4x4', '--db', db);
    expect(withoutProgress(r.err)).toBe('');
    expect(r.out).toMatch(/^values agree: fsim \(run 1\) vs tsim \(run 2\) vs fpga \(run 3\)/);
    expect(r.code).toBe(0);
    const runs = await runCli('runs', '--db', db);
    expect(runs.out).toMatch(/fpga/);
  }, 300_000);
});

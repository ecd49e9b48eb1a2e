/**
 * Two ways a board without probes could be misjudged:
 * (a) it hung or crashed and brought back no records at all: the diff must report its abnormal
 *     end as the verdict — never "agree", and never blame instruction 0 for missing events;
 * (b) stored runs compared later (`diff --db F A B`), the other run stored without board records:
 *     the engine derives them from that run's stored events when its mode kept them (checked
 *     against the records a live digester computes during the run), else says why it fell back
 *     to outputs and how to get the finer comparison.
 * The boards: the real fpga target (no-probes) over an agent on the simulated register file, and
 * a wrapper that runs fsim on the "board" and keeps only what a probeless board returns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import { AgentServer } from '../../targets/fpga/agent/agent-server.js';
import { boardProfile } from '../../targets/fpga/board-profiles.js';
import { FpgaTarget } from '../../targets/fpga/host/fpga-target.js';
import { FakeBoard } from '../../targets/fpga/testing/fake-board.js';
import { createFsimTarget, runFsim } from '../../targets/fsim/fsim-target.js';
import type { RunRequest, RunResult, RunStatus, Target } from '../../runtime/contract/target.js';
import { BoardDigester, type BoardRecord } from '../../runtime/contract/board-digest.js';
import { diffTargets } from '../diff-targets.js';
import { MemoryRecordSink, Recorder } from '../recorder.js';
import { makeTraceSpec } from '../spec.js';
import { TraceStore } from '../store/trace-store.js';
import { renderTextReport } from '../report/text-report.js';
import { traceRun } from '../trace-run.js';
import { findFirstDivergence } from './engine.js';

let dir: string;
let store: TraceStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'vta-board-gaps-'));
  store = TraceStore.open(join(dir, 't.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const small = (seed: number) => buildWorkload('random', { config: resolveConfig('small'), seed });

/** fsim's board records, by a digester fed every raw event during the run (the reference). */
function liveRecords(bundle: ProgramBundle): BoardRecord[] {
  const digester = new BoardDigester();
  const sink = new Recorder(makeTraceSpec({ mode: 'outputs' }), bundle.insnCount, new MemoryRecordSink(), digester);
  expect(runFsim({ bundle, sink }).status).toBe('ok');
  sink.finish();
  return digester.records;
}

/**
 * A probeless board that runs fsim: it returns fsim's outputs and either its board records
 * (`records`, possibly tampered with) or, when it "hangs", none and the given status.
 */
class FsimOnBoard implements Target {
  readonly sendsEvents = false;
  boardRecords: BoardRecord[] | undefined;
  constructor(
    readonly name: string,
    private readonly end: { records: (b: ProgramBundle) => BoardRecord[] } | { status: RunStatus },
  ) {}
  async run(req: RunRequest): Promise<RunResult> {
    const r = runFsim({ bundle: req.bundle, sink: { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} } });
    if ('status' in this.end) {
      this.boardRecords = undefined;
      return { ...r, status: this.end.status, message: 'stopped answering after its last store' };
    }
    this.boardRecords = this.end.records(req.bundle);
    return r;
  }
  async close(): Promise<void> {}
}

async function stored(target: Target, bundle: ProgramBundle, mode: string, boardDigests = false): Promise<number> {
  return (await traceRun({ target, bundle, spec: makeTraceSpec({ mode }), store, boardDigests, handleSigint: false })).runId;
}

describe('(a) a probeless board that stopped and returned no records', () => {
  it.each(['digest', 'outputs'])('is never "agree" even when its outputs equal fsim’s (mode %s); its end is the verdict', async (mode) => {
    const bundle = small(4);
    const a = await stored(createFsimTarget(), bundle, mode);
    const b = await stored(new FsimOnBoard('board', { status: 'hang' }), bundle, mode);
    expect(store.run(b)).toMatchObject({ hostEvents: false, boardSource: null, status: 'hang' });
    const report = await findFirstDivergence(store, [a, b]);
    expect(report.outputs.every((o) => o.agree)).toBe(true);
    expect(report.values).toBe('diverge');
    expect(report.first).toBeNull();
    expect(report.method).toBe('outputs');
    expect(report.abnormal).toEqual([expect.objectContaining({ runId: b, status: 'hang' })]);
    if (mode === 'digest') expect(report.methodNote).toMatch(/run 2 \(board\): it returned neither events nor its trace unit's records \(it ended hang\)/);
    // The text report carries the note and does not call a digest-mode comparison "outputs mode".
    const text = renderTextReport(report);
    if (mode === 'digest') {
      expect(text).toContain(`note: ${report.methodNote}`);
      expect(text).not.toContain('(outputs mode)');
    } else {
      expect(text).toContain('(outputs mode): only the outputs differ');
    }
  });

  it('the fpga target without probes, on a board that never finishes: stored as board-only, no instruction blamed', async () => {
    const agent = await AgentServer.start({ backend: new FakeBoard(boardProfile('de10nano'), { finishAfter: Infinity }) });
    try {
      const { runIds, report } = await diffTargets({
        targets: ['fsim', 'fpga:stuck'],
        bundle: small(3),
        spec: makeTraceSpec({ mode: 'digest' }),
        store,
        createTarget: async (n) => (n === 'fsim' ? createFsimTarget() : new FpgaTarget({ name: n, probes: false, endpoint: { board: 'stuck', ...agent.address } })),
      });
      expect(store.run(runIds[1]!)).toMatchObject({ hostEvents: false, status: 'hang' });
      expect(report.values).toBe('diverge');
      // Before: the board's missing events were read as "instruction #0 never retired".
      expect(report.first).toBeNull();
      expect(report.methodNote).toContain('(it ended hang)');
    } finally {
      await agent.close();
    }
  });
});

describe('(b) stored runs: a board-only run against a run stored without board records', () => {
  it('derives the records from stored events (mode full) exactly as a live digester computes them', async () => {
    for (const [config, seed] of [['small', 1], ['small', 2], ['default', 5], ['block32', 3]] as const) {
      const bundle = buildWorkload('random', { config: resolveConfig(config), seed });
      const want = liveRecords(bundle);
      const fsim = await stored(createFsimTarget(), bundle, 'full');
      const board = await stored(new FsimOnBoard('board', { records: liveRecords }), bundle, 'digest');
      expect(store.run(fsim).boardSource).toBeNull();
      const report = await findFirstDivergence(store, [fsim, board]);
      expect([config, seed, report.method, report.values]).toEqual([config, seed, 'board-digests', 'agree']);
      expect(report.methodNote).toBe(`board records of run ${fsim} (fsim) derived from the stored events (the run was stored without them), to compare with run ${board} (board)`);
      expect(store.boardRecords(board)).toEqual(want);
    }
    // A recorded program whose GEMM revisits its destinations (six uops onto three ACC rows).
    const gemm = buildWorkload('vec:gemm_multi_uop', { config: resolveConfig('default') });
    const f = await stored(createFsimTarget(), gemm, 'full');
    const g = await stored(new FsimOnBoard('board', { records: liveRecords }), gemm, 'digest');
    expect((await findFirstDivergence(store, [f, g])).values).toBe('agree');
  });

  it('names the instruction whose board record differs, by the derived records', async () => {
    const bundle = small(6);
    const pc = 9;
    const tampered = (b: ProgramBundle) => liveRecords(b).map((r) => (r.pc === pc ? { ...r, digest: (r.digest ^ 1) >>> 0 } : r));
    const fsim = await stored(createFsimTarget(), bundle, 'full');
    const board = await stored(new FsimOnBoard('board', { records: tampered }), bundle, 'digest');
    const report = await findFirstDivergence(store, [fsim, board]);
    expect(report).toMatchObject({ values: 'diverge', method: 'board-digests', first: { pc } });
  });

  it('says plainly why it compares by outputs when the other run kept too little, and how to get more', async () => {
    const bundle = small(6);
    const fsim = await stored(createFsimTarget(), bundle, 'digest');
    const board = await stored(new FsimOnBoard('board', { records: liveRecords }), bundle, 'digest');
    const report = await findFirstDivergence(store, [fsim, board]);
    expect(report.method).toBe('outputs');
    expect(report.values).toBe('agree');
    expect(report.methodNote).toBe(
      `compared by outputs only: run ${board} (board) returned no events, so the runs can be compared by instruction only through board records, and not every run has them — ` +
        `run ${fsim} (fsim): it was stored without board records, and its trace spec (digest) keeps too little to derive them (that needs --mode full without --buffers, --insn or --cycles); ` +
        'for a comparison by instruction, run the targets again together (vta-trace diff <targets> --workload|--bundle … on a configuration with TRACE_UNIT computes the board records of the runs with events) or store the other runs with --mode full',
    );
  });
});

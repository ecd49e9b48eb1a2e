/**
 * `vta-trace diff` with a board that has no host-side probes: the local emulated board asked
 * for no events (`fpga@emu:SEED,no-probes`) on a configuration with the on-board trace unit
 * brings back only outputs, counters and its trace unit's records. The diff compares those
 * records with the ones the tracer computes from fsim's (and tsim's) events. The expected
 * instruction for a seeded RTL bug is found here without the engine: the first pc where the
 * board's own ring differs from fsim's board digests, computed through the recorder hook.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insnBytes } from '../../runtime/bundle/bundle.js';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { decodeProgram } from '../../runtime/isa/codec.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import { createFpgaTarget } from '../../targets/fpga/host/create-fpga-target.js';
import { runFsim } from '../../targets/fsim/fsim-target.js';
import { BoardDigester, type BoardRecord } from '../../runtime/contract/board-digest.js';
import type { DivergenceReport } from '../../tracer/diverge/divergence.js';
import { MemoryRecordSink, Recorder } from '../../tracer/recorder.js';
import { makeTraceSpec } from '../../tracer/spec.js';
import { runCli, withoutProgress } from '../testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-diff-board-'));
const config = join(dir, 'default-trace-unit.json');
// Seed 6: the first instruction the variant breaks is not the first one, so a report that blames
// instruction 0 for the board's lack of events cannot pass.
const SEED = '6';
const workload = () => ['--workload', 'random', '--seed', SEED, '--config', config];
const quiet = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };
let bundle: ProgramBundle;

beforeAll(() => {
  writeFileSync(config, JSON.stringify({ ...resolveConfig('default').json, TRACE_UNIT: true }));
  bundle = buildWorkload('random', { config: resolveConfig(config), seed: Number(SEED) });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function diffJson(db: string, ...targets: string[]): Promise<{ code: number; report: DivergenceReport }> {
  const r = await runCli('diff', ...targets, ...workload(), '--db', join(dir, db), '--json');
  expect(withoutProgress(r.err)).toBe('');
  return { code: r.code, report: JSON.parse(r.out) as DivergenceReport };
}

/** fsim's board records, by the tracer's digester fed through the recorder hook. */
function fsimBoard(): Map<number, BoardRecord> {
  const digester = new BoardDigester();
  const sink = new Recorder(makeTraceSpec({ mode: 'outputs' }), bundle.insnCount, new MemoryRecordSink(), digester);
  expect(runFsim({ bundle, sink }).status).toBe('ok');
  sink.finish();
  return new Map(digester.records.map((r) => [r.pc, r]));
}

/** The board's own ring after a run, with no engine and no store involved. */
async function boardRing(name: string): Promise<Map<number, BoardRecord>> {
  const t = await createFpgaTarget(name);
  try {
    const r = await t.run({ bundle, sink: quiet });
    expect(r.status, r.message).toBe('ok');
    return new Map(t.boardRecords!.map((x) => [x.pc, x]));
  } finally {
    await t.close();
  }
}

describe('diff with a probeless board (trace-unit records only)', () => {
  it('agrees with fsim on our correct RTL; the stored board run survives runs and show', async () => {
    const { code, report } = await diffJson('clean.db', 'fsim', 'fpga@emu:5,no-probes');
    expect(report.values).toBe('agree');
    expect(report.method).toBe('board-digests');
    expect(code).toBe(0);

    const runs = await runCli('runs', '--db', join(dir, 'clean.db'), '--json');
    const rows = JSON.parse(runs.out) as { id: number; target: string; eventCount: number; hostEvents: boolean; boardSource: string | null }[];
    expect(rows.map((r) => [r.target, r.hostEvents, r.boardSource, r.eventCount])).toEqual([
      ['fsim', true, 'events', 0],
      ['fpga@emu:5,no-probes', false, 'trace-unit', 0],
    ]);
    const show = await runCli('show', '2', '--db', join(dir, 'clean.db'));
    expect(show.code).toBe(0);
    expect(show.out).toContain(`board records ${bundle.insnCount} (from the on-board trace unit's ring); the target reported no events`);
    // Stored runs compare again, by id, with the same verdict.
    const again = await runCli('diff', '--db', join(dir, 'clean.db'), '1', '2');
    expect(again.out).toMatch(/^values agree: .* compared by board-digests/);
  }, 600_000);

  it('names the instruction a seeded RTL bug breaks on the board (in-order-reads, emulated memory), and nothing finer', async () => {
    const variant = 'fpga@emu:1,no-probes,rtl=in-order-reads';
    const want = fsimBoard();
    const got = await boardRing(variant);
    let firstBad = -1;
    for (let pc = 0; pc < bundle.insnCount && firstBad < 0; pc++) if (want.get(pc)?.digest !== got.get(pc)?.digest) firstBad = pc;
    expect(firstBad).toBeGreaterThan(0);
    // The variant mis-assembles reads: the first victim is a LOAD.
    expect(decodeProgram(bundle.params, insnBytes(bundle))[firstBad]!.opcode).toBe(0);

    const { code, report } = await diffJson('variant.db', 'fsim', variant);
    expect(code).toBe(1);
    expect(report.values).toBe('diverge');
    expect(report.method).toBe('board-digests');
    expect(report.first).toMatchObject({ pc: firstBad, module: 'load', located: false, expectedRun: 1, actualRun: 2 });
    expect(report.first!.board).toEqual({ digests: { '1': want.get(firstBad)!.digest, '2': got.get(firstBad)!.digest }, boardOnly: [2] });

    // Three targets: fsim and tsim (events) agree, the board is the odd one out.
    const three = await diffJson('three.db', 'fsim', 'tsim', variant);
    expect(three.report.first).toMatchObject({ pc: firstBad, module: 'load', located: false });
    expect(three.report.oddOneOut).toEqual({ runId: 3, target: variant, basis: 'majority' });
  }, 900_000);
});

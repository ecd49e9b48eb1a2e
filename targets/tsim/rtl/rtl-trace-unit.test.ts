/**
 * The on-board trace unit (TRACE_UNIT, vta_trace_unit.sv): the records it leaves in its DRAM ring
 * equal the board digests the tracer computes from fsim's raw events (runtime/contract/board-digest.ts,
 * fed through the recorder hook; the tracer gets the same from tsim's events) — one record per instruction, same pc, module and digest — also
 * on the emulated board's memory, since the digest does not depend on write order. A seeded RTL
 * bug changes the record of the first instruction it breaks (found independently, by decoding the
 * program) and of no instruction before it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { deriveParams, type VtaParams } from '../../../runtime/config/config.js';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import type { ProgramBundle } from '../../../runtime/bundle/bundle.js';
import { insnBytes } from '../../../runtime/bundle/bundle.js';
import { decodeProgram } from '../../../runtime/isa/codec.js';
import type { Insn } from '../../../runtime/isa/insn.js';
import { randomProgram } from '../../../runtime/workloads/random-program.js';
import { buildWorkload } from '../../../runtime/workloads/index.js';
import { BoardDigester, type BoardRecord } from '../../../runtime/contract/board-digest.js';
import { MemoryRecordSink, Recorder } from '../../../tracer/recorder.js';
import { makeTraceSpec } from '../../../tracer/spec.js';
import { createFsimTarget } from '../../fsim/fsim-target.js';
import type { TsimMemory } from '../memory-option.js';
import { createTsimTarget, type TsimTarget } from '../target.js';

const limits = { maxCycles: 2_000_000, timeoutMs: 180_000 };
const RING = { base: 0x0800_0000, slots: 4096 };
const open: TsimTarget[] = [];
afterAll(async () => Promise.all(open.map((t) => t.close())));

function withTraceUnit(name: string): VtaParams {
  return deriveParams({ ...resolveConfig(name).json, TRACE_UNIT: true });
}

function byPc(records: readonly BoardRecord[]): BoardRecord[] {
  return [...records].sort((a, b) => a.pc - b.pc);
}

/** A target's board records computed by the tracer, through the recorder hook (outputs mode: nothing else is kept). */
async function tracerBoard(bundle: ProgramBundle, target: Pick<TsimTarget, 'run'> = createFsimTarget()): Promise<BoardRecord[]> {
  const board = new BoardDigester();
  const sink = new Recorder(makeTraceSpec({ mode: 'outputs' }), bundle.insnCount, new MemoryRecordSink(), board);
  const r = await target.run({ bundle, sink, limits });
  expect(r.status, r.message).toBe('ok');
  sink.finish();
  return byPc(board.records);
}

async function tsimBoard(params: VtaParams, bundle: ProgramBundle, opts: { variant?: string; memory?: TsimMemory } = {}): Promise<BoardRecord[]> {
  const t = createTsimTarget({ config: params, traceRing: RING, ...opts });
  open.push(t);
  const r = await t.run({ bundle, sink: new MemoryRecordSinkless(), limits });
  expect(r.status, r.message).toBe('ok');
  return byPc(t.boardRecords!);
}

/** Outputs only: the trace unit works whether or not the harness reports events. */
class MemoryRecordSinkless {
  readonly wantsEvents = false;
  readonly wantsIters = false;
  write(): void {}
  iter(): void {}
  retire(): void {}
}

describe('trace unit records vs the tracer\'s board digests of fsim', () => {
  it.each(['small', 'default'])('%s configuration, random programs, in-order and emulated-board memory', async (name) => {
    const params = withTraceUnit(name);
    for (const seed of [1, 2, 3, 4]) {
      const bundle = randomProgram(params, seed);
      const want = await tracerBoard(bundle);
      expect(want.map((r) => r.pc)).toEqual([...Array(bundle.insnCount).keys()]);
      expect(await tsimBoard(params, bundle), `program ${seed}`).toEqual(want);
      // The tracer gets the same from tsim's own events (harness-reported writes and iterations).
      const tsim = createTsimTarget({ config: params });
      open.push(tsim);
      expect(await tracerBoard(bundle, tsim), `program ${seed}, tsim events`).toEqual(want);
      expect(await tsimBoard(params, bundle, { memory: { kind: 'emu', seed } }), `program ${seed} on emu:${seed}`).toEqual(want);
    }
  }, 900_000);

  const bugs: [variant: string, workload: string, buggy: (i: Insn) => boolean][] = [
    ['pad-value', 'load_inp_pad_y1', (i) => i.opcode === 0 && i.memory_type === 2 && i.y_pad_1 > 0],
    ['uop-late', 'gemm_multi_uop', (i) => i.opcode === 2 && !i.reset_reg && i.uop_end - i.uop_bgn > 1],
  ];
  it.each(bugs)('%s changes the record of the first instruction it breaks (vec:%s), none before', async (variant, workload, buggy) => {
    const params = withTraceUnit('default');
    // The recorded program, for the same ISA with the trace unit added.
    const bundle = { ...buildWorkload(`vec:${workload}`), params };
    const firstBad = decodeProgram(params, insnBytes(bundle)).findIndex(buggy);
    expect(firstBad).toBeGreaterThanOrEqual(0);
    const want = await tracerBoard(bundle);
    const got = await tsimBoard(params, bundle, { variant });
    const differing = got.filter((r, i) => r.digest !== want[i]!.digest).map((r) => r.pc);
    expect(got.map((r) => r.pc)).toEqual(want.map((r) => r.pc));
    expect(differing[0]).toBe(firstBad);
  }, 900_000);
});

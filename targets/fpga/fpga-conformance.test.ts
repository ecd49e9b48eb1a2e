/**
 * Issue 6 asks that every conformance case and workload of the earlier issues pass on `fpga`
 * (emu backend) over loopback. This runs them all through one agent on the emulated board —
 * seeded random latency, reordered bursts and stalls — and checks each
 * against its golden (or recorded) result where it has one and against fsim always:
 * every recorded upstream program, every quick builder workload on three configurations
 * (including BLOCK 32 with a 32-byte bus and BLOCK_IN ≠ BLOCK_OUT), and each operator at a
 * reduced size. The builds are the ones tsim uses, so after the tsim tests this costs the runs only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { BUILDER_WORKLOADS, buildWorkload } from '../../runtime/workloads/index.js';
import { OPERATOR_WORKLOADS } from '../../runtime/workloads/operator-workloads.js';
import { vectorPrograms } from '../../runtime/workloads/vector-programs.js';
import { runFsim } from '../fsim/fsim-target.js';
import type { FpgaTarget } from './host/fpga-target.js';
import { startLoopbackBoard, type LoopbackBoard } from './testing/loopback-board.js';

const quiet = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };

/** The operator and network workloads are whole layers; these sizes keep them to a second or so. */
const OPERATOR_SIZES: Record<string, Record<string, unknown>> = {
  'conv:C2': { scale: 4 },
  'conv:C6': { scale: 4 },
  dense: { in: 64, out: 32 },
  avgpool: { hw: 4, channels: 32 },
  maxpool: { hw: 8, channels: 16 },
  depthwise: { hw: 8, channels: 16 },
  resnet18: { hw: 16, width: 16, classes: 10 },
  mobilenet: { hw: 32, width: 16, classes: 10 },
};
const OPERATORS = new Set(OPERATOR_WORKLOADS.map((w) => w.name));
const QUICK = BUILDER_WORKLOADS.map((w) => w.name).filter((n) => !OPERATORS.has(n));

describe('every conformance case and workload on the emulated board over loopback', () => {
  let board: LoopbackBoard;
  let target: FpgaTarget;
  beforeAll(async () => {
    board = await startLoopbackBoard('conformance', 29, 'conformance-token');
    target = board.target;
  });
  afterAll(async () => {
    await board.close();
  });

  /** `golden` false: a recorded program whose result upstream calls implementation-defined (fsim still decides). */
  async function expectBoardAgrees(bundle: ProgramBundle, golden = true): Promise<void> {
    const r = await target.run({ bundle, sink: quiet, limits: { maxCycles: 50_000_000, timeoutMs: 120_000 } });
    expect(r.status, r.message).toBe('ok');
    const fsim = runFsim({ bundle, sink: quiet });
    expect(r.outputs.map((o) => o.name)).toEqual(fsim.outputs.map((o) => o.name));
    r.outputs.forEach((o, i) => expect(o.bytes, `output ${o.name} vs fsim`).toEqual(fsim.outputs[i]!.bytes));
    for (const [name, want] of Object.entries(golden ? (bundle.expected ?? {}) : {})) {
      expect(r.outputs.find((o) => o.name === name)!.bytes, `output ${name} vs golden`).toEqual(want);
    }
  }

  const vec = vectorPrograms().map((v) => [v.name, !v.implementation_defined] as const);
  it.each(vec)('vec:%s (golden: %s)', async (name, golden) => {
    await expectBoardAgrees(buildWorkload(`vec:${name}`, { config: resolveConfig('default') }), golden);
  }, 120_000);

  const builderCases = ['default', 'block32', 'rect-8x16'].flatMap((config) => QUICK.map((name) => [name, config] as const));
  it.each(builderCases)('%s on %s', async (name, config) => {
    await expectBoardAgrees(buildWorkload(name, { config: resolveConfig(config), seed: 3 }));
  }, 120_000);

  it.each(Object.entries(OPERATOR_SIZES))('%s (reduced: %j) on default', async (name, params) => {
    await expectBoardAgrees(buildWorkload(name, { config: resolveConfig('default'), seed: 4, params }));
  }, 300_000);
});

/**
 * The builder and operator workloads on tsim (our RTL under Verilator), on the default
 * configuration and two fixtures that change the block size and the bus width: every output
 * equals the golden reference (bundle.expected, computed by runtime/golden, never by a target), and
 * `diffTargets` fsim vs tsim — what `vta-trace diff fsim tsim` runs — finds no divergence in the
 * per-instruction digests.
 *
 * Speed: one simulator process per configuration stays up for all its workloads (the diff gets a
 * handle whose close() leaves it running); builds come from the shared cache. Operators run at a
 * small scale (seconds, not minutes).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { ALU_WORKLOADS } from '../../runtime/workloads/alu-workloads.js';
import { CONV2D_WORKLOADS } from '../../runtime/workloads/conv2d.js';
import { GEMM_WORKLOADS } from '../../runtime/workloads/gemm-workloads.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import { MEMORY_WORKLOADS } from '../../runtime/workloads/memory-workloads.js';
import { diffTargets } from '../../tracer/diff-targets.js';
import { makeTraceSpec } from '../../tracer/spec.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import type { EventSink } from '../../runtime/contract/events.js';
import { createFsimTarget } from '../fsim/fsim-target.js';
import type { Target } from '../../runtime/contract/target.js';
import { createTsimTarget, type TsimTarget } from './target.js';

/** default 1×16×16, 8-byte bus; block32: BLOCK 32 with a 32-byte bus; rect-8x16: BLOCK_IN 8 ≠ BLOCK_OUT 16, 16-byte bus. */
const CONFIGS = ['default', 'block32', 'rect-8x16'];

/** The builder conformance workloads (alu:*, relu, shift-and-scale, padded-load:*, load-store, gemm, gemm-smt, matmul-blocked, conv2d-small), at their default shapes. */
const BUILDER = [...ALU_WORKLOADS, ...MEMORY_WORKLOADS, ...GEMM_WORKLOADS, ...CONV2D_WORKLOADS].map((w) => w.name);

/**
 * Operators lowered as TVM's VTA schedules do, shrunk to run in seconds. `aluLayer`: the lowering
 * copies INP elements into ACC elements, so it refuses configurations with BLOCK_IN ≠ BLOCK_OUT.
 */
const OPERATORS: { name: string; params: Record<string, unknown>; aluLayer?: true }[] = [
  { name: 'conv:C2', params: { scale: 4 } },
  { name: 'dense', params: { in: 128, out: 64 } },
  { name: 'avgpool', params: { hw: 4, channels: 64 }, aluLayer: true },
  { name: 'maxpool', params: { hw: 12, channels: 32 }, aluLayer: true },
  { name: 'depthwise', params: { hw: 12, channels: 32 }, aluLayer: true },
];

const limits = { maxCycles: 20_000_000, timeoutMs: 120_000 };
const outputsOnly: EventSink = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };
const dir = mkdtempSync(join(tmpdir(), 'vta-tsim-workloads-'));
const tsims: TsimTarget[] = [];
afterAll(async () => {
  await Promise.all(tsims.map((t) => t.close()));
  rmSync(dir, { recursive: true, force: true });
});

/** A handle on a long-lived target that diffTargets may close without stopping it. */
function kept(target: Target): Target {
  return { name: target.name, run: (req) => target.run(req), close: async () => {} };
}

describe('builder and operator workloads on tsim', () => {
  for (const config of CONFIGS) {
    it(`${config}: outputs equal the golden reference and diff fsim tsim finds no divergence`, async () => {
      const params = resolveConfig(config);
      const tsim = createTsimTarget({ config });
      tsims.push(tsim);
      const fsim = createFsimTarget();
      const createTarget = async (name: string): Promise<Target> => {
        if (name === 'tsim') return kept(tsim);
        if (name === 'fsim') return kept(fsim);
        throw new Error(`unexpected target ${name}`);
      };
      await tsim.prepare(params);
      const store = TraceStore.open(join(dir, `${config}.db`));
      try {
        const operators = OPERATORS.filter((o) => !o.aluLayer || params.blockIn === params.blockOut);
        const cases = [...BUILDER.map((name) => ({ name, params: {} })), ...operators];
        for (const c of cases) {
          const what = `${c.name} on ${config}`;
          const bundle = buildWorkload(c.name, { config: params, seed: 5, params: c.params });
          const expected = bundle.expected;
          expect(expected, `${what}: the workload has a golden result`).toBeDefined();
          const r = await tsim.run({ bundle, sink: outputsOnly, limits });
          expect(r.status, `${what}: ${r.message}`).toBe('ok');
          expect(r.outputs.length, what).toBeGreaterThan(0);
          for (const o of r.outputs) expect(Buffer.from(o.bytes).equals(Buffer.from(expected![o.name]!)), `${what}, output ${o.name}`).toBe(true);

          const { report } = await diffTargets({ targets: ['fsim', 'tsim'], createTarget, bundle, spec: makeTraceSpec({ mode: 'digest' }), store, limits });
          expect(report.values, `${what}: first divergence ${JSON.stringify(report.first)}`).toBe('agree');
          expect(report.first, what).toBeNull();
          expect(report.method, what).toBe('digests');
        }
      } finally {
        store.close();
      }
    }, 600_000);
  }
});

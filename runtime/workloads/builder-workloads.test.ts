/**
 * Conformance of the builder workloads: every one, on several fixture configurations, runs on
 * fsim and stores exactly the bytes the golden reference predicts (bundle.expected comes from
 * runtime/golden, never from a target). Also: the registry lists them and reproduces them.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/fixtures.js';
import { createFsimTarget } from '../../targets/fsim/fsim-target.js';
import { nullSink } from '../../targets/fsim/testing.js';
import { buildWorkload, listWorkloads } from './index.js';
import { WorkloadError } from './errors.js';
import { ALU_WORKLOADS } from './alu-workloads.js';
import { CONV2D_WORKLOADS } from './conv2d.js';
import { GEMM_WORKLOADS } from './gemm-workloads.js';
import { MEMORY_WORKLOADS } from './memory-workloads.js';

/** The conformance workloads (operator and network workloads have tests of their own). */
const CONFORMANCE = [...ALU_WORKLOADS, ...MEMORY_WORKLOADS, ...GEMM_WORKLOADS, ...CONV2D_WORKLOADS];

const CONFIGS = ['default', 'small', 'batch2', 'rect-8x16', 'block32', 'small-fork'];
const fsim = createFsimTarget();

async function conforms(name: string, config: string, seed: number, params?: Record<string, unknown>): Promise<void> {
  const bundle = buildWorkload(name, { config: resolveConfig(config), seed, params });
  const r = await fsim.run({ bundle, sink: nullSink });
  expect(r.status, `${name} on ${config}: ${r.message}`).toBe('ok');
  for (const o of r.outputs) {
    expect(o.bytes, `${name} on ${config}, output ${o.name}`).toEqual(bundle.expected![o.name]);
  }
}

describe('builder workloads on fsim equal the golden reference', () => {
  for (const config of CONFIGS) {
    it(`every workload on ${config}`, async () => {
      for (const w of CONFORMANCE) await conforms(w.name, config, 11);
    });
  }

  it('other seeds and shapes', async () => {
    for (const seed of [1, 2, 3]) {
      for (const name of ['gemm', 'gemm-smt', 'matmul-blocked', 'alu:shr-tensor', 'shift-and-scale']) await conforms(name, 'small', seed);
    }
    await conforms('gemm', 'default', 0, { m: 3, k: 4, n: 2 });
    await conforms('gemm-smt', 'batch2', 0, { m: 4, k: 2, n: 3 });
    await conforms('matmul-blocked', 'rect-8x16', 5, { blocks: 5, block: 2 });
    await conforms('shift-and-scale', 'small', 4, { shift: 3, relu: true });
  });

  it('conv2d-small with stride 2, 1×1 and 5×5 kernels, relu, single-row tiles', async () => {
    await conforms('conv2d-small', 'small', 3, { stride: 2 });
    await conforms('conv2d-small', 'rect-8x16', 3, { kernel: 1, h: 4, w: 5 });
    await conforms('conv2d-small', 'small', 8, { kernel: 5, h: 7, w: 5, tile: 1, relu: true });
    await conforms('conv2d-small', 'batch2', 9, { cblocks: 1, oblocks: 3, h: 8, w: 4, tile: 4 });
  });
});

describe('registry', () => {
  it('lists every builder workload with stable names, keeps vec: and random', () => {
    const names = listWorkloads().map((w) => w.name);
    for (const n of ['alu:add-imm', 'alu:add-tensor', 'alu:shr-imm', 'alu:shl-imm', 'alu:mul-tensor', 'relu', 'shift-and-scale', 'padded-load:none', 'padded-load:top-bottom-left-right', 'padded-load:bottom-left', 'load-store', 'gemm', 'gemm-smt', 'matmul-blocked', 'conv2d-small', 'random', 'vec:matmul_blocked_4x4']) {
      expect(names).toContain(n);
    }
    expect(names.filter((n) => n.startsWith('padded-load:'))).toHaveLength(16);
  });

  it('records name, params and seed, and the same inputs build the same bundle', () => {
    const p = resolveConfig('small');
    const a = buildWorkload('gemm', { config: p, seed: 5, params: { m: 2 } });
    expect(a.workload).toEqual({ name: 'gemm', params: { m: 2 }, seed: 5 });
    expect(buildWorkload('gemm', { config: p, seed: 5, params: { m: 2 } })).toEqual(a);
    expect(buildWorkload('gemm', { config: p, seed: 6, params: { m: 2 } }).expected).not.toEqual(a.expected);
  });

  it('refuses bad parameters and unknown names with a WorkloadError', () => {
    const p = resolveConfig('small');
    expect(() => buildWorkload('conv2d-small', { config: p, params: { tile: 4 } })).toThrow(/tile 4 does not divide the 6 output rows/);
    expect(() => buildWorkload('gemm', { config: p, params: { k: 'x' } })).toThrow(WorkloadError);
    expect(() => buildWorkload('alu:nope', { config: p })).toThrow(/unknown workload "alu:nope"; known: vec:<name>, random, alu:\*, relu/);
  });
});

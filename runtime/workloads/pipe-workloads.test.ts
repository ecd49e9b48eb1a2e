/**
 * The pipe:* workloads: fsim stores exactly what the sequential reference (pipeGolden) predicts on
 * every fixture configuration, and each program's outputs depend on the order the two-pipe
 * compute module must keep — run in the order a wrong footprint or an early push would allow,
 * the reference gives other bytes, so a target that does so cannot pass.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/fixtures.js';
import { createFsimTarget } from '../../targets/fsim/fsim-target.js';
import { nullSink } from '../../targets/fsim/testing.js';
import { buildWorkload, listWorkloads } from './index.js';
import { pipeProgram, type PipeProgram, type PipeStep } from './pipe-programs.js';
import { PIPE_PROGRAMS, PIPE_WORKLOADS } from './pipe-workloads.js';

const CONFIGS = ['default', 'small', 'batch2', 'rect-8x16', 'block32', 'small-fork'];
const fsim = createFsimTarget();

describe('pipe:* workloads', () => {
  it('are listed', () => {
    const names = listWorkloads().map((w) => w.name);
    expect(names).toEqual(expect.arrayContaining(['pipe:alu-src-footprint', 'pipe:early-load-push']));
  });

  for (const config of CONFIGS) {
    it(`on fsim equal the sequential reference on ${config}`, async () => {
      for (const w of PIPE_WORKLOADS) {
        for (const seed of [1, 2]) {
          const bundle = buildWorkload(w.name, { config: resolveConfig(config), seed });
          const r = await fsim.run({ bundle, sink: nullSink });
          expect(r.status, `${w.name} on ${config}: ${r.message}`).toBe('ok');
          expect(r.outputs.length).toBeGreaterThan(0);
          for (const o of r.outputs) expect(o.bytes, `${w.name} on ${config}, ${o.name}`).toEqual(bundle.expected![o.name]);
        }
      }
    });
  }

  const small = resolveConfig('small');
  const expectedOf = (prog: PipeProgram) => pipeProgram(small, prog, { name: 'pipe:test', seed: 1, params: {} }).expected!;
  const move = (steps: PipeStep[], from: number, to: number): PipeStep[] => {
    const s = [...steps];
    const [x] = s.splice(from, 1);
    s.splice(to, 0, x!);
    return s;
  };

  it('an ALU whose last source row a GEMM writes first gives other bytes (what a short footprint allows)', () => {
    const prog = PIPE_PROGRAMS['pipe:alu-src-footprint']!;
    const inOrder = expectedOf(prog);
    expect(buildWorkload('pipe:alu-src-footprint', { config: small, seed: 1 }).expected).toEqual(inOrder);
    const gemm = prog.steps.findIndex((s) => s.kind === 'gemm');
    expect(expectedOf({ ...prog, steps: move(prog.steps, gemm, 0) })).not.toEqual(inOrder);
  });

  it('an INP reload before the GEMM that reads INP gives other bytes (what an early CMP->LD push allows)', () => {
    const prog = PIPE_PROGRAMS['pipe:early-load-push']!;
    const inOrder = expectedOf(prog);
    expect(buildWorkload('pipe:early-load-push', { config: small, seed: 1 }).expected).toEqual(inOrder);
    const gemm = prog.steps.findIndex((s) => s.kind === 'gemm');
    const reload = prog.steps.findIndex((s) => s.kind === 'reload-inp');
    expect(reload).toBeGreaterThan(gemm);
    expect(expectedOf({ ...prog, steps: move(prog.steps, reload, gemm) })).not.toEqual(inOrder);
  });

  it('a store or reload without a compute step right before it is refused', () => {
    expect(() => pipeProgram(small, { uops: [{ dst_idx: 0, src_idx: 0, wgt_idx: 0 }], steps: [{ kind: 'store', sramBase: 0, rows: 1 }] }, { name: 'pipe:bad', seed: 1, params: {} })).toThrow(/a store needs a compute step right before it/);
  });
});

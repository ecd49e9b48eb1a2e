/**
 * Every lowered operator and small whole networks run on fsim and give, for every layer output,
 * exactly the golden reference's bytes (network-golden.ts), on several fixture configurations.
 * The full-size ResNet-18 end to end is too slow for a unit test (see bench/networks.ts).
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/fixtures.js';
import { OPERATOR_WORKLOADS } from '../workloads/operator-workloads.js';
import { runOnFsim } from './run-on-fsim.testing.js';

function build(name: string, config: string, params: Record<string, unknown>, seed = 3) {
  const w = OPERATOR_WORKLOADS.find((x) => x.name === name);
  if (!w) throw new Error(`no workload ${name}`);
  return w.build(resolveConfig(config), seed, params);
}

const CASES: [string, string[], Record<string, unknown>][] = [
  ['conv:C2', ['default', 'small', 'batch2', 'rect-8x16'], { scale: 8 }],
  ['conv:C3', ['default', 'small', 'batch2', 'rect-8x16'], { scale: 8 }],
  ['conv:C4', ['default', 'small', 'batch2'], { scale: 8 }],
  ['conv:C9', ['default', 'small', 'batch2'], { scale: 16 }],
  ['dense', ['default', 'small', 'batch2', 'rect-8x16'], { in: 64, out: 40 }],
  ['avgpool', ['default', 'small', 'batch2'], { hw: 7, channels: 32 }],
  ['maxpool', ['default', 'small', 'batch2', 'small-fork'], { hw: 9, channels: 32 }],
  ['depthwise', ['default', 'small', 'batch2', 'small-fork'], { hw: 9, channels: 32, stride: 2 }],
  ['depthwise', ['small', 'small-fork'], { hw: 6, channels: 8, stride: 1 }],
];

describe('operators on fsim equal the golden reference', () => {
  for (const [name, configs, params] of CASES) {
    for (const config of configs) {
      it(`${name} ${JSON.stringify(params)} on ${config}`, async () => {
        const bundle = build(name, config, params);
        const expected = Object.values(bundle.expected!);
        // Non-trivial expectations: not all zero, not all one value.
        expect(new Set(expected.flatMap((e) => [...e])).size).toBeGreaterThan(2);
        const r = await runOnFsim(bundle);
        expect(r.status).toBe('ok');
        expect(r.wrong).toEqual([]);
      }, 60_000);
    }
  }

  it('the source map names the operation and its loop position', () => {
    const bundle = build('conv:C2', 'small', { scale: 8 });
    const gemm = bundle.sourceMap.find((s) => s?.note === 'GEMM' || s?.note === 'reset and GEMM');
    expect(gemm?.op).toBe('conv:C2');
    expect(Object.keys(gemm!.loop!)).toEqual(['b', 'co', 'h', 'w', 'ci', 'vthread']);
  });

  it('a full-size ResNet-18 layer (C10: 14×14, 256→512, 1×1 stride 2) on default', async () => {
    const r = await runOnFsim(build('conv:C10', 'default', {}));
    expect(r.status).toBe('ok');
    expect(r.wrong).toEqual([]);
  }, 120_000);

  it('a wrong requantisation is caught: the same bundle against another seed’s expectation', async () => {
    const a = build('conv:C2', 'small', { scale: 8 }, 1);
    const b = build('conv:C2', 'small', { scale: 8 }, 2);
    a.expected = b.expected;
    expect((await runOnFsim(a)).wrong).toHaveLength(1);
  });
});

describe('whole networks on fsim equal the golden reference layer by layer', () => {
  const nets: [string, string, Record<string, unknown>][] = [
    ['resnet18', 'small', { hw: 8, width: 4, classes: 10 }],
    ['resnet18', 'batch2', { hw: 8, width: 16, classes: 10 }],
    ['mobilenet', 'small-fork', { hw: 32, width: 4, classes: 10 }],
    ['mobilenet', 'default', { hw: 32, width: 16, classes: 20 }],
  ];
  for (const [name, config, params] of nets) {
    it(`${name} ${JSON.stringify(params)} on ${config}`, async () => {
      const bundle = build(name, config, params);
      const r = await runOnFsim(bundle);
      expect(r.status).toBe('ok');
      expect(r.wrong).toEqual([]);
      expect(bundle.outputs.length).toBeGreaterThan(20);
    }, 120_000);
  }

  it('refuses a multi-layer network when BLOCK_IN ≠ BLOCK_OUT', () => {
    expect(() => build('resnet18', 'rect-8x16', { hw: 8, width: 16, classes: 16 })).toThrow(/BLOCK_IN 8 ≠ BLOCK_OUT 16/);
  });
});

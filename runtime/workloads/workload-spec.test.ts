import { describe, expect, it } from 'vitest';
import { DEFAULT_SEED, parseWorkloadSpec, resolveWorkloadSpec, workloadSpecText } from './workload-spec.js';

describe('workload spellings (regression case ids)', () => {
  it('reads name, parameters, seed and configuration', () => {
    expect(parseWorkloadSpec('conv:C5,scale=4#1@small')).toEqual({ name: 'conv:C5', params: { scale: 4 }, seed: 1, config: 'small' });
    expect(parseWorkloadSpec('maxpool,k=3,stride=2')).toEqual({ name: 'maxpool', params: { k: 3, stride: 2 } });
    expect(parseWorkloadSpec('vec:gemm_tile_4x3@default')).toEqual({ name: 'vec:gemm_tile_4x3', params: {}, config: 'default' });
    expect(parseWorkloadSpec('alu:shr-imm,relu=true#0')).toEqual({ name: 'alu:shr-imm', params: { relu: true }, seed: 0 });
    expect(parseWorkloadSpec('random@fixtures/configs/small.json')).toEqual({ name: 'random', params: {}, config: 'fixtures/configs/small.json' });
  });

  it('writes parameters sorted, so one workload has one spelling', () => {
    expect(workloadSpecText('maxpool', { stride: 2, k: 3 })).toBe('maxpool,k=3,stride=2');
    expect(workloadSpecText('random', undefined)).toBe('random');
    const text = `${workloadSpecText('conv:C5', { scale: 4 })}#3@small`;
    expect(parseWorkloadSpec(text)).toEqual({ name: 'conv:C5', params: { scale: 4 }, seed: 3, config: 'small' });
  });

  it('refuses what it cannot read, naming the part', () => {
    expect(() => parseWorkloadSpec('conv:C5,scale')).toThrow(/"scale" is not key=value/);
    expect(() => parseWorkloadSpec('conv:C5,scale=four')).toThrow(/parameter scale=four: expected an integer, true or false/);
    expect(() => parseWorkloadSpec('random#x')).toThrow(/seed "#x" is not a non-negative integer/);
    expect(() => parseWorkloadSpec('random@')).toThrow(/nothing after "@"/);
    expect(() => parseWorkloadSpec('gemm,m=1,m=2')).toThrow(/parameter m given twice/);
  });

  it('applies --seed and --config as defaults, and refuses a contradiction', () => {
    expect(resolveWorkloadSpec('random', {})).toEqual({ name: 'random', params: {}, seed: DEFAULT_SEED, config: 'default' });
    expect(resolveWorkloadSpec('random#4@small', {})).toMatchObject({ seed: 4, config: 'small' });
    expect(resolveWorkloadSpec('random', { seed: 9, config: 'batch2' })).toMatchObject({ seed: 9, config: 'batch2' });
    expect(resolveWorkloadSpec('random#4@small', { seed: 4, config: 'small' })).toMatchObject({ seed: 4, config: 'small' });
    expect(() => resolveWorkloadSpec('random#4', { seed: 5 })).toThrow(/names seed 4 but --seed is 5/);
    expect(() => resolveWorkloadSpec('random@small', { config: 'default' })).toThrow(/names config small but --config is default/);
  });
});

import { describe, expect, it } from 'vitest';
import { didYouMean, editDistance, nearestName } from './suggest.js';

describe('name suggestions', () => {
  it('counts edits, a swap of neighbours as one', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('tsim', 'tsmi')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests a near name and nothing for a far one', () => {
    const known = ['fsim', 'tsim', 'fpga'];
    expect(nearestName('tsmi', known)).toBe('tsim');
    expect(nearestName('TSIM', known)).toBe('tsim');
    expect(nearestName('verilog', known)).toBeUndefined();
    expect(didYouMean('resnet81', ['resnet18', 'mobilenet'])).toBe(' (did you mean "resnet18"?)');
    expect(didYouMean('quux', ['resnet18', 'mobilenet'])).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/fixtures.js';
import { RESNET18_CONVS, outputSize, type ConvShape } from './conv-shape.js';
import { enumerateTilings, fallbackTiling, searchTiling, tilingCost, TilingError } from './tps.js';

const small = resolveConfig('small'); // 1×4×4; inp 1024, wgt 4096, acc 1024 elements
const tiny: ConvShape = { name: 'tiny', b: 1, h: 4, w: 4, fi: 4, fo: 8, kh: 3, kw: 3, ph: 1, pw: 1, sh: 1, sw: 1 };

describe('tiling parameter search', () => {
  it('gives the output size of eq. 1 for ResNet-18 layers', () => {
    const byName = Object.fromEntries(RESNET18_CONVS.map((s) => [s.name, outputSize(s)]));
    expect(byName.C2).toEqual({ oh: 56, ow: 56 });
    expect(byName.C3).toEqual({ oh: 28, ow: 28 }); // 3×3, pad 1, stride 2
    expect(byName.C4).toEqual({ oh: 28, ow: 28 }); // 1×1, pad 0, stride 2
    expect(byName.C11).toEqual({ oh: 7, ow: 7 });
  });

  it('costs one tiling as the paper does (worked by hand)', () => {
    // thO = 2, tcoO = 2: input tile rows ⌊(4/2 + 2 − 3)/1⌋·1 + 3 = 4, columns ⌊(4 + 2 − 3)/1⌋ + 3 = 6.
    const c = tilingCost(tiny, small, { tbO: 1, thO: 2, twO: 1, tcoO: 2, tciO: 1, ocN: 1, hN: 1 });
    expect(c.sInp).toBe(4 * 6 * 4); // rows × cols × BLOCK_IN
    expect(c.sWgt).toBe((2 * 1 * 9 * 16) / 2); // half the 8×4×3×3 weights
    expect(c.sAcc).toBe((2 * 16 * 4) / 4 + 8 / 2); // a quarter of the 8×4×4 outputs plus half the bias
    // 4 outer tiles (2 row tiles × 2 out-channel tiles) each reload their inputs and weights.
    expect([c.lInp, c.lWgt, c.lAcc]).toEqual([4 * 96, 4 * 144, 2 * 8]);
    expect(c.dramBytes).toBe(384 + 576 + 16 * 4); // int8 inputs and weights, int32 bias
    expect(c.fits).toBe(true);
  });

  it('doubles the scratchpad use of a virtual-threaded tiling and refuses tilings that overflow', () => {
    const one = tilingCost(tiny, small, { tbO: 1, thO: 2, twO: 1, tcoO: 2, tciO: 1, ocN: 1, hN: 1 });
    const two = tilingCost(tiny, small, { tbO: 1, thO: 2, twO: 1, tcoO: 2, tciO: 1, ocN: 2, hN: 1 });
    expect([two.sInp, two.sWgt, two.sAcc]).toEqual([2 * one.sInp, 2 * one.sWgt, 2 * one.sAcc]);
    // A 16×16×16 layer in one tile needs 18·18·4 input elements: more than the 1024 of `small`.
    const big: ConvShape = { ...tiny, name: 'big', h: 16, w: 16, fi: 16, fo: 16 };
    const whole = tilingCost(big, small, { tbO: 1, thO: 1, twO: 1, tcoO: 1, tciO: 1, ocN: 1, hN: 1 });
    expect(whole.sInp).toBe(18 * 18 * 16);
    expect(whole.fits).toBe(false);
    const r = searchTiling(big, small);
    expect(r.fitting).toBeLessThan(r.candidates);
    expect(r.best.fits).toBe(true);
  });

  it('finds the cheapest fitting tiling, never worse than the fallback', () => {
    const r = searchTiling(tiny, small);
    const all = enumerateTilings(tiny, small).map((t) => tilingCost(tiny, small, t));
    // Independent check by brute force over the same candidates.
    const cheapest = Math.min(...all.filter((c) => c.fits).map((c) => c.dramBytes));
    expect(r.best.dramBytes).toBe(cheapest);
    expect(r.best.dramBytes).toBeLessThanOrEqual(r.fallback.dramBytes);
    expect(fallbackTiling(tiny, small)).toEqual({ tbO: 1, thO: 4, twO: 4, tcoO: 2, tciO: 1, ocN: 1, hN: 1 });
  });

  it('cuts DRAM traffic by the 20×–400× the paper reports for ResNet-18 C2–C11 on BLOCK 32 (its Fig. 10)', () => {
    const block32 = resolveConfig('block32');
    for (const s of RESNET18_CONVS) {
      const r = searchTiling(s, block32);
      const ratio = r.fallback.dramBytes / r.best.dramBytes;
      expect(ratio, s.name).toBeGreaterThan(20);
      expect(ratio, s.name).toBeLessThan(400);
    }
  });

  it('refuses a layer whose channels do not fill whole blocks', () => {
    expect(() => searchTiling({ ...tiny, fi: 6 }, small)).toThrow(TilingError);
    expect(() => searchTiling({ ...tiny, fi: 6 }, small)).toThrow(/input channels 6 is not a multiple of 4/);
  });
});

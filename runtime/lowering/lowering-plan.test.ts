/** The pure parts of the lowering: tiling → loop nest, flat runs, tap ranges, against hand-worked values. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/fixtures.js';
import { RESNET18_CONVS } from './conv-shape.js';
import { accIndex, chooseConvPlan, DOUBLE_BUFFER_BYTES_FACTOR, inpIndex, planConv, wgtIndex } from './conv-plan.js';
import { flatChunks } from './flat-range.js';
import { bandWindow, tapRange } from './row-bands.js';
import { searchTiling, tilingCost } from './tps.js';

const def = resolveConfig('default');
const C2 = RESNET18_CONVS[0]!;

describe('conv plan', () => {
  it('turns a tiling into tile sizes, halo and slot sizes', () => {
    // C2: 56×56, 64→64 (4 blocks each), 3×3 pad 1. One output row per tile, all 56 columns,
    // one output and one input channel block per tile.
    const pl = planConv(C2, def, { tbO: 1, thO: 56, twO: 1, tcoO: 4, tciO: 4, ocN: 2, hN: 1 });
    expect([pl.tb, pl.th, pl.tw, pl.tco, pl.tci]).toEqual([1, 1, 56, 1, 1]);
    expect([pl.rows, pl.cols]).toEqual([3, 58]); // 1 row + 2 halo, 56 + 2
    expect([pl.inpSlot, pl.wgtSlot, pl.accSlot, pl.threads]).toEqual([174, 9, 56, 2]);
    expect(pl.uopsPerTile).toBe(9);
    expect(pl.fits).toBe(true);
  });

  it('lays a tile out channel block first, then batch, rows, columns', () => {
    const pl = planConv({ ...C2, b: 2 }, resolveConfig('batch2'), { tbO: 1, thO: 28, twO: 1, tcoO: 2, tciO: 2, ocN: 1, hN: 1 });
    // tb 1 (batch 2 = one VTA batch), th 2, tw 56, tco 2, tci 2, rows 4, cols 58.
    expect(accIndex(pl, 0, 1, 1, 3)).toBe((1 * 2 + 1) * 56 + 3);
    expect(inpIndex(pl, 0, 1, 2, 5)).toBe((1 * 4 + 2) * 58 + 5);
    expect(wgtIndex(pl, 1, 0, 2, 1)).toBe(((1 * 2 + 0) * 3 + 2) * 3 + 1);
  });

  it('every ResNet-18 layer gets a double-buffered plan that fits, within the bytes factor of TPS best', () => {
    for (const s of RESNET18_CONVS) {
      const pl = chooseConvPlan(s, def);
      expect(pl.threads * pl.inpSlot).toBeLessThanOrEqual(def.inpDepth);
      expect(pl.threads * pl.wgtSlot).toBeLessThanOrEqual(def.wgtDepth);
      expect(pl.threads * pl.accSlot).toBeLessThanOrEqual(def.accDepth);
      expect(pl.threads * pl.uopsPerTile).toBeLessThanOrEqual(def.uopDepth);
      // The default scratchpads hold two slots of some near-minimal tiling of every layer.
      expect(pl.threads, s.name).toBe(2);
      expect(tilingCost(s, def, pl.tiling).dramBytes).toBeLessThanOrEqual(DOUBLE_BUFFER_BYTES_FACTOR * searchTiling(s, def).best.dramBytes);
    }
  });

  it('C2: gives up half again the bytes of TPS best for two threads along output channels', () => {
    // TPS best: all 56 rows, 8-column tiles (twO 7), every output channel, one input block per
    // step. Its ACC tile, 4 blocks × 56 × 8 = 1792, does not fit twice in 2048, so no threads.
    // Per reload (7 column tiles × 4 input steps = 28): input 58 × 10 × 16 = 9280 B, weights
    // 4 × 1 × 9 × 256 = 9216 B; outputs 7 × 64 × 4 B: 28 × (9280 + 9216) + 1792 = 519680.
    expect(searchTiling(C2, def).best.tiling).toEqual({ tbO: 1, thO: 1, twO: 7, tcoO: 1, tciO: 4, ocN: 1, hN: 1 });
    expect(searchTiling(C2, def).best.dramBytes).toBe(519680);
    // Splitting output channels over two threads halves the ACC tile (2 × 896 fits) but each
    // thread loads the shared input tile itself: 28 × (2 × 9280 + 9216) + 1792 = 779520 = 1.5×.
    const pl = chooseConvPlan(C2, def);
    expect(pl.tiling).toEqual({ tbO: 1, thO: 1, twO: 7, tcoO: 2, tciO: 4, ocN: 2, hN: 1 });
    expect([pl.accSlot, pl.inpSlot, pl.threads]).toEqual([896, 580, 2]);
    expect(tilingCost(C2, def, pl.tiling).dramBytes).toBe(779520);
  });
});

describe('flat runs', () => {
  it('one loop below 2^ITER_WIDTH, two levels above, several instructions beyond', () => {
    expect(flatChunks(def, 100)).toEqual([{ start: 0, loops: [{ count: 100, dst: 1, src: 1 }] }]);
    // 20000 = 1 × 16383 + 3617 (limit 2^14 − 1)
    expect(flatChunks(def, 20000, false)).toEqual([
      { start: 0, loops: [{ count: 1, dst: 16383 }, { count: 16383, dst: 1 }] },
      { start: 16383, loops: [{ count: 3617, dst: 1 }] },
    ]);
  });
});

describe('window taps', () => {
  const x = { buffer: null as never, n: 1, c: 4, h: 4, w: 4 };
  const out = { ...x, h: 2, w: 2 };
  const band = { plane: 0, oy0: 0, outRows: 2, outOffset: 0, loop: {} };
  it('unpadded: a corner tap reaches only the outputs whose input is inside the image', () => {
    // 3×3 stride 2 pad 1 on 4×4: outputs read input rows/cols {-1,0,1} and {1,2,3}.
    const w = { k: 3, stride: 2, pad: 1, padded: false };
    const bw = bandWindow(band, x, out, w);
    expect(bw).toEqual({ rowLo: 0, rows: 4, colLo: 0, cols: 4, outRows: 2, oy0: 0 });
    // tap (0,0) reads (2y−1, 2x−1): only y = x = 1 is inside, at input (1,1) = element 5.
    expect(tapRange(bw, out, w, 0, 0)).toEqual({ y0: 1, y1: 2, x0: 1, x1: 2, src: 5 });
    // tap (1,1) reads (2y, 2x): all four outputs, first at element 0.
    expect(tapRange(bw, out, w, 1, 1)).toEqual({ y0: 0, y1: 2, x0: 0, x1: 2, src: 0 });
  });
  it('padded: every tap covers the band, offsets count the padding', () => {
    const w = { k: 3, stride: 2, pad: 1, padded: true };
    const bw = bandWindow(band, x, out, w);
    expect(bw).toEqual({ rowLo: -1, rows: 5, colLo: -1, cols: 5, outRows: 2, oy0: 0 });
    expect(tapRange(bw, out, w, 2, 1)).toEqual({ y0: 0, y1: 2, x0: 0, x1: 2, src: 2 * 5 + 1 });
  });
});

/**
 * Pooling on the ALU. Average (global, as ResNet and MobileNet end): each channel block's plane
 * is copied into ACC, summed by a tree of tensor ADDs (halving the run each step, so no
 * micro-op reads the element the previous one wrote), shifted right, stored. Max: a band of
 * output rows at a time, the result starts at −128 and takes the MAX with every kernel tap.
 * With the PAD_MIN_VALUE extension the padding is loaded as −128 and every tap covers the whole
 * band; without it nothing is padded and each tap covers only the outputs whose input is inside
 * the image, which gives the same maximum.
 */
import type { ProgramBuilder } from '../builder/index.js';
import { aluImmRun, zeroRun } from './alu-steps.js';
import { poolShift } from './golden-layers.js';
import { copyInpToAcc, loadIdentity, requireSquareBlocks } from './identity-copy.js';
import { LoweringError } from './lowering-error.js';
import type { DramTensor } from './network-lower.js';
import { bandLoadStep, bandsFor, bandWindow, tapRange } from './row-bands.js';
import { runTiles, threadsFor } from './tile-runner.js';

export function lowerAvgPool(b: ProgramBuilder, op: string, x: DramTensor, out: DramTensor): void {
  requireSquareBlocks(b, op);
  const p = b.params;
  const n = x.h * x.w;
  const planes = (x.n / p.batch) * (x.c / p.blockOut);
  const threads = threadsFor((t) => n * t <= Math.min(p.inpDepth, p.accDepth));
  const g = Math.floor(Math.min(p.inpDepth, p.accDepth) / threads / n);
  if (g < 1) throw new LoweringError(`${op}: one ${x.h}×${x.w} plane does not fit INP/ACC (${Math.min(p.inpDepth, p.accDepth)} elements)`);
  const tiles = Math.ceil(planes / g);
  const count = (i: number) => Math.min(g, planes - i * g);
  const base = (slot: number) => slot * g * n;
  runTiles(b, tiles, threads, {
    load: (i, slot) => {
      b.at(op, { tile: i, vthread: slot }, 'load planes');
      if (i === 0) loadIdentity(b);
      b.load('inp', base(slot), { buffer: x.buffer, offset: i * g * n, rows: 1, cols: count(i) * n });
    },
    compute: (i, slot) => {
      b.at(op, { tile: i, vthread: slot }, 'sum tree and shift');
      copyInpToAcc(b, base(slot), base(slot), count(i) * n);
      for (let cur = n; cur > 1; cur = Math.ceil(cur / 2)) {
        const half = Math.floor(cur / 2);
        const off = Math.ceil(cur / 2);
        b.alu('add', { uops: [{ dst: base(slot), src: base(slot) + off }], loops: [{ count: count(i), dst: n, src: n }, { count: half, dst: 1, src: 1 }] });
      }
      b.alu('shr', { uops: [{ dst: base(slot) }], loops: [{ count: count(i), dst: n }] }, { imm: poolShift(n) });
    },
    store: (i, slot) => {
      b.at(op, { tile: i, vthread: slot }, 'store');
      for (let j = 0; j < count(i); j++) b.store(base(slot) + j * n, { buffer: out.buffer, offset: i * g + j, rows: 1, cols: 1 });
    },
  });
}

export function lowerMaxPool(b: ProgramBuilder, op: string, x: DramTensor, out: DramTensor, k: number, stride: number, pad: number): void {
  requireSquareBlocks(b, op);
  const p = b.params;
  const padMin = p.padMinValue;
  const win = { k, stride, pad, padded: padMin };
  // ACC per thread: the input band then the result band.
  const { bands, threads, inpSlot, accSlot } = bandsFor(b, op, x, out, win, (w) => ({ inp: w.rows * w.cols, acc: w.rows * w.cols + w.outRows * out.w }));
  runTiles(b, bands.length, threads, {
    load: bandLoadStep(b, op, x, out, win, bands, inpSlot, padMin),
    compute: (i, slot) => {
      const band = bands[i]!;
      b.at(op, band.loop, 'copy to ACC, MAX over taps');
      const w = bandWindow(band, x, out, win);
      const inAcc = slot * accSlot;
      const res = inAcc + w.rows * w.cols;
      copyInpToAcc(b, inAcc, slot * inpSlot, w.rows * w.cols);
      zeroRun(b, res, w.outRows * out.w);
      aluImmRun(b, 'min', res, w.outRows * out.w, -128);
      for (let ky = 0; ky < k; ky++)
        for (let kx = 0; kx < k; kx++) {
          const r = tapRange(w, out, win, ky, kx);
          if (!r) continue;
          const loops = [{ count: r.y1 - r.y0, dst: out.w, src: stride * w.cols }, { count: r.x1 - r.x0, dst: 1, src: stride }];
          b.alu('max', { uops: [{ dst: res + r.y0 * out.w + r.x0, src: inAcc + r.src }], loops });
        }
    },
    store: (i, slot) => {
      const band = bands[i]!;
      b.at(op, band.loop, 'store');
      const w = bandWindow(band, x, out, win);
      b.store(slot * accSlot + w.rows * w.cols, { buffer: out.buffer, offset: band.outOffset, rows: w.outRows, cols: out.w });
    },
  });
}

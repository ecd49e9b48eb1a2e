/**
 * 3×3 depthwise convolution on the ALU (the GEMM unit sums over input channels, which a
 * depthwise filter must not): per band of output rows, the padded input is copied into ACC; for
 * each tap a temporary takes the shifted input (MOV on the fork's opcodes, zero + ADD upstream),
 * is multiplied element-wise by that tap's weights (MUL upstream, MUL8 on the fork) and added
 * into the result, which is then requantised like a convolution.
 * The weights are ACC elements loaded from DRAM as int32: for channel block cb and tap t, lane
 * (b, c) holds w[cb·BLOCK_OUT + c][t] for every batch row b.
 */
import type { ProgramBuilder } from '../builder/index.js';
import { requantRun, zeroRun } from './alu-steps.js';
import { flatChunks } from './flat-range.js';
import { requantShift } from './golden-layers.js';
import { copyInpToAcc, requireSquareBlocks } from './identity-copy.js';
import type { DramTensor } from './network-lower.js';
import { bandLoadStep, bandsFor, bandWindow, tapRange } from './row-bands.js';
import { runTiles } from './tile-runner.js';

/** The weights (c×3×3, channels padded to `cTo`) as ACC elements, 9 per channel block. */
export function depthwiseWeightImage(w: Int8Array, c: number, cTo: number, batch: number, blockOut: number): Uint8Array {
  const bytes = new Uint8Array((cTo / blockOut) * 9 * batch * blockOut * 4);
  const view = new DataView(bytes.buffer);
  for (let ch = 0; ch < c; ch++) {
    const cb = Math.floor(ch / blockOut);
    for (let t = 0; t < 9; t++) {
      for (let bb = 0; bb < batch; bb++) view.setInt32((((cb * 9 + t) * batch + bb) * blockOut + (ch % blockOut)) * 4, w[ch * 9 + t]!, true);
    }
  }
  return bytes;
}

export function lowerDepthwise(b: ProgramBuilder, op: string, x: DramTensor, out: DramTensor, weights: Int8Array, channels: number, stride: number, relu: boolean): void {
  requireSquareBlocks(b, op);
  const p = b.params;
  const wbuf = b.alloc(`${op}.weight`, 'acc', depthwiseWeightImage(weights, channels, x.c, p.batch, p.blockOut));
  const win = { k: 3, stride, pad: 1, padded: true };
  const cBlocks = x.c / p.blockOut;
  // ACC per thread: input window, temporary, result, 9 weight elements.
  const { bands, threads, inpSlot, accSlot } = bandsFor(b, op, x, out, win, (w) => ({ inp: w.rows * w.cols, acc: w.rows * w.cols + 2 * w.outRows * out.w + 9 }));
  const fork = p.aluOpcodes === 'fork';
  runTiles(b, bands.length, threads, {
    load: bandLoadStep(b, op, x, out, win, bands, inpSlot, false),
    compute: (i, slot) => {
      const band = bands[i]!;
      const w = bandWindow(band, x, out, win);
      const n = w.outRows * out.w;
      const inAcc = slot * accSlot;
      const tmp = inAcc + w.rows * w.cols;
      const res = tmp + n;
      const wgt = res + n;
      b.at(op, band.loop, 'weights, copy to ACC');
      b.load('acc', wgt, { buffer: wbuf, offset: (band.plane % cBlocks) * 9, rows: 1, cols: 9 });
      copyInpToAcc(b, inAcc, slot * inpSlot, w.rows * w.cols);
      zeroRun(b, res, n);
      for (let t = 0; t < 9; t++) {
        b.at(op, { ...band.loop, tap: t }, 'multiply-accumulate one tap');
        const r = tapRange(w, out, win, Math.floor(t / 3), t % 3)!;
        const rows = { count: w.outRows, dst: out.w, src: stride * w.cols };
        const cols = { count: out.w, dst: 1, src: stride };
        if (fork) b.alu('mov', { uops: [{ dst: tmp, src: inAcc + r.src }], loops: [rows, cols] });
        else {
          zeroRun(b, tmp, n);
          b.alu('add', { uops: [{ dst: tmp, src: inAcc + r.src }], loops: [rows, cols] });
        }
        b.alu(fork ? 'mul8' : 'mul', { uops: [{ dst: tmp, src: wgt + t }], loops: [{ ...rows, src: 0 }, { ...cols, src: 0 }] });
        for (const c of flatChunks(p, n)) b.alu('add', { uops: [{ dst: res + c.start, src: tmp + c.start }], loops: c.loops });
      }
      b.at(op, band.loop, 'requantise');
      requantRun(b, res, n, requantShift(9), relu);
    },
    store: (i, slot) => {
      const band = bands[i]!;
      b.at(op, band.loop, 'store');
      const w = bandWindow(band, x, out, win);
      b.store(slot * accSlot + w.rows * w.cols + w.outRows * out.w, { buffer: out.buffer, offset: band.outOffset, rows: w.outRows, cols: out.w });
    },
  });
}

/**
 * Bands of output rows for the windowed ALU layers (max pool, depthwise): one channel-block
 * plane and as many output rows as fit both threads' scratchpad parts, the input rows each band
 * reads, and which outputs each kernel tap reaches inside them.
 */
import { MEM_ID } from '../isa/layout.js';
import { NO_DEPS, type MemInsn } from '../isa/insn.js';
import type { ProgramBuilder } from '../builder/index.js';
import { loadIdentity } from './identity-copy.js';
import { LoweringError } from './lowering-error.js';
import type { DramTensor } from './network-lower.js';

/** A k×k window with stride and padding; `padded` loads the padding, else it is left out. */
export interface Window {
  k: number;
  stride: number;
  pad: number;
  padded: boolean;
}

export interface Band {
  /** Plane index: batch block × channel block. */
  plane: number;
  /** First output row and number of output rows. */
  oy0: number;
  outRows: number;
  /** Output element where the band starts in DRAM. */
  outOffset: number;
  loop: Record<string, number>;
}

/** Input rows/columns a band holds in the scratchpad, in image coordinates (negative = padding). */
export interface BandWindow {
  rowLo: number;
  rows: number;
  colLo: number;
  cols: number;
  outRows: number;
  oy0: number;
}

export function bandWindow(band: Band, x: DramTensor, out: DramTensor, w: Window): BandWindow {
  const iy0 = band.oy0 * w.stride - w.pad;
  const need = (band.outRows - 1) * w.stride + w.k;
  const needCols = (out.w - 1) * w.stride + w.k;
  if (w.padded) return { rowLo: iy0, rows: need, colLo: -w.pad, cols: needCols, outRows: band.outRows, oy0: band.oy0 };
  const lo = Math.max(0, iy0);
  const hi = Math.min(x.h, iy0 + need);
  return { rowLo: lo, rows: hi - lo, colLo: 0, cols: Math.min(x.w, needCols - w.pad), outRows: band.outRows, oy0: band.oy0 };
}

/** Outputs [y0, y1) × [x0, x1) of the band whose tap (ky, kx) lies inside the window, and the tap's first element. */
export function tapRange(bw: BandWindow, out: DramTensor, w: Window, ky: number, kx: number) {
  const s = w.stride;
  const y0 = Math.max(0, Math.ceil((bw.rowLo - ky + w.pad) / s) - bw.oy0);
  const y1 = Math.min(bw.outRows, Math.floor((bw.rowLo + bw.rows - 1 - ky + w.pad) / s) - bw.oy0 + 1);
  const x0 = Math.max(0, Math.ceil((bw.colLo - kx + w.pad) / s));
  const x1 = Math.min(out.w, Math.floor((bw.colLo + bw.cols - 1 - kx + w.pad) / s) + 1);
  if (y1 <= y0 || x1 <= x0) return null;
  const iy = (bw.oy0 + y0) * s + ky - w.pad;
  const ix = x0 * s + kx - w.pad;
  return { y0, y1, x0, x1, src: (iy - bw.rowLo) * bw.cols + (ix - bw.colLo) };
}

/** Bands covering every plane, sized so `threads` parts of `footprint` fit INP and ACC. */
export function bandsFor(b: ProgramBuilder, op: string, x: DramTensor, out: DramTensor, w: Window, footprint: (bw: BandWindow) => { inp: number; acc: number }) {
  const p = b.params;
  const planes = (x.n / p.batch) * (x.c / p.blockOut);
  const sizeOf = (rows: number) => footprint(bandWindow({ plane: 0, oy0: 0, outRows: rows, outOffset: 0, loop: {} }, x, out, { ...w, padded: true }));
  const fits = (rows: number, threads: number) => {
    const f = sizeOf(rows);
    return f.inp * threads <= p.inpDepth && f.acc * threads <= p.accDepth && rows < 2 ** p.iterWidth;
  };
  const threads = fits(1, 2) ? 2 : 1;
  if (!fits(1, threads)) throw new LoweringError(`${op}: one output row (${out.w} wide) and its input rows do not fit INP/ACC on ${p.bitstream}`);
  let rows = 1;
  while (rows < out.h && fits(rows + 1, threads)) rows++;
  const bands: Band[] = [];
  for (let plane = 0; plane < planes; plane++) {
    for (let oy0 = 0; oy0 < out.h; oy0 += rows) {
      const outRows = Math.min(rows, out.h - oy0);
      bands.push({ plane, oy0, outRows, outOffset: (plane * out.h + oy0) * out.w, loop: { plane, row: oy0 } });
    }
  }
  const f = sizeOf(rows);
  return { bands, threads, inpSlot: f.inp, accSlot: f.acc };
}

/** LOAD INP of a band's window (padding from the load unit; −128 padding with `padMin`). */
export function loadBand(b: ProgramBuilder, x: DramTensor, band: Band, sram: number, bw: BandWindow, padMin: boolean): void {
  const top = Math.max(0, -bw.rowLo);
  const bottom = Math.max(0, bw.rowLo + bw.rows - x.h);
  const left = Math.max(0, -bw.colLo);
  const right = Math.max(0, bw.colLo + bw.cols - x.w);
  const block = { buffer: x.buffer, offset: (band.plane * x.h + bw.rowLo + top) * x.w + bw.colLo + left, rows: bw.rows - top - bottom, cols: bw.cols - left - right, stride: x.w };
  if (!padMin) {
    b.load('inp', sram, block, { top, bottom, left, right });
    return;
  }
  // The builder has no pad-value option yet: the same LOAD with is_pad_min_value set.
  const e = b.elemBytes('inp');
  const insn: MemInsn = {
    ...NO_DEPS,
    opcode: 0,
    memory_type: MEM_ID.INP,
    sram_base: sram,
    is_pad_min_value: 1,
    dram_base: block.buffer.addr / e + block.offset,
    y_size: block.rows,
    x_size: block.cols,
    x_stride: block.stride,
    y_pad_0: top,
    y_pad_1: bottom,
    x_pad_0: left,
    x_pad_1: right,
  };
  b.raw(insn);
}

/** The load step of a banded layer: the identity block once, then each band's window into its thread's INP part. */
export function bandLoadStep(b: ProgramBuilder, op: string, x: DramTensor, out: DramTensor, w: Window, bands: Band[], inpSlot: number, padMin: boolean) {
  return (i: number, slot: number) => {
    const band = bands[i]!;
    b.at(op, band.loop, 'load band');
    if (i === 0) loadIdentity(b);
    loadBand(b, x, band, slot * inpSlot, bandWindow(band, x, out, w), padMin);
  };
}

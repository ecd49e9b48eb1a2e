/**
 * The loop nest of a convolution on VTA, from a TPS tiling (tps.ts): tile sizes of the five
 * tiled dimensions, the virtual threads, and where each thread's tile lives in the INP, WGT and
 * ACC scratchpads. Pure arithmetic: conv-lower.ts walks the plan and emits instructions.
 *
 * Loop order, outer to inner, as TVM's VTA conv2d schedule has it: batch, output-channel and row
 * tiles (the virtual-thread split on one of them), column tiles, then the input-channel
 * reduction; inside a tile the GEMM walks (rows, columns) with its two loops and (batch,
 * input channel, ky, kx) with its micro-ops.
 */
import type { VtaParams } from '../config/config.js';
import { outputSize, type ConvShape } from './conv-shape.js';
import { fallbackTiling, rankedTilings, tiledDims, TilingError, type Tiling } from './tps.js';

export interface ConvPlan {
  shape: ConvShape;
  tiling: Tiling;
  oh: number;
  ow: number;
  /** Inner (per-tile) sizes: batch blocks, output rows, output columns, out/in channel blocks. */
  tb: number;
  th: number;
  tw: number;
  tco: number;
  tci: number;
  /** Input rows and columns one tile holds (halo included). */
  rows: number;
  cols: number;
  /**
   * Image rows from one held input row to the next: 1, or the stride for an unpadded 1×1 kernel,
   * whose tile needs only every stride-th row — the load skips the others with its DRAM row
   * stride. (Columns cannot be skipped: a LOAD row is one contiguous run.)
   */
  rowStep: number;
  /** Elements of one thread's part of each scratchpad, and the number of threads. */
  inpSlot: number;
  wgtSlot: number;
  accSlot: number;
  threads: number;
  /** ACC elements of one tile's output (the whole ACC part, or its first half with a residual). */
  accTile: number;
  /**
   * A residual add fused into the epilogue (conv-lower.ts): each thread's INP part also holds
   * the tile's shortcut from `shortcutInp` on and its ACC part the shortcut from `accTile` on,
   * and the identity weight block sits at WGT `identityWgt`, after every thread's weights.
   */
  residual: boolean;
  shortcutInp: number;
  identityWgt: number;
  /** Micro-ops of one tile's GEMM kernels (all output-channel blocks). */
  uopsPerTile: number;
}

/** Scratchpad indices within a thread's slot (slot base added by the caller). */
export function accIndex(pl: ConvPlan, bb: number, co: number, oy: number, ox: number): number {
  return ((co * pl.tb + bb) * pl.th + oy) * pl.tw + ox;
}
export function inpIndex(pl: ConvPlan, bb: number, ci: number, iy: number, ix: number): number {
  return ((ci * pl.tb + bb) * pl.rows + iy) * pl.cols + ix;
}
export function wgtIndex(pl: ConvPlan, co: number, ci: number, ky: number, kx: number): number {
  return ((co * pl.tci + ci) * pl.shape.kh + ky) * pl.shape.kw + kx;
}

/** What the layer does besides the convolution itself. */
export interface ConvExtras {
  /** Add a shortcut tensor of the output's shape before the final clip. */
  residual?: boolean;
}

/** The plan of one tiling; `fits` says whether the threads' slots fit every scratchpad. */
export function planConv(s: ConvShape, p: VtaParams, t: Tiling, extras: ConvExtras = {}): ConvPlan & { fits: boolean } {
  const d = tiledDims(s, p);
  const { oh, ow } = outputSize(s);
  const tb = d.nb / t.tbO;
  const th = oh / t.thO;
  const tw = ow / t.twO;
  const tco = d.dout / t.tcoO;
  const tci = d.din / t.tciO;
  const rowStep = s.kh === 1 && s.ph === 0 ? s.sh : 1;
  const rows = (th - 1) * (s.sh / rowStep) + s.kh;
  const cols = (tw - 1) * s.sw + s.kw;
  const threads = t.ocN * t.hN;
  const residual = !!extras.residual;
  const accTile = tb * tco * th * tw;
  // The shortcut is int8 like the input and one INP element maps onto one ACC element
  // (BLOCK_IN = BLOCK_OUT, required by the identity copy), so it takes accTile elements of each.
  const shortcutInp = tb * tci * rows * cols;
  const inpSlot = shortcutInp + (residual ? accTile : 0);
  const wgtSlot = tco * tci * s.kh * s.kw;
  const accSlot = residual ? 2 * accTile : accTile;
  const identityWgt = threads * wgtSlot;
  const uopsPerTile = tco * tb * tci * s.kh * s.kw;
  const fits =
    threads * inpSlot <= p.inpDepth &&
    identityWgt + (residual ? 1 : 0) <= p.wgtDepth &&
    threads * accSlot <= p.accDepth &&
    // Every tile's kernels stay resident in the uop scratchpad (else they reload every tile).
    threads * uopsPerTile <= p.uopDepth &&
    th < 2 ** p.iterWidth &&
    tw < 2 ** p.iterWidth;
  return { shape: s, tiling: t, oh, ow, tb, th, tw, tco, tci, rows, cols, rowStep, inpSlot, wgtSlot, accSlot, threads, accTile, residual, shortcutInp, identityWgt, uopsPerTile, fits };
}

/**
 * How many times the DRAM bytes of the best single-buffered tiling a double-buffered one may
 * move and still be preferred. Two virtual threads let the load module fill one slot while
 * compute works on the other, so extra bytes cost nothing while loading stays shorter than
 * computing. On the default configuration ResNet-18's loads take under a third of its compute
 * cycles when run one after the other, and its best double-buffered tilings move at most 1.5×
 * the bytes of the best tiling (an output-channel split reloads the shared input tile per
 * thread), so half again the bytes stays hidden behind the GEMMs.
 */
export const DOUBLE_BUFFER_BYTES_FACTOR = 1.5;

/**
 * The plan for a layer: among the tilings in TPS's order whose exact footprint fits (TPS's eq. 3
 * rounds the halo differently and counts a bias this lowering does not load) and whose kernels
 * stay resident in the uop scratchpad, the first with two virtual threads whose DRAM bytes are
 * within DOUBLE_BUFFER_BYTES_FACTOR of the first fitting one; else that first one. TPS itself
 * (searchTiling) keeps the paper's pure minimum-bytes choice.
 */
export function chooseConvPlan(s: ConvShape, p: VtaParams, extras: ConvExtras = {}): ConvPlan {
  const fitting = rankedTilings(s, p)
    .map((cost) => ({ cost, plan: planConv(s, p, cost.tiling, extras) }))
    .filter((c) => c.plan.fits);
  const best = fitting[0];
  if (best) {
    const overlapped = fitting.find((c) => c.plan.threads === 2 && c.cost.dramBytes <= best.cost.dramBytes * DOUBLE_BUFFER_BYTES_FACTOR);
    return (overlapped ?? best).plan;
  }
  const fallback = planConv(s, p, fallbackTiling(s, p), extras);
  if (fallback.fits) return fallback;
  throw new TilingError(`${s.name}: even one output pixel per tile overflows a scratchpad on ${p.bitstream} (inp ${fallback.inpSlot}, wgt ${fallback.wgtSlot}, acc ${fallback.accSlot}, uop ${fallback.uopsPerTile} elements)`);
}

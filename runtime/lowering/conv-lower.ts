/**
 * A convolution (or a dense layer as a 1×1 convolution) lowered onto the program builder the way
 * TVM's VTA conv2d schedule runs: for each output tile, for each input-channel tile, LOAD the
 * input rows (padding from the load unit) and the weights, GEMM into the tile's ACC part; then
 * requantise with SHR and MIN/MAX and STORE. Virtual threads own separate scratchpad parts, so
 * one thread's loads overlap the other's GEMMs (double buffering, virtual-threads.ts).
 *
 * A residual add can be fused into the epilogue (ResNet's conv2 + add): the tile's shortcut is
 * loaded into INP with the first input-channel step, copied into the second half of the tile's
 * ACC part through the identity block, and after the requantisation the ALU adds it and clips
 * again. The result is the same as storing the conv's int8 output, loading it back and adding —
 * clip(clip(conv >> s) + shortcut) — without that round trip through DRAM, and the loads hide
 * behind the GEMMs instead of forming a memory-bound layer of their own.
 *
 * Tensors are in DRAM in VTA's blocked layout with channels already padded to whole blocks:
 * input (N/B)·(C/BI)·H·W elements, weights (O/BO)·(C/BI)·kh·kw, output (N/B)·(O/BO)·OH·OW.
 */
import type { DramBuffer } from '../bundle/bundle.js';
import { VirtualThreads, type KernelUop, type ProgramBuilder } from '../builder/index.js';
import { addAccRun, requantRun, zeroRun } from './alu-steps.js';
import { accIndex, inpIndex, wgtIndex, type ConvPlan } from './conv-plan.js';
import { addInpToAcc, loadIdentity, requireSquareBlocks } from './identity-copy.js';

export interface ConvBuffers {
  input: DramBuffer;
  weight: DramBuffer;
  output: DramBuffer;
}

export interface ConvRequant {
  shift: number;
  relu: boolean;
}

/** A shortcut tensor (the output's shape and layout) added after the requantisation. */
export interface ResidualAdd {
  shortcut: DramBuffer;
  /** Clip the sum at 0 instead of −128. */
  relu: boolean;
}

/** One thread's output tile: tile coordinates in units of tiles. */
interface TileAt {
  bo: number;
  co: number;
  ho: number;
  wo: number;
}

export function lowerConv(b: ProgramBuilder, op: string, pl: ConvPlan, io: ConvBuffers, rq: ConvRequant, residual?: ResidualAdd): void {
  const p = b.params;
  if (pl.residual !== !!residual) throw new Error(`${op}: the plan ${pl.residual ? 'has' : 'has no'} room for a residual add, the call ${residual ? 'asks for one' : 'has none'}`);
  if (residual) requireSquareBlocks(b, op);
  const s = pl.shape;
  const t = pl.tiling;
  const CI = s.fi / p.blockIn;
  const CO = s.fo / p.blockOut;
  const vt = new VirtualThreads(b, pl.threads);
  // `slot` is the scratchpad part VirtualThreads handed to the phase, never a thread index of
  // our own: slots go round-robin in each module's order, which only the protocol knows.
  const tag = (at: TileAt, slot: number, extra: Record<string, number> = {}, note?: string) =>
    b.at(op, { b: at.bo, co: at.co, h: at.ho, w: at.wo, ...extra, vthread: slot }, note);

  const loadWeights = (at: TileAt, cio: number, slot: number) => {
    const taps = s.kh * s.kw;
    const wOffset = (at.co * pl.tco * CI + cio * pl.tci) * taps;
    b.load('wgt', slot * pl.wgtSlot, { buffer: io.weight, offset: wOffset, rows: pl.tco, cols: pl.tci * taps, stride: CI * taps });
  };

  // The layer's first weight tile is loaded before the virtual threads begin. Weights are never
  // written by the program, so that load only has to wait until the previous layer's GEMMs are
  // done with WGT (the load takes the pop the previous layer's end left pending), not for its
  // last stores like the input loads do: it overlaps the previous layer's last requantisation
  // and stores instead of delaying the first GEMM. Slot 0 is the first slot VirtualThreads hands out.
  const first: TileAt = { bo: 0, co: 0, ho: 0, wo: 0 };
  let prefetched = true;
  tag(first, 0, { ci: 0 }, 'load first weights');
  loadWeights(first, 0, 0);
  if (residual) loadIdentity(b, pl.identityWgt);

  // The tile's output block by block: its place in the ACC tile and in a DRAM tensor of the
  // output's shape (the output itself, or a fused residual's shortcut).
  const forEachOutputRun = (at: TileAt, fn: (acc: number, offset: number) => void) => {
    for (let co = 0; co < pl.tco; co++) {
      for (let bb = 0; bb < pl.tb; bb++) {
        const n = at.bo * pl.tb + bb;
        const o = at.co * pl.tco + co;
        fn(accIndex(pl, bb, co, 0, 0), ((n * CO + o) * pl.oh + at.ho * pl.th) * pl.ow + at.wo * pl.tw);
      }
    }
  };

  const loadTile = (at: TileAt, cio: number, slot: number) => {
    tag(at, slot, { ci: cio }, 'load input and weights');
    const iy0 = at.ho * pl.th * s.sh - s.ph;
    const ix0 = at.wo * pl.tw * s.sw - s.pw;
    const top = Math.max(0, -iy0);
    const bottom = Math.max(0, iy0 + (pl.rows - 1) * pl.rowStep + 1 - s.h);
    const left = Math.max(0, -ix0);
    const right = Math.max(0, ix0 + pl.cols - s.w);
    for (let bb = 0; bb < pl.tb; bb++) {
      for (let ci = 0; ci < pl.tci; ci++) {
        const n = at.bo * pl.tb + bb;
        const c = cio * pl.tci + ci;
        const offset = ((n * CI + c) * s.h + iy0 + top) * s.w + ix0 + left;
        const block = { buffer: io.input, offset, rows: pl.rows - top - bottom, cols: pl.cols - left - right, stride: s.w * pl.rowStep };
        b.load('inp', slot * pl.inpSlot + inpIndex(pl, bb, ci, 0, 0), block, { top, bottom, left, right });
      }
    }
    if (prefetched) {
      // Only the layer's very first load phase, which gets slot 0 and tile `first`.
      if (slot !== 0 || cio !== 0 || at.bo !== 0 || at.co !== 0 || at.ho !== 0 || at.wo !== 0) throw new Error('conv: the prefetched weights are not the first load phase');
      prefetched = false;
    } else {
      loadWeights(at, cio, slot);
    }
    if (residual && cio === 0) {
      tag(at, slot, {}, 'load shortcut');
      forEachOutputRun(at, (acc, offset) => b.load('inp', slot * pl.inpSlot + pl.shortcutInp + acc, { buffer: residual.shortcut, offset, rows: pl.th, cols: pl.tw, stride: pl.ow }));
    }
  };

  // One GEMM instruction per tile and input-channel step: its micro-ops walk every output-channel
  // block as well (the ACC layout keeps the row and column strides the same for each), so the
  // compute module pays one instruction boundary instead of one per output-channel block.
  const gemmTile = (at: TileAt, cio: number, slot: number, accSlot: number) => {
    tag(at, slot, { ci: cio }, cio > 0 ? 'GEMM' : residual ? 'reset, copy the shortcut, GEMM' : 'reset and GEMM');
    const accBase = accSlot * pl.accSlot;
    // The reset covers the whole ACC part: with a residual, also the half the shortcut is added into.
    if (cio === 0) zeroRun(b, accBase, pl.accSlot);
    if (cio === 0 && residual) addInpToAcc(b, accBase + pl.accTile, slot * pl.inpSlot + pl.shortcutInp, pl.accTile, pl.identityWgt);
    const uops: KernelUop[] = [];
    for (let co = 0; co < pl.tco; co++)
      for (let bb = 0; bb < pl.tb; bb++)
        for (let ci = 0; ci < pl.tci; ci++)
          for (let ky = 0; ky < s.kh; ky++)
            for (let kx = 0; kx < s.kw; kx++) {
              uops.push({ dst: accBase + accIndex(pl, bb, co, 0, 0), src: slot * pl.inpSlot + inpIndex(pl, bb, ci, ky, kx), wgt: slot * pl.wgtSlot + wgtIndex(pl, co, ci, ky, kx) });
            }
    b.gemm({ uops, loops: [{ count: pl.th, dst: pl.tw, src: (s.sh / pl.rowStep) * pl.cols }, { count: pl.tw, dst: 1, src: s.sw }] });
  };

  const storeTile = (at: TileAt, slot: number) => {
    tag(at, slot, {}, 'store');
    forEachOutputRun(at, (acc, offset) => b.store(slot * pl.accSlot + acc, { buffer: io.output, offset, rows: pl.th, cols: pl.tw, stride: pl.ow }));
  };

  const finishTile = (at: TileAt, accSlot: number) => {
    tag(at, accSlot, {}, residual ? 'requantise, add the shortcut, clip' : 'requantise');
    const base = accSlot * pl.accSlot;
    requantRun(b, base, pl.accTile, rq.shift, rq.relu);
    if (residual) {
      addAccRun(b, base, base + pl.accTile, pl.accTile);
      requantRun(b, base, pl.accTile, 0, residual.relu);
    }
    // Store drains ACC slots in the order compute acquired them, so this is accSlot.
    vt.store((slot) => storeTile(at, slot));
  };

  // With two threads the last tile of a group is requantised and stored only after the next
  // group's first GEMM phase has been issued: a core with a second compute pipe (ALU and ACC
  // resets beside the GEMMs, targets/tsim/rtl) then runs that requantisation, and the next tile's
  // reset, while a GEMM runs on the other ACC slot, instead of between two GEMMs. The results
  // are the same on any core; with one thread the deferred store would hold the only ACC slot
  // the next tile waits for, so nothing is deferred.
  let deferred: (() => void) | undefined;
  vt.begin();
  for (let bo = 0; bo < t.tbO; bo++)
    for (let cp = 0; cp < t.tcoO / t.ocN; cp++)
      for (let hp = 0; hp < t.thO / t.hN; hp++)
        for (let wo = 0; wo < t.twO; wo++) {
          // The virtual threads split the output-channel or the row loop in two.
          const tiles: TileAt[] = Array.from({ length: pl.threads }, (_, v) => ({ bo, co: cp * t.ocN + (v % t.ocN), ho: hp * t.hN + Math.floor(v / t.ocN), wo }));
          // Each tile keeps the ACC slot it acquired through its whole input-channel loop.
          const accSlots: number[] = [];
          for (let cio = 0; cio < t.tciO; cio++) {
            for (const at of tiles) vt.load((slot) => loadTile(at, cio, slot));
            tiles.forEach((at, k) => {
              if (cio === 0) accSlots[k] = vt.acquireAcc();
              vt.compute((slot) => gemmTile(at, cio, slot, accSlots[k]!));
              if (cio === 0 && k === 0 && deferred) {
                deferred();
                deferred = undefined;
              }
            });
          }
          const last = tiles.length - 1;
          tiles.forEach((at, k) => {
            if (k === last && last > 0) deferred = () => finishTile(at, accSlots[k]!);
            else finishTile(at, accSlots[k]!);
          });
        }
  deferred?.();
  vt.end();
}

/**
 * `conv2d-small`: one int8 convolution layer lowered as TVM's VTA conv2d schedule lowers it, on
 * the builder. Data are blocked NCHW (N/BATCH, C/BLOCK_IN, H, W, BATCH, BLOCK_IN), weights
 * (O/BLOCK_OUT, C/BLOCK_IN, KH, KW, BLOCK_OUT, BLOCK_IN), outputs (N/BATCH, O/BLOCK_OUT, OH, OW,
 * BATCH, BLOCK_OUT).
 *
 * The output is cut into tiles of `tile` rows. Two virtual threads take alternate tiles, each
 * with its own half of INP, WGT and ACC. Per tile and output-channel block: reset the ACC tile;
 * per input-channel block load the input rows the tile needs — the load unit writes the zero
 * padding, both the left/right columns and any rows above or below the image — and the weights,
 * then one GEMM whose micro-ops are the KH·KW kernel taps and whose two loops walk the output
 * rows and columns (stride applied through the input factors); finally requantise (SHR, MIN,
 * MAX, optional relu) and store the tile. Checked against the golden conv2d + shift-and-scale.
 */
import type { VtaParams } from '../config/config.js';
import { ProgramBuilder } from '../builder/program-builder.js';
import { packBlocked, tilesOf } from '../builder/tensor-layout.js';
import { VirtualThreads } from '../builder/virtual-threads.js';
import { conv2dInt8, conv2dOutputSize, shiftAndScale, type Conv2dParams } from '../golden/index.js';
import { WorkloadError } from './errors.js';
import { boolParam, emitRequant, finishWorkload, intParam, randomInt8, seededRand, type BuilderWorkload } from './workload-kit.js';

const NAME = 'conv2d-small';

function convParams(p: VtaParams, params: Record<string, unknown>) {
  const int = (key: string, dflt: number, lo: number, hi: number) => intParam(params, key, dflt, lo, hi, NAME);
  const k = int('kernel', 3, 1, 7);
  const conv: Conv2dParams = {
    n: p.batch,
    c: int('cblocks', 2, 1, 8) * p.blockIn,
    o: int('oblocks', 2, 1, 8) * p.blockOut,
    h: int('h', 6, 1, 64),
    w: int('w', 6, 1, 64),
    kh: k,
    kw: k,
    sh: int('stride', 1, 1, 4),
    sw: int('stride', 1, 1, 4),
    ph: int('pad', Math.floor(k / 2), 0, 7),
    pw: int('pad', Math.floor(k / 2), 0, 7),
  };
  const { oh } = conv2dOutputSize(conv);
  const tile = int('tile', oh % 2 === 0 ? 2 : 1, 1, 64);
  if (oh < 1) throw new WorkloadError(`${NAME}: the kernel does not fit the padded input`);
  if (oh % tile !== 0) throw new WorkloadError(`${NAME}: tile ${tile} does not divide the ${oh} output rows`);
  // About 64 as the output spread: the sum of K int8 products has a spread of about √K · 74².
  const taps = conv.c * k * k;
  const shift = int('shift', Math.round(Math.log2((Math.sqrt(taps) * 5461) / 64)), 0, 31);
  return { conv, tile, shift, relu: boolParam(params, 'relu', false, NAME) };
}

function buildConv2d(p: VtaParams, seed: number, params: Record<string, unknown>) {
  const { conv: s, tile, shift, relu } = convParams(p, params);
  const { oh, ow } = conv2dOutputSize(s);
  const rand = seededRand(seed);
  const input = randomInt8(rand, s.n * s.c * s.h * s.w);
  const weight = randomInt8(rand, s.o * s.c * s.kh * s.kw);
  const t = tilesOf(p);
  const expected = packBlocked(shiftAndScale(conv2dInt8(input, weight, s), { shift, relu }), { n: s.n, c: s.o, h: oh, w: ow, ...t.out }, 1);

  const cBlocks = s.c / p.blockIn;
  const oBlocks = s.o / p.blockOut;
  const taps = s.kh * s.kw;
  const wp = s.w + 2 * s.pw; // padded input row, in elements
  const tileInRows = (tile - 1) * s.sh + s.kh; // input rows one output tile reads
  // SRAM slots (two of each, handed out by the virtual-thread protocol).
  const inpSlot = (s: number) => ({ inp: s * tileInRows * wp, wgt: s * taps });
  const accSlot = (s: number) => s * tile * ow;

  const b = new ProgramBuilder(p);
  const inpBuf = b.alloc('data', 'inp', packBlocked(input, { n: s.n, c: s.c, h: s.h, w: s.w, ...t.inp }, 1));
  const wgtBuf = b.alloc('weight', 'wgt', packBlocked(weight, { n: s.o, c: s.c, h: s.kh, w: s.kw, ...t.wgt }, 1));
  const out = b.alloc('out', 'out', expected.length);
  b.output(out);

  const vt = new VirtualThreads(b, 2);
  vt.begin();
  const tiles = oh / tile;
  for (let first = 0; first < tiles; first += 2) {
    const pair = [first, first + 1].filter((x) => x < tiles);
    for (let ob = 0; ob < oBlocks; ob++) {
      const acc = pair.map((tileIdx, v) => {
        b.at(NAME, { tile: tileIdx, oc: ob, vthread: v }, 'reset');
        const base = accSlot(vt.acquireAcc());
        b.gemm({ uops: [{ dst: base }], loops: [{ count: tile * ow, dst: 1 }] }, { reset: true });
        return base;
      });
      for (let cb = 0; cb < cBlocks; cb++) {
        pair.forEach((tileIdx, v) => {
          b.at(NAME, { tile: tileIdx, oc: ob, ic: cb, vthread: v });
          // Input rows [y0, y0 + tileInRows) of the padded image; the part outside the image is padding.
          const y0 = tileIdx * tile * s.sh - s.ph;
          const top = Math.max(0, -y0);
          const bottom = Math.max(0, y0 + tileInRows - s.h);
          vt.load((slot) => {
            const at = inpSlot(slot);
            b.load('inp', at.inp, { buffer: inpBuf, offset: (cb * s.h + y0 + top) * s.w, rows: tileInRows - top - bottom, cols: s.w }, { top, bottom, left: s.pw, right: s.pw });
            b.load('wgt', at.wgt, { buffer: wgtBuf, offset: (ob * cBlocks + cb) * taps, rows: 1, cols: taps });
          });
        });
        pair.forEach((tileIdx, v) => {
          b.at(NAME, { tile: tileIdx, oc: ob, ic: cb, vthread: v });
          vt.compute((slot) => {
            const at = inpSlot(slot);
            b.gemm({
              uops: Array.from({ length: taps }, (_, tap) => ({ dst: acc[v]!, src: at.inp + Math.floor(tap / s.kw) * wp + (tap % s.kw), wgt: at.wgt + tap })),
              loops: [
                { count: tile, dst: ow, src: s.sh * wp },
                { count: ow, dst: 1, src: s.sw },
              ],
            });
          });
        });
      }
      pair.forEach((tileIdx, v) => {
        b.at(NAME, { tile: tileIdx, oc: ob, vthread: v }, 'requantise');
        emitRequant(b, { uops: [{ dst: acc[v]! }], loops: [{ count: tile * ow, dst: 1 }] }, shift, relu);
      });
      pair.forEach((tileIdx, v) => {
        b.at(NAME, { tile: tileIdx, oc: ob, vthread: v }, 'store');
        vt.store((slot) => b.store(accSlot(slot), { buffer: out, offset: (ob * oh + tileIdx * tile) * ow, rows: 1, cols: tile * ow }));
      });
    }
  }
  vt.end();
  return finishWorkload(b, { name: NAME, seed, params }, { out: expected });
}

export const CONV2D_WORKLOADS: readonly BuilderWorkload[] = [
  {
    name: NAME,
    description: 'one int8 conv2d layer (default 6×6, 3×3, pad 1, 2 in/out channel blocks) lowered with double buffering, padding by the load unit, SHR + clip; params h, w, kernel, stride, pad, cblocks, oblocks, tile, shift, relu',
    build: buildConv2d,
  },
];

/**
 * Load/store conformance workloads. What INP holds is made visible through the GEMM unit with
 * identity weights (INP cannot be stored directly), so the golden result is the padded input
 * times the identity, computed by the golden matmul.
 *
 * - `padded-load:<sides>`: a strided 2-D INP load with one padding row/column on each named side
 *   (`none`, `top`, `top-left`, …, `top-bottom-left-right`: all 16 combinations).
 * - `load-store`: accumulators are stored to DRAM, and that DRAM is loaded back as input of a
 *   second stage (a layer's output becoming the next layer's input), which needs the
 *   store → compute → load token chain.
 */
import type { VtaParams } from '../config/config.js';
import { ProgramBuilder } from '../builder/program-builder.js';
import { matmulInt8, truncateToInt8 } from '../golden/index.js';
import { bytesOf, finishWorkload, identityWeights, randomInt32, randomInt8, seededRand, type BuilderWorkload } from './workload-kit.js';

/** Expected stored bytes after an identity GEMM over INP elements holding `inp` (their bytes, in order). */
function identityReadback(p: VtaParams, inp: Int8Array): Uint8Array {
  const rows = inp.length / p.blockIn; // one row per (element, batch row): the element's lanes in order
  return bytesOf(truncateToInt8(matmulInt8(inp, new Int8Array(identityWeights(p).buffer), rows, p.blockIn, p.blockOut)));
}

/** GEMM INP[0, n) through the identity (WGT element `wgt`) into ACC[acc, acc + n). */
function identityGemm(b: ProgramBuilder, n: number, acc: number, wgt: number): void {
  b.gemm({ uops: [{ dst: acc }], loops: [{ count: n, dst: 1 }] }, { reset: true });
  b.gemm({ uops: [{ dst: acc, src: 0, wgt }], loops: [{ count: n, dst: 1, src: 1 }] });
}

const SIDES = ['top', 'bottom', 'left', 'right'] as const;

function paddedLoad(mask: number): BuilderWorkload {
  const [top, bottom, left, right] = SIDES.map((_, i) => (mask >> i) & 1) as [number, number, number, number];
  const sides = SIDES.filter((_, i) => (mask >> i) & 1);
  const name = `padded-load:${sides.length ? sides.join('-') : 'none'}`;
  return {
    name,
    description: `strided 2-D INP load with zero padding on ${sides.length ? sides.join(', ') : 'no side'}, read back through an identity GEMM`,
    build(p, seed, params) {
      const rows = 2;
      const cols = 3;
      const stride = cols + 1;
      const lanes = p.batch * p.blockIn;
      const src = randomInt8(seededRand(seed), ((rows - 1) * stride + cols) * lanes);
      const outRows = top + rows + bottom;
      const outCols = left + cols + right;
      const n = outRows * outCols;
      // Golden padded image: element (y, x) is source element (y − top, x − left) or zeros.
      const padded = new Int8Array(n * lanes);
      for (let y = 0; y < rows; y++) {
        for (let x = 0; x < cols; x++) {
          const from = (y * stride + x) * lanes;
          padded.set(src.subarray(from, from + lanes), ((y + top) * outCols + x + left) * lanes);
        }
      }
      const b = new ProgramBuilder(p);
      const inp = b.alloc('inp', 'inp', bytesOf(src));
      const wgt = b.alloc('wgt', 'wgt', identityWeights(p));
      const out = b.alloc('out', 'out', n * p.elemBytes.out);
      b.output(out);
      b.at(name, undefined, 'padded load');
      b.load('inp', 0, { buffer: inp, rows, cols, stride }, { top, bottom, left, right });
      b.load('wgt', 0, { buffer: wgt, rows: 1, cols: 1 });
      b.handOff('load', 'compute');
      b.at(name, undefined, 'identity GEMM');
      identityGemm(b, n, 0, 0);
      b.handOff('compute', 'store');
      b.at(name, undefined, 'store');
      b.store(0, { buffer: out, rows: 1, cols: n });
      return finishWorkload(b, { name, seed, params }, { out: identityReadback(p, padded) });
    },
  };
}

const loadStore: BuilderWorkload = {
  name: 'load-store',
  description: 'accumulators stored to DRAM, then that DRAM loaded back as INP (store → compute → load tokens) and read out through an identity GEMM',
  build(p, seed, params) {
    // Enough OUT elements that they are a whole number of INP elements.
    const outElems = 4 * Math.max(1, p.elemBytes.inp / p.elemBytes.out);
    const inpElems = (outElems * p.elemBytes.out) / p.elemBytes.inp;
    if (!Number.isInteger(inpElems)) throw new Error('load-store: OUT and INP element sizes do not divide');
    const a = randomInt32(seededRand(seed), outElems * p.batch * p.blockOut, -100_000, 100_000);
    const mid = bytesOf(truncateToInt8(a));
    const b = new ProgramBuilder(p);
    const acc = b.alloc('acc', 'acc', bytesOf(a));
    const wgt = b.alloc('wgt', 'wgt', identityWeights(p));
    const midBuf = b.alloc('mid', 'out', outElems * p.elemBytes.out);
    const out = b.alloc('out', 'out', inpElems * p.elemBytes.out);
    b.output(midBuf);
    b.output(out);
    b.at('load-store', { stage: 0 }, 'save');
    b.load('acc', 0, { buffer: acc, rows: 1, cols: outElems });
    // SHR by 0 copies ACC to itself: RTL with a separate OUT scratchpad fills it only from GEMM/ALU.
    b.alu('shr', { uops: [{ dst: 0 }], loops: [{ count: outElems, dst: 1 }] }, { imm: 0 });
    b.handOff('compute', 'store');
    b.store(0, { buffer: midBuf, rows: 1, cols: outElems });
    // The stored bytes reach the load module only via compute: store → compute → load.
    b.handOff('store', 'compute');
    b.handOff('compute', 'load');
    b.at('load-store', { stage: 1 }, 'load back');
    b.load('inp', 0, { buffer: midBuf, rows: 1, cols: inpElems });
    b.load('wgt', 0, { buffer: wgt, rows: 1, cols: 1 });
    b.handOff('load', 'compute');
    const accBase = outElems; // away from the rows stage 0 stored
    identityGemm(b, inpElems, accBase, 0);
    b.handOff('compute', 'store');
    b.store(accBase, { buffer: out, rows: 1, cols: inpElems });
    return finishWorkload(b, { name: 'load-store', seed, params }, { mid, out: identityReadback(p, new Int8Array(mid.buffer)) });
  },
};

export const MEMORY_WORKLOADS: readonly BuilderWorkload[] = [...Array.from({ length: 16 }, (_, mask) => paddedLoad(mask)), loadStore];

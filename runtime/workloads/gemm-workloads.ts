/**
 * Matrix-multiply workloads, C = A · Wᵀ in int8 × int8 → int32, checked against the golden
 * matmul. Shapes are counted in tiles (rows in BATCH, inner in BLOCK_IN, columns in BLOCK_OUT).
 *
 * - `gemm`: everything loaded at once, one GEMM with two loops over the output tiles and one
 *   micro-op per inner tile; stores the low bytes of the accumulators.
 * - `gemm-smt`: two virtual threads, each owning half of INP, WGT and ACC, take alternate row
 *   tiles; the load of one overlaps the compute of the other.
 * - `matmul-blocked`: the reduction is split into blocks loaded into alternating SRAM halves
 *   (double buffering, as TVM's blocked matmul schedule), results requantised (SHR + clip).
 */
import type { VtaParams } from '../config/config.js';
import { ProgramBuilder } from '../builder/program-builder.js';
import { packBlocked, tilesOf } from '../builder/tensor-layout.js';
import type { UopKernel } from '../builder/uop-kernel.js';
import { VirtualThreads } from '../builder/virtual-threads.js';
import { matmulInt8, shiftAndScale, truncateToInt8 } from '../golden/index.js';
import { emitRequant, finishWorkload, intParam, randomInt8, seededRand, type BuilderWorkload, type Rand } from './workload-kit.js';

interface MatmulData {
  m: number;
  k: number;
  n: number;
  inp: Uint8Array;
  wgt: Uint8Array;
  /** The golden int32 product, rows × cols, row-major. */
  product: Int32Array;
}

/** Random A (m·BATCH × k·BLOCK_IN) and W (n·BLOCK_OUT × k·BLOCK_IN), packed, and their product. */
function matmulData(p: VtaParams, rand: Rand, m: number, k: number, n: number): MatmulData {
  const rows = m * p.batch;
  const inner = k * p.blockIn;
  const cols = n * p.blockOut;
  const a = randomInt8(rand, rows * inner);
  const w = randomInt8(rand, cols * inner);
  const t = tilesOf(p);
  return {
    m,
    k,
    n,
    inp: packBlocked(a, { n: rows, c: inner, ...t.inp }, 1),
    wgt: packBlocked(w, { n: cols, c: inner, ...t.wgt }, 1),
    product: matmulInt8(a, w, rows, inner, cols),
  };
}

/** A builder with the operands in DRAM and the output buffer marked. */
function matmulProgram(p: VtaParams, d: MatmulData) {
  const b = new ProgramBuilder(p);
  const inp = b.alloc('inp', 'inp', d.inp);
  const wgt = b.alloc('wgt', 'wgt', d.wgt);
  const out = b.alloc('out', 'out', d.m * d.n * p.elemBytes.out);
  b.output(out);
  return { b, inp, wgt, out };
}

/** int8 result matrix (rows × cols) → the bytes of the OUT tiles. */
function packOut(p: VtaParams, d: MatmulData, values: Int8Array): Uint8Array {
  return packBlocked(values, { n: d.m * p.batch, c: d.n * p.blockOut, ...tilesOf(p).out }, 1);
}

/**
 * One row tile's product: ACC[acc + j] += Σ_kk INP[inp + kk] · WGT[wgt + j·k + kk] for output
 * tile j; `rows` row tiles at once when the caller's INP/ACC hold several (factors k and n).
 */
function rowTileKernel(d: MatmulData, at: { acc: number; inp: number; wgt: number }, rows = 1, wgtStride = d.k): UopKernel {
  return {
    uops: Array.from({ length: d.k }, (_, kk) => ({ dst: at.acc, src: at.inp + kk, wgt: at.wgt + kk })),
    loops: [
      { count: rows, dst: d.n, src: d.k },
      { count: d.n, dst: 1, wgt: wgtStride },
    ],
  };
}

function shapeParams(rand: Rand, params: Record<string, unknown>, name: string, mStep = 1) {
  return {
    m: intParam(params, 'm', mStep * (1 + rand(2)), mStep, 64, name),
    k: intParam(params, 'k', 1 + rand(3), 1, 64, name),
    n: intParam(params, 'n', 1 + rand(3), 1, 64, name),
  };
}

const gemm: BuilderWorkload = {
  name: 'gemm',
  description: 'C = A·Wᵀ with everything resident: one GEMM, two loops over output tiles; params m, k, n (tiles; default from the seed)',
  build(p, seed, params) {
    const rand = seededRand(seed);
    const { m, k, n } = shapeParams(rand, params, this.name);
    const d = matmulData(p, rand, m, k, n);
    const { b, inp, wgt, out } = matmulProgram(p, d);
    b.at('gemm', { m, k, n });
    b.load('inp', 0, { buffer: inp, rows: 1, cols: m * k });
    b.load('wgt', 0, { buffer: wgt, rows: 1, cols: n * k });
    b.handOff('load', 'compute');
    b.gemm({ uops: [{ dst: 0 }], loops: [{ count: m * n, dst: 1 }] }, { reset: true });
    b.gemm(rowTileKernel(d, { acc: 0, inp: 0, wgt: 0 }, m));
    b.handOff('compute', 'store');
    b.store(0, { buffer: out, rows: 1, cols: m * n });
    return finishWorkload(b, { name: this.name, seed, params }, { out: packOut(p, d, truncateToInt8(d.product)) });
  },
};

const gemmSmt: BuilderWorkload = {
  name: 'gemm-smt',
  description: 'C = A·Wᵀ with two virtual threads on alternate row tiles, each with its own half of INP, WGT and ACC; params m (even), k, n',
  build(p, seed, params) {
    const rand = seededRand(seed);
    const { m, k, n } = shapeParams(rand, params, this.name, 2);
    if (m % 2) throw new Error('gemm-smt: m must be even');
    const d = matmulData(p, rand, m, k, n);
    const { b, inp, wgt, out } = matmulProgram(p, d);
    const inpSlot = (s: number) => ({ inp: s * k, wgt: s * n * k });
    const accSlot = (s: number) => s * n;
    const vt = new VirtualThreads(b, 2);
    vt.begin();
    for (let r = 0; r < m; r += 2) {
      for (let v = 0; v < 2; v++) {
        b.at('gemm-smt', { row: r + v, vthread: v });
        vt.load((s) => {
          b.load('inp', inpSlot(s).inp, { buffer: inp, offset: (r + v) * k, rows: 1, cols: k });
          b.load('wgt', inpSlot(s).wgt, { buffer: wgt, rows: 1, cols: n * k });
        });
      }
      for (let v = 0; v < 2; v++) {
        b.at('gemm-smt', { row: r + v, vthread: v });
        const acc = accSlot(vt.acquireAcc());
        vt.compute((s) => {
          b.gemm({ uops: [{ dst: acc }], loops: [{ count: n, dst: 1 }] }, { reset: true });
          b.gemm(rowTileKernel(d, { ...inpSlot(s), acc }));
        });
      }
      for (let v = 0; v < 2; v++) {
        b.at('gemm-smt', { row: r + v, vthread: v });
        vt.store((s) => b.store(accSlot(s), { buffer: out, offset: (r + v) * n, rows: 1, cols: n }));
      }
    }
    vt.end();
    return finishWorkload(b, { name: this.name, seed, params }, { out: packOut(p, d, truncateToInt8(d.product)) });
  },
};

const matmulBlocked: BuilderWorkload = {
  name: 'matmul-blocked',
  description: 'C = A·Wᵀ with the reduction in blocks double-buffered through alternating INP/WGT halves, then SHR + clip to int8; params m, n, blocks, block (inner tiles per block), shift',
  build(p, seed, params) {
    const rand = seededRand(seed);
    const m = intParam(params, 'm', 1 + rand(2), 1, 64, this.name);
    const n = intParam(params, 'n', 1 + rand(2), 1, 64, this.name);
    const blocks = intParam(params, 'blocks', 3 + rand(2), 1, 64, this.name);
    const kb = intParam(params, 'block', 1 + rand(2), 1, 64, this.name);
    const k = blocks * kb;
    const shift = intParam(params, 'shift', Math.round(Math.log2(Math.sqrt(k * p.blockIn) * 5461 / 48)), 0, 31, this.name);
    const d = matmulData(p, rand, m, k, n);
    const { b, inp, wgt, out } = matmulProgram(p, d);
    const slot = (s: number) => ({ inp: s * m * kb, wgt: s * n * kb, acc: 0 });
    const blockData = { ...d, k: kb };
    const vt = new VirtualThreads(b, 2);
    vt.begin();
    b.at('matmul-blocked', undefined, 'reset accumulators');
    vt.acquireAcc();
    b.gemm({ uops: [{ dst: 0 }], loops: [{ count: m * n, dst: 1 }] }, { reset: true });
    for (let kt = 0; kt < blocks; kt++) {
      const v = kt % 2;
      b.at('matmul-blocked', { block: kt, vthread: v });
      vt.load((s) => {
        // Block kt of every row (column) tile: rows of kb elements, k elements apart.
        b.load('inp', slot(s).inp, { buffer: inp, offset: kt * kb, rows: m, cols: kb, stride: k });
        b.load('wgt', slot(s).wgt, { buffer: wgt, offset: kt * kb, rows: n, cols: kb, stride: k });
      });
      vt.compute((s) => b.gemm(rowTileKernel(blockData, slot(s), m, kb)));
    }
    b.at('matmul-blocked', undefined, 'requantise');
    emitRequant(b, { uops: [{ dst: 0 }], loops: [{ count: m * n, dst: 1 }] }, shift);
    vt.store((acc) => b.store(acc, { buffer: out, rows: 1, cols: m * n }));
    vt.end();
    return finishWorkload(b, { name: this.name, seed, params }, { out: packOut(p, d, shiftAndScale(d.product, { shift })) });
  },
};

export const GEMM_WORKLOADS: readonly BuilderWorkload[] = [gemm, gemmSmt, matmulBlocked];

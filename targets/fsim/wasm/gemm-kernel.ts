/**
 * The GEMM loop nest as a WebAssembly SIMD function, generated for one configuration shape.
 * Every micro-op iteration multiplies BATCH input rows (BLOCK_IN int8) by the BLOCK_OUT × BLOCK_IN
 * int8 weight block and adds into the int32 ACC row, as the JavaScript loop in exec-compute.ts
 * does, with bounds checked in the same order (dst, src, wgt) and the run stopped at the same
 * iteration.
 *
 * How one ACC row is computed: 8 int8 lanes are loaded and sign-extended to i16x8 in one
 * instruction (load8x8_s; load32_zero + extend for a 4-lane tail), i32x4.dot_i16x8_s multiplies
 * pairs and adds neighbours, and four outputs' partial vectors are folded into one i32x4 of four
 * sums with shuffles, added to ACC four lanes at a time. Every size and offset is a constant in
 * the code (loops over batch, outputs and input chunks are unrolled), so the only loops left are
 * the instruction's own.
 *
 * Parameters: the nest's ten (nest.ts), then reset_reg. Returns 0, or 1 / 2 / 3 when the ACC /
 * INP / WGT index of an iteration is out of range (that index is then at byte 0).
 */
import type { VtaParams } from '../../../runtime/config/config.js';
import type { SramLayout } from '../sram-layout.js';
import type { UopFields } from '../uop-fields.js';
import { Code, I32, OP, SIMD, V128, type FunctionSpec } from '../../../runtime/wasm/emit.js';
import { emitNest, Locals, NEST_PARAMS } from './nest.js';

const RESET = NEST_PARAMS;

/** Input chunks of one row: byte offset and lanes (8 via load8x8_s, or a 4-lane tail). */
function chunksOf(blockIn: number): { offset: number; lanes: 8 | 4 }[] {
  const out: { offset: number; lanes: 8 | 4 }[] = [];
  for (let k = 0; k < blockIn; k += 8) out.push({ offset: k, lanes: blockIn - k >= 8 ? 8 : 4 });
  return out;
}

/** Push 8 (or 4, zero-padded) int8 lanes at addr-local + offset, sign-extended to i16x8. */
function loadI16(c: Code, addrLocal: number, offset: number, lanes: 8 | 4): void {
  c.get(addrLocal);
  if (lanes === 8) c.simdMem(SIMD.load8x8S, offset);
  else c.simdMem(SIMD.load32Zero, offset).simd(SIMD.extendLowI8x16S);
}

export function gemmKernel(p: VtaParams, layout: SramLayout, uf: UopFields): FunctionSpec {
  const { batch, blockIn: bIn, blockOut: bOut } = p;
  const chunks = chunksOf(bIn);
  const c = new Code();
  const locals = new Locals(NEST_PARAMS + 1);
  const [a, i, w, aAddr, iAddr, wAddr] = [0, 0, 0, 0, 0, 0].map(() => locals.add(I32)) as [number, number, number, number, number, number];
  const vin = chunks.map(() => locals.add(V128));
  const s = [0, 0, 0, 0].map(() => locals.add(V128));
  const t01 = locals.add(V128);
  const t23 = locals.add(V128);

  emitNest(c, layout, locals, (n) => {
    n.index(a, uf.dstShift, uf.dstMask, n.dstRow, p.accDepth, 1);
    c.get(a).i32(batch * bOut * 4).op(OP.i32Mul).set(aAddr);
    c.get(RESET).op(OP.if, OP.voidType);
    for (let k = 0; k < batch * bOut; k += 4) c.get(aAddr).v128Zero().simdMem(SIMD.store, layout.acc + k * 4);
    c.op(OP.else);
    n.index(i, uf.srcShift, uf.srcMask, n.srcRow, p.inpDepth, 2);
    n.index(w, uf.wgtShift, uf.wgtMask, n.wgtRow, p.wgtDepth, 3);
    c.get(i).i32(batch * bIn).op(OP.i32Mul).set(iAddr);
    c.get(w).i32(bOut * bIn).op(OP.i32Mul).set(wAddr);
    for (let b = 0; b < batch; b++) {
      chunks.forEach((ch, j) => {
        loadI16(c, iAddr, layout.inp + b * bIn + ch.offset, ch.lanes);
        c.set(vin[j]!);
      });
      for (let q = 0; q < bOut; q += 4) {
        for (let j = 0; j < 4; j++) {
          chunks.forEach((ch, k) => {
            loadI16(c, wAddr, layout.wgt + (q + j) * bIn + ch.offset, ch.lanes);
            c.get(vin[k]!).simd(SIMD.i32x4DotI16x8S);
            if (k > 0) c.simd(SIMD.i32x4Add);
          });
          c.set(s[j]!);
        }
        // Fold four vectors of partial sums into one vector of four sums.
        c.get(s[0]!).get(s[1]!).shuffle32([0, 4, 1, 5]).get(s[0]!).get(s[1]!).shuffle32([2, 6, 3, 7]).simd(SIMD.i32x4Add).set(t01);
        c.get(s[2]!).get(s[3]!).shuffle32([0, 4, 1, 5]).get(s[2]!).get(s[3]!).shuffle32([2, 6, 3, 7]).simd(SIMD.i32x4Add).set(t23);
        const accOffset = layout.acc + (b * bOut + q) * 4;
        c.get(aAddr).get(aAddr).simdMem(SIMD.load, accOffset);
        c.get(t01).get(t23).shuffle32([0, 1, 4, 5]).get(t01).get(t23).shuffle32([2, 3, 6, 7]).simd(SIMD.i32x4Add);
        c.simd(SIMD.i32x4Add).simdMem(SIMD.store, accOffset);
      }
    }
    c.op(OP.end); // if reset … else
  });
  return { name: 'gemm', params: new Array<number>(NEST_PARAMS + 1).fill(I32), results: [I32], locals: locals.types, body: c };
}

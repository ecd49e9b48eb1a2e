/**
 * The matrix product the GEMM unit computes, as plain loops: C = A · Wᵀ with A of shape
 * rows × inner (int8), W of shape cols × inner (int8, one row per output channel, as VTA stores
 * weights) and C of shape rows × cols, accumulated in int32 with wrap-around.
 */
import { wrapInt32 } from './int.js';

export function matmulInt8(a: Int8Array, w: Int8Array, rows: number, inner: number, cols: number): Int32Array {
  if (a.length !== rows * inner) throw new Error(`matmul: A has ${a.length} elements, expected ${rows}×${inner}`);
  if (w.length !== cols * inner) throw new Error(`matmul: W has ${w.length} elements, expected ${cols}×${inner}`);
  const c = new Int32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < cols; o++) {
      let sum = 0;
      for (let k = 0; k < inner; k++) sum += a[r * inner + k]! * w[o * inner + k]!;
      c[r * cols + o] = wrapInt32(sum);
    }
  }
  return c;
}

/** Element-wise int32 addition with wrap-around (accumulating a partial product into C). */
export function addInt32(c: Int32Array, d: Int32Array): Int32Array {
  return Int32Array.from(c, (x, i) => wrapInt32(x + d[i]!));
}

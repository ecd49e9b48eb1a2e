/**
 * Golden versions of the network layers the golden reference (runtime/golden) has no function
 * for: depthwise convolution, residual add, average and max pooling, plus the requantisation
 * shift every conv/dense/depthwise layer uses. Plain integer loops over NCHW int8 tensors,
 * independent of the lowering; the lowering is checked against them.
 */
import { clip, conv2dInt8, shiftAndScale } from '../golden/index.js';

/** An n×c×h×w int8 tensor, NCHW. */
export interface Tensor {
  n: number;
  c: number;
  h: number;
  w: number;
  data: Int8Array;
}

/**
 * The fixed right shift that requantises a sum of `fanIn` int8 products back to int8. With
 * uniform int8 operands a sum has a spread of about 2^6·√fanIn·74, so this shift keeps the
 * outputs spread over the int8 range instead of all saturated or all zero, layer after layer.
 */
export function requantShift(fanIn: number): number {
  return 6 + Math.ceil(Math.log2(fanIn) / 2);
}

/**
 * The shift of an average pool over `window` values: the ALU has no divide, so the sum is
 * divided by the next power of two (÷64 for a 7×7 window), which also keeps it inside int8.
 */
export function poolShift(window: number): number {
  return Math.ceil(Math.log2(window));
}

/** 3×3 depthwise convolution, padding 1, one filter (c×3×3 weights) per channel, then requantised. */
export function depthwiseLayer(x: Tensor, weight: Int8Array, stride: number, relu: boolean): Tensor {
  const oh = Math.floor((x.h - 1) / stride) + 1;
  const ow = Math.floor((x.w - 1) / stride) + 1;
  const out = new Int8Array(x.n * x.c * oh * ow);
  const p = { n: 1, c: 1, h: x.h, w: x.w, o: 1, kh: 3, kw: 3, sh: stride, sw: stride, ph: 1, pw: 1 };
  const plane = x.h * x.w;
  for (let n = 0; n < x.n; n++) {
    for (let c = 0; c < x.c; c++) {
      const at = (n * x.c + c) * plane;
      const acc = conv2dInt8(x.data.subarray(at, at + plane), weight.subarray(c * 9, c * 9 + 9), p);
      out.set(shiftAndScale(acc, { shift: requantShift(9), relu }), (n * x.c + c) * oh * ow);
    }
  }
  return { n: x.n, c: x.c, h: oh, w: ow, data: out };
}

/** Element-wise a + b, optionally relu, clipped to int8. */
export function addLayer(a: Tensor, b: Tensor, relu: boolean): Tensor {
  if (a.data.length !== b.data.length) throw new Error(`add: ${a.data.length} and ${b.data.length} elements`);
  const lo = relu ? 0 : -128;
  return { ...a, data: Int8Array.from(a.data, (v, i) => clip(v + b.data[i]!, lo, 127)) };
}

/** Global average pool: each channel's sum, shifted right by poolShift(h·w). */
export function avgPoolLayer(x: Tensor): Tensor {
  const plane = x.h * x.w;
  const shift = poolShift(plane);
  const out = new Int8Array(x.n * x.c);
  for (let i = 0; i < x.n * x.c; i++) {
    let sum = 0;
    for (let j = 0; j < plane; j++) sum += x.data[i * plane + j]!;
    out[i] = clip(Math.floor(sum / 2 ** shift), -128, 127);
  }
  return { n: x.n, c: x.c, h: 1, w: 1, data: out };
}

/** k×k max pool with stride and padding; padded positions never win (they count as −∞). */
export function maxPoolLayer(x: Tensor, k: number, stride: number, pad: number): Tensor {
  const oh = Math.floor((x.h + 2 * pad - k) / stride) + 1;
  const ow = Math.floor((x.w + 2 * pad - k) / stride) + 1;
  const out = new Int8Array(x.n * x.c * oh * ow);
  for (let i = 0; i < x.n * x.c; i++) {
    for (let y = 0; y < oh; y++) {
      for (let xo = 0; xo < ow; xo++) {
        let best = -Infinity;
        for (let ky = 0; ky < k; ky++) {
          const iy = y * stride + ky - pad;
          if (iy < 0 || iy >= x.h) continue;
          for (let kx = 0; kx < k; kx++) {
            const ix = xo * stride + kx - pad;
            if (ix >= 0 && ix < x.w) best = Math.max(best, x.data[(i * x.h + iy) * x.w + ix]!);
          }
        }
        out[(i * oh + y) * ow + xo] = best;
      }
    }
  }
  return { n: x.n, c: x.c, h: oh, w: ow, data: out };
}

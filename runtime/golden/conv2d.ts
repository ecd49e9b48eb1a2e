/**
 * 2-D convolution in NCHW layout with int8 data and weights and int32 accumulation, zero padding
 * and stride per axis: out[n][o][y][x] = Σ_c Σ_ky Σ_kx in[n][c][y·sh + ky − ph][x·sw + kx − pw] ·
 * w[o][c][ky][kx], positions outside the input counting as 0.
 */
import { wrapInt32 } from './int.js';

export interface Conv2dParams {
  /** Batch, input channels, input height and width. */
  n: number;
  c: number;
  h: number;
  w: number;
  /** Output channels and kernel size. */
  o: number;
  kh: number;
  kw: number;
  /** Stride and zero padding (per side). */
  sh: number;
  sw: number;
  ph: number;
  pw: number;
}

export function conv2dOutputSize(p: Conv2dParams): { oh: number; ow: number } {
  return { oh: Math.floor((p.h + 2 * p.ph - p.kh) / p.sh) + 1, ow: Math.floor((p.w + 2 * p.pw - p.kw) / p.sw) + 1 };
}

/** `input` is n×c×h×w, `weight` o×c×kh×kw; the result is n×o×oh×ow. */
export function conv2dInt8(input: Int8Array, weight: Int8Array, p: Conv2dParams): Int32Array {
  if (input.length !== p.n * p.c * p.h * p.w) throw new Error(`conv2d: input has ${input.length} elements, expected ${p.n}×${p.c}×${p.h}×${p.w}`);
  if (weight.length !== p.o * p.c * p.kh * p.kw) throw new Error(`conv2d: weight has ${weight.length} elements, expected ${p.o}×${p.c}×${p.kh}×${p.kw}`);
  const { oh, ow } = conv2dOutputSize(p);
  const out = new Int32Array(p.n * p.o * oh * ow);
  for (let n = 0; n < p.n; n++) {
    for (let o = 0; o < p.o; o++) {
      for (let y = 0; y < oh; y++) {
        for (let x = 0; x < ow; x++) {
          let sum = 0;
          for (let c = 0; c < p.c; c++) {
            for (let ky = 0; ky < p.kh; ky++) {
              const iy = y * p.sh + ky - p.ph;
              if (iy < 0 || iy >= p.h) continue;
              for (let kx = 0; kx < p.kw; kx++) {
                const ix = x * p.sw + kx - p.pw;
                if (ix < 0 || ix >= p.w) continue;
                sum += input[((n * p.c + c) * p.h + iy) * p.w + ix]! * weight[((o * p.c + c) * p.kh + ky) * p.kw + kx]!;
              }
            }
          }
          out[((n * p.o + o) * oh + y) * ow + x] = wrapInt32(sum);
        }
      }
    }
  }
  return out;
}

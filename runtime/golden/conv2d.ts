/**
 * 2-D convolution in NCHW layout with int8 data and weights and int32 accumulation, zero padding
 * and stride per axis: out[n][o][y][x] = Σ_c Σ_ky Σ_kx in[n][c][y·sh + ky − ph][x·sw + kx − pw] ·
 * w[o][c][ky][kx], positions outside the input counting as 0.
 */

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

/**
 * `input` is n×c×h×w, `weight` o×c×kh×kw; the result is n×o×oh×ow.
 *
 * The sum is taken one weight at a time over a whole output plane (for each n, o, c, ky, kx: add
 * w · the shifted input plane), so the inner loop walks an input row and an output row in order.
 * Walking output pixels innermost read c·kh·kw elements scattered over the input planes per
 * pixel: the golden result of a full-size ResNet-18 layer then cost more than building and
 * running its program, and two threads doing it slowed each other down. The int32 result wraps
 * like the hardware's: the plane is an Int32Array, which keeps every partial sum modulo 2^32,
 * and sums modulo 2^32 do not depend on the order of the terms.
 */
export function conv2dInt8(input: Int8Array, weight: Int8Array, p: Conv2dParams): Int32Array {
  if (input.length !== p.n * p.c * p.h * p.w) throw new Error(`conv2d: input has ${input.length} elements, expected ${p.n}×${p.c}×${p.h}×${p.w}`);
  if (weight.length !== p.o * p.c * p.kh * p.kw) throw new Error(`conv2d: weight has ${weight.length} elements, expected ${p.o}×${p.c}×${p.kh}×${p.kw}`);
  const { oh, ow } = conv2dOutputSize(p);
  const out = new Int32Array(p.n * p.o * oh * ow);
  for (let kx = 0; kx < p.kw; kx++) {
    // Output columns whose input column x·sw + kx − pw lies inside the input.
    const x0 = Math.max(0, Math.ceil((p.pw - kx) / p.sw));
    const x1 = Math.min(ow - 1, Math.floor((p.w - 1 + p.pw - kx) / p.sw));
    if (x0 > x1) continue;
    for (let n = 0; n < p.n; n++) {
      for (let o = 0; o < p.o; o++) {
        const plane = ((n * p.o + o) * oh) * ow;
        for (let c = 0; c < p.c; c++) {
          for (let ky = 0; ky < p.kh; ky++) {
            const wv = weight[((o * p.c + c) * p.kh + ky) * p.kw + kx]!;
            if (wv === 0) continue;
            for (let y = 0; y < oh; y++) {
              const iy = y * p.sh + ky - p.ph;
              if (iy < 0 || iy >= p.h) continue;
              const inRow = ((n * p.c + c) * p.h + iy) * p.w + kx - p.pw;
              const outRow = plane + y * ow;
              for (let x = x0; x <= x1; x++) out[outRow + x] += wv * input[inRow + x * p.sw]!;
            }
          }
        }
      }
    }
  }
  return out;
}

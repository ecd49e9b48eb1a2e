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
 * running its program, and two threads doing it slowed each other down. Four output channels
 * share each pass over an input row (each input element read once for four products): half the
 * time of one channel per pass on ResNet-18's 3×3 layers. The int32 result wraps like the
 * hardware's: the plane is an Int32Array, which keeps every partial sum modulo 2^32, and sums
 * modulo 2^32 do not depend on the order of the terms.
 */
export function conv2dInt8(input: Int8Array, weight: Int8Array, p: Conv2dParams): Int32Array {
  if (input.length !== p.n * p.c * p.h * p.w) throw new Error(`conv2d: input has ${input.length} elements, expected ${p.n}×${p.c}×${p.h}×${p.w}`);
  if (weight.length !== p.o * p.c * p.kh * p.kw) throw new Error(`conv2d: weight has ${weight.length} elements, expected ${p.o}×${p.c}×${p.kh}×${p.kw}`);
  const { oh, ow } = conv2dOutputSize(p);
  const out = new Int32Array(p.n * p.o * oh * ow);
  const plane = oh * ow;
  // Distance between the same weight of consecutive output channels.
  const perChannel = p.c * p.kh * p.kw;
  for (let kx = 0; kx < p.kw; kx++) {
    // Output columns whose input column x·sw + kx − pw lies inside the input.
    const x0 = Math.max(0, Math.ceil((p.pw - kx) / p.sw));
    const x1 = Math.min(ow - 1, Math.floor((p.w - 1 + p.pw - kx) / p.sw));
    if (x0 > x1) continue;
    for (let n = 0; n < p.n; n++) {
      for (let o = 0; o < p.o; o += 4) {
        const channels = Math.min(4, p.o - o);
        const first = (n * p.o + o) * plane;
        for (let c = 0; c < p.c; c++) {
          for (let ky = 0; ky < p.kh; ky++) {
            const wi = ((o * p.c + c) * p.kh + ky) * p.kw + kx;
            for (let y = 0; y < oh; y++) {
              const iy = y * p.sh + ky - p.ph;
              if (iy < 0 || iy >= p.h) continue;
              const inRow = ((n * p.c + c) * p.h + iy) * p.w + kx - p.pw;
              const outRow = first + y * ow;
              if (channels === 4) {
                addRow4(out, outRow, plane, input, inRow, p.sw, x0, x1, weight[wi]!, weight[wi + perChannel]!, weight[wi + 2 * perChannel]!, weight[wi + 3 * perChannel]!);
              } else {
                for (let k = 0; k < channels; k++) addRow(out, outRow + k * plane, input, inRow, p.sw, x0, x1, weight[wi + k * perChannel]!);
              }
            }
          }
        }
      }
    }
  }
  return out;
}

/** out[row + x] += w · input[inRow + x·sw] for x0 ≤ x ≤ x1. */
function addRow(out: Int32Array, row: number, input: Int8Array, inRow: number, sw: number, x0: number, x1: number, w: number): void {
  if (w === 0) return;
  for (let x = x0; x <= x1; x++) out[row + x] += w * input[inRow + x * sw]!;
}

/** addRow for four output channels whose rows lie `plane` apart, reading each input element once. */
function addRow4(out: Int32Array, row: number, plane: number, input: Int8Array, inRow: number, sw: number, x0: number, x1: number, w0: number, w1: number, w2: number, w3: number): void {
  const r1 = row + plane;
  const r2 = r1 + plane;
  const r3 = r2 + plane;
  for (let x = x0; x <= x1; x++) {
    const v = input[inRow + x * sw]!;
    out[row + x] += w0 * v;
    out[r1 + x] += w1 * v;
    out[r2 + x] += w2 * v;
    out[r3 + x] += w3 * v;
  }
}

/**
 * Golden tensors ↔ the DRAM images the lowered programs use: channels padded with zeros to whole
 * blocks (MobileNet's 3-channel image, a 1000-class classifier), then VTA's blocked layout.
 */
import { packBlocked } from '../builder/index.js';
import type { Tensor } from './golden-layers.js';

/** `c` rounded up to a multiple of `block`. */
export function padChannels(c: number, block: number): number {
  return Math.ceil(c / block) * block;
}

/** An N×C×H×W tensor (or O×C×kh×kw weights) with both channel axes zero-padded. */
export function padTensor(data: ArrayLike<number>, n: number, c: number, hw: number, nTo: number, cTo: number): Int8Array {
  const out = new Int8Array(nTo * cTo * hw);
  for (let i = 0; i < n; i++) for (let j = 0; j < c; j++) for (let k = 0; k < hw; k++) out[(i * cTo + j) * hw + k] = data[(i * c + j) * hw + k]!;
  return out;
}

/** A tensor's blocked int8 image with channels padded to `cTo`, for tiles of tileN × tileC lanes. */
export function tensorImage(t: Tensor, cTo: number, tileN: number, tileC: number): Uint8Array {
  const padded = padTensor(t.data, t.n, t.c, t.h * t.w, t.n, cTo);
  return packBlocked(padded, { n: t.n, c: cTo, h: t.h, w: t.w, tileN, tileC }, 1);
}

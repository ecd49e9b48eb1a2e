/**
 * A 2-D convolution layer as the tiling search and the lowering see it (NCHW, int8), and the
 * convolution shapes of ResNet-18 that run on the accelerator.
 */
export interface ConvShape {
  name: string;
  /** Batch. */
  b: number;
  /** Input height and width. */
  h: number;
  w: number;
  /** Input and output channels. */
  fi: number;
  fo: number;
  /** Kernel height and width, padding and stride per side. */
  kh: number;
  kw: number;
  ph: number;
  pw: number;
  sh: number;
  sw: number;
}

/** Output height and width (paper appendix A, eq. 1). */
export function outputSize(s: ConvShape): { oh: number; ow: number } {
  return { oh: Math.floor((s.h + 2 * s.ph - s.kh) / s.sh) + 1, ow: Math.floor((s.w + 2 * s.pw - s.kw) / s.sw) + 1 };
}

function conv(name: string, hw: number, fi: number, fo: number, k: number, pad: number, stride: number): ConvShape {
  return { name, b: 1, h: hw, w: hw, fi, fo, kh: k, kw: k, ph: pad, pw: pad, sh: stride, sw: stride };
}

/**
 * Every distinct convolution of ResNet-18 after the first (C1, 3 input channels, runs on the
 * CPU), named as TVM's VTA benchmarks name them today. An older numbering (C2…C12) also counted a
 * 1×1 64→64 layer that ResNet-18 does not have; its C12 is C11 here.
 */
export const RESNET18_CONVS: readonly ConvShape[] = [
  conv('C2', 56, 64, 64, 3, 1, 1),
  conv('C3', 56, 64, 128, 3, 1, 2),
  conv('C4', 56, 64, 128, 1, 0, 2),
  conv('C5', 28, 128, 128, 3, 1, 1),
  conv('C6', 28, 128, 256, 3, 1, 2),
  conv('C7', 28, 128, 256, 1, 0, 2),
  conv('C8', 14, 256, 256, 3, 1, 1),
  conv('C9', 14, 256, 512, 3, 1, 2),
  conv('C10', 14, 256, 512, 1, 0, 2),
  conv('C11', 7, 512, 512, 3, 1, 1),
];

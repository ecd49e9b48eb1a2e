/**
 * Whole networks as the accelerator runs them at batch 1: a straight list of layers over named
 * NCHW int8 tensors. ResNet-18 starts at its second convolution (the first, with 3 input
 * channels, runs on the CPU, as in TVM's VTA flow and the paper); MobileNet-1.0 runs whole, its
 * first convolution with the 3 input channels padded to a full block.
 * Every conv / dense output is requantised to int8 (shift right, clip) as TVM's VTA flow does;
 * `relu` clips at 0 instead of -128.
 */
import type { ConvShape } from './conv-shape.js';

export type Layer =
  | { kind: 'conv'; name: string; input: string; output: string; shape: ConvShape; relu: boolean }
  | { kind: 'depthwise'; name: string; input: string; output: string; channels: number; hw: number; stride: number; relu: boolean }
  | { kind: 'add'; name: string; inputs: [string, string]; output: string; relu: boolean }
  | { kind: 'avgpool'; name: string; input: string; output: string; channels: number; hw: number }
  | { kind: 'maxpool'; name: string; input: string; output: string; channels: number; hw: number; k: number; stride: number; pad: number }
  | { kind: 'dense'; name: string; input: string; output: string; inFeatures: number; outFeatures: number };

export interface Network {
  name: string;
  /** The input tensor: name, channels, height = width. */
  input: { name: string; channels: number; hw: number };
  layers: Layer[];
  output: string;
}

function convShape(name: string, hw: number, fi: number, fo: number, k: number, stride: number): ConvShape {
  const pad = (k - 1) >> 1;
  return { name, b: 1, h: hw, w: hw, fi, fo, kh: k, kw: k, ph: pad, pw: pad, sh: stride, sw: stride };
}

/**
 * Smaller versions of a network for fast tests on small configurations: `hw` is the input
 * height = width, `width` the channel count of the first stage (every later stage keeps the
 * network's ratios), `classes` the classifier's outputs. The defaults are the real network.
 */
export interface NetworkSize {
  hw?: number;
  width?: number;
  classes?: number;
}

/** ResNet-18 from conv2 to the classifier: 8 basic blocks, global average pool, dense 512→1000. */
export function resnet18(size: NetworkSize = {}): Network {
  const layers: Layer[] = [];
  const inHw = size.hw ?? 56;
  const width = size.width ?? 64;
  let t = 'x';
  let hw = inHw;
  let ch = width;
  const stages: [number, number][] = [[width, 1], [2 * width, 2], [4 * width, 2], [8 * width, 2]];
  stages.forEach(([out, firstStride], s) => {
    for (let blk = 0; blk < 2; blk++) {
      const stride = blk === 0 ? firstStride : 1;
      const p = `s${s + 1}b${blk + 1}`;
      const ohw = hw / stride;
      // The downsampling shortcut comes first: it then exists when conv2 runs, which lets the
      // lowering fuse the add into conv2's epilogue (residual-fusion.ts).
      let shortcut = t;
      if (stride !== 1 || ch !== out) {
        layers.push({ kind: 'conv', name: `${p}.down`, input: t, output: `${p}.sc`, shape: convShape(`${p}.down`, hw, ch, out, 1, stride), relu: false });
        shortcut = `${p}.sc`;
      }
      layers.push({ kind: 'conv', name: `${p}.conv1`, input: t, output: `${p}.a`, shape: convShape(`${p}.conv1`, hw, ch, out, 3, stride), relu: true });
      layers.push({ kind: 'conv', name: `${p}.conv2`, input: `${p}.a`, output: `${p}.b`, shape: convShape(`${p}.conv2`, ohw, out, out, 3, 1), relu: false });
      layers.push({ kind: 'add', name: `${p}.add`, inputs: [`${p}.b`, shortcut], output: `${p}.out`, relu: true });
      t = `${p}.out`;
      hw = ohw;
      ch = out;
    }
  });
  layers.push({ kind: 'avgpool', name: 'pool', input: t, output: 'pooled', channels: ch, hw });
  layers.push({ kind: 'dense', name: 'fc', input: 'pooled', output: 'logits', inFeatures: ch, outFeatures: size.classes ?? 1000 });
  return { name: 'resnet18', input: { name: 'x', channels: width, hw: inHw }, layers, output: 'logits' };
}

/**
 * MobileNet-1.0 at 224×224: a full convolution, 13 depthwise-separable blocks, pool, dense.
 * `size.width` is the first convolution's output channels (32); `size.hw` the image size (224).
 */
export function mobilenet(size: NetworkSize = {}): Network {
  const layers: Layer[] = [];
  const inHw = size.hw ?? 224;
  const w = (size.width ?? 32) / 32;
  layers.push({ kind: 'conv', name: 'conv0', input: 'x', output: 'c0', shape: convShape('conv0', inHw, 3, 32 * w, 3, 2), relu: true });
  // (output channels, depthwise stride) of each block.
  const blocks: [number, number][] = (
    [[64, 1], [128, 2], [128, 1], [256, 2], [256, 1], [512, 2], [512, 1], [512, 1], [512, 1], [512, 1], [512, 1], [1024, 2], [1024, 1]] as [number, number][]
  ).map(([c, s]) => [c * w, s]);
  let t = 'c0';
  let hw = inHw / 2;
  let ch = 32 * w;
  blocks.forEach(([out, stride], i) => {
    const p = `b${i + 1}`;
    layers.push({ kind: 'depthwise', name: `${p}.dw`, input: t, output: `${p}.d`, channels: ch, hw, stride, relu: true });
    hw /= stride;
    layers.push({ kind: 'conv', name: `${p}.pw`, input: `${p}.d`, output: `${p}.p`, shape: convShape(`${p}.pw`, hw, ch, out, 1, 1), relu: true });
    t = `${p}.p`;
    ch = out;
  });
  layers.push({ kind: 'avgpool', name: 'pool', input: t, output: 'pooled', channels: ch, hw });
  layers.push({ kind: 'dense', name: 'fc', input: 'pooled', output: 'logits', inFeatures: ch, outFeatures: size.classes ?? 1000 });
  return { name: 'mobilenet', input: { name: 'x', channels: 3, hw: inHw }, layers, output: 'logits' };
}

/** Multiply-accumulates of the network's conv, depthwise and dense layers (the compute bound). */
export function networkMacs(n: Network): number {
  let macs = 0;
  for (const l of n.layers) {
    if (l.kind === 'conv') {
      const s = l.shape;
      const oh = Math.floor((s.h + 2 * s.ph - s.kh) / s.sh) + 1;
      const ow = Math.floor((s.w + 2 * s.pw - s.kw) / s.sw) + 1;
      macs += s.b * s.fo * oh * ow * s.fi * s.kh * s.kw;
    } else if (l.kind === 'depthwise') {
      const o = l.hw / l.stride;
      macs += l.channels * o * o * 9;
    } else if (l.kind === 'dense') macs += l.inFeatures * l.outFeatures;
  }
  return macs;
}

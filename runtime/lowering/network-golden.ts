/**
 * A whole network on the golden reference: seeded random int8 input and weights, then every
 * layer in order. The lowering builds its bundles from the same `NetworkData`, so the tensors
 * evaluated here are the expected outputs of the accelerator program.
 */
import { conv2dInt8, shiftAndScale } from '../golden/index.js';
import { prng } from '../workloads/random-program.js';
import { outputSize } from './conv-shape.js';
import { addLayer, avgPoolLayer, depthwiseLayer, maxPoolLayer, requantShift, type Tensor } from './golden-layers.js';
import type { Layer, Network } from './networks.js';

export interface NetworkData {
  /** Images per run. */
  batch: number;
  input: Tensor;
  /** Weights per layer name: conv o×c×kh×kw, depthwise c×3×3, dense out×in. */
  weights: Map<string, Int8Array>;
}

/**
 * `count` int8 values uniform over −128..127, from one generator, in index order. A plain loop:
 * Int8Array.from over an array-like took about a second for ResNet-18's weights.
 */
export function randomInt8(rand: (n: number) => number, count: number): Int8Array {
  const out = new Int8Array(count);
  for (let i = 0; i < count; i++) out[i] = rand(256) - 128;
  return out;
}

/** The number of weights a layer has, or 0. */
export function weightCount(l: Layer): number {
  switch (l.kind) {
    case 'conv':
      return l.shape.fo * l.shape.fi * l.shape.kh * l.shape.kw;
    case 'depthwise':
      return l.channels * 9;
    case 'dense':
      return l.outFeatures * l.inFeatures;
    default:
      return 0;
  }
}

/** Input first, then each layer's weights in layer order: the same seed always gives the same data. */
export function randomNetworkData(net: Network, seed: number, batch = 1): NetworkData {
  const rand = prng(seed);
  const { channels, hw } = net.input;
  const input: Tensor = { n: batch, c: channels, h: hw, w: hw, data: randomInt8(rand, batch * channels * hw * hw) };
  const weights = new Map<string, Int8Array>();
  for (const l of net.layers) {
    const n = weightCount(l);
    if (n) weights.set(l.name, randomInt8(rand, n));
  }
  return { batch, input, weights };
}

function convLayer(x: Tensor, l: Extract<Layer, { kind: 'conv' }>, w: Int8Array): Tensor {
  const s = l.shape;
  const p = { n: x.n, c: s.fi, h: s.h, w: s.w, o: s.fo, kh: s.kh, kw: s.kw, sh: s.sh, sw: s.sw, ph: s.ph, pw: s.pw };
  const { oh, ow } = outputSize(s);
  const acc = conv2dInt8(x.data, w, p);
  return { n: x.n, c: s.fo, h: oh, w: ow, data: shiftAndScale(acc, { shift: requantShift(s.fi * s.kh * s.kw), relu: l.relu }) };
}

/** One layer on the golden reference. */
export function evaluateLayer(l: Layer, inputs: Tensor[], weights: Int8Array | undefined): Tensor {
  const x = inputs[0]!;
  const w = () => {
    if (!weights) throw new Error(`layer ${l.name} has no weights`);
    return weights;
  };
  switch (l.kind) {
    case 'conv':
      return convLayer(x, l, w());
    case 'depthwise':
      return depthwiseLayer(x, w(), l.stride, l.relu);
    case 'add':
      return addLayer(x, inputs[1]!, l.relu);
    case 'avgpool':
      return avgPoolLayer(x);
    case 'maxpool':
      return maxPoolLayer(x, l.k, l.stride, l.pad);
    case 'dense': {
      // A dense layer is a 1×1 convolution of the pooled c×1×1 tensor.
      const shape = { name: l.name, b: x.n, h: 1, w: 1, fi: l.inFeatures, fo: l.outFeatures, kh: 1, kw: 1, ph: 0, pw: 0, sh: 1, sw: 1 };
      return convLayer({ ...x, h: 1, w: 1 }, { kind: 'conv', name: l.name, input: l.input, output: l.output, shape, relu: false }, w());
    }
  }
}

/** The tensor names a layer reads. */
export function layerInputs(l: Layer): string[] {
  return l.kind === 'add' ? [...l.inputs] : [l.input];
}

/** Every tensor of the network, by name, input included. */
export function evaluateNetwork(net: Network, data: NetworkData): Map<string, Tensor> {
  const tensors = new Map<string, Tensor>([[net.input.name, data.input]]);
  for (const l of net.layers) {
    const inputs = layerInputs(l).map((name) => {
      const t = tensors.get(name);
      if (!t) throw new Error(`layer ${l.name} reads ${name}, which no earlier layer produced`);
      return t;
    });
    tensors.set(l.output, evaluateLayer(l, inputs, data.weights.get(l.name)));
  }
  return tensors;
}

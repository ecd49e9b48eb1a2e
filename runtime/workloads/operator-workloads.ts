/**
 * Operator and network workloads: each is a network (a single layer, or ResNet-18 / MobileNet)
 * with seeded random int8 data, lowered onto the program builder, with `expected` from the
 * golden reference for every layer output. The batch is the configuration's BATCH.
 *
 * Params (WorkloadOptions.params; the CLI has no flag for them yet): `conv:C2`…`conv:C11` take `scale` (divides height, width and
 * both channel counts, so a ResNet-18 layer runs in seconds on the small configs); `dense` takes
 * `in`, `out`; `avgpool` `hw`, `channels`; `maxpool` `hw`, `channels`, `k`, `stride`, `pad`;
 * `depthwise` `hw`, `channels`, `stride`; `resnet18` and `mobilenet` `hw`, `width`, `classes`
 * (networks.ts `NetworkSize`).
 */
import type { ProgramBundle } from '../bundle/bundle.js';
import type { VtaParams } from '../config/config.js';
import { RESNET18_CONVS, type ConvShape } from '../lowering/conv-shape.js';
import { randomNetworkData } from '../lowering/network-golden.js';
import { buildNetworkBundle } from '../lowering/network-lower.js';
import { mobilenet, resnet18, type Layer, type Network } from '../lowering/networks.js';
import { WorkloadError } from './errors.js';

type Params = Record<string, unknown>;

function num(params: Params, key: string, dflt: number): number {
  const v = params[key];
  if (v === undefined) return dflt;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new WorkloadError(`workload parameter ${key} must be a positive integer, got ${JSON.stringify(v)}`);
  return n;
}

function single(name: string, input: { channels: number; hw: number }, layer: Layer): Network {
  return { name, input: { name: 'x', ...input }, layers: [layer], output: layer.output };
}

function convNetwork(s: ConvShape, params: Params): Network {
  const k = num(params, 'scale', 1);
  const shape = { ...s, h: Math.max(1, Math.floor(s.h / k)), w: Math.max(1, Math.floor(s.w / k)), fi: Math.max(1, s.fi / k), fo: Math.max(1, s.fo / k) };
  if (!Number.isInteger(shape.fi) || !Number.isInteger(shape.fo)) throw new WorkloadError(`conv:${s.name}: scale ${k} does not divide the channels ${s.fi}→${s.fo}`);
  return single(`conv:${s.name}`, { channels: shape.fi, hw: shape.h }, { kind: 'conv', name: `conv:${s.name}`, input: 'x', output: 'y', shape, relu: true });
}

const OPERATORS: Record<string, { description: string; network: (params: Params) => Network }> = {
  ...Object.fromEntries(
    RESNET18_CONVS.map((s) => [
      `conv:${s.name}`,
      {
        description: `ResNet-18 convolution ${s.name} (${s.h}×${s.w}, ${s.fi}→${s.fo}, ${s.kh}×${s.kw}, stride ${s.sh}) tiled by TPS, requantised with relu; param scale`,
        network: (params: Params) => convNetwork(s, params),
      },
    ]),
  ),
  dense: {
    description: 'dense layer as a 1×1 convolution (default ResNet-18 classifier 512→1000); params in, out',
    network: (params) => {
      const [inF, outF] = [num(params, 'in', 512), num(params, 'out', 1000)];
      return single('dense', { channels: inF, hw: 1 }, { kind: 'dense', name: 'dense', input: 'x', output: 'y', inFeatures: inF, outFeatures: outF });
    },
  },
  avgpool: {
    description: 'global average pool on the ALU (ADD tree + SHR; default 7×7×512); params hw, channels',
    network: (params) => {
      const [hw, c] = [num(params, 'hw', 7), num(params, 'channels', 512)];
      return single('avgpool', { channels: c, hw }, { kind: 'avgpool', name: 'avgpool', input: 'x', output: 'y', channels: c, hw });
    },
  },
  maxpool: {
    description: 'max pool on the ALU (MAX per tap; −128 padding with PAD_MIN_VALUE; default 3×3 stride 2 pad 1 on 112×112×64); params hw, channels, k, stride, pad',
    network: (params) => {
      const [hw, c] = [num(params, 'hw', 112), num(params, 'channels', 64)];
      const layer: Layer = { kind: 'maxpool', name: 'maxpool', input: 'x', output: 'y', channels: c, hw, k: num(params, 'k', 3), stride: num(params, 'stride', 2), pad: Number(params.pad ?? 1) };
      return single('maxpool', { channels: c, hw }, layer);
    },
  },
  depthwise: {
    description: 'depthwise 3×3 convolution on the ALU (element-wise MUL per tap; default MobileNet 112×112×64 stride 2); params hw, channels, stride',
    network: (params) => {
      const [hw, c] = [num(params, 'hw', 112), num(params, 'channels', 64)];
      return single('depthwise', { channels: c, hw }, { kind: 'depthwise', name: 'depthwise', input: 'x', output: 'y', channels: c, hw, stride: num(params, 'stride', 2), relu: true });
    },
  },
  resnet18: { description: 'ResNet-18 from conv2 to the classifier, every layer on the accelerator, one bundle; params hw, width, classes', network: (params) => resnet18(sizeOf(params)) },
  mobilenet: { description: 'MobileNet-1.0, every layer on the accelerator, one bundle; params hw, width, classes', network: (params) => mobilenet(sizeOf(params)) },
};

function sizeOf(params: Params) {
  const size: { hw?: number; width?: number; classes?: number } = {};
  for (const k of ['hw', 'width', 'classes'] as const) if (params[k] !== undefined) size[k] = num(params, k, 1);
  return size;
}

function operatorBundle(name: string, network: (params: Params) => Network, config: VtaParams, seed: number, params: Params): ProgramBundle {
  const net = network(params);
  const bundle = buildNetworkBundle(net, config, randomNetworkData(net, seed, config.batch));
  bundle.workload = { name, params, seed };
  return bundle;
}

/** Registered in index.ts beside the other builder workloads (same shape as their BuilderWorkload). */
export const OPERATOR_WORKLOADS: readonly { name: string; description: string; build(p: VtaParams, seed: number, params: Params): ProgramBundle }[] = Object.entries(OPERATORS).map(
  ([name, o]) => ({ name, description: o.description, build: (p: VtaParams, seed: number, params: Params) => operatorBundle(name, o.network, p, seed, params) }),
);

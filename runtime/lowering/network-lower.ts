/**
 * A whole network (or a single layer as a one-layer network) as one program bundle: every
 * tensor gets a DRAM buffer in the blocked layout, every layer is lowered in order onto one
 * builder, and every layer's output is an output range with its golden bytes as `expected`, so
 * a divergence names the first wrong layer, not only a wrong final answer.
 */
import type { DramBuffer, ProgramBundle } from '../bundle/bundle.js';
import type { VtaParams } from '../config/config.js';
import { packBlocked, ProgramBuilder } from '../builder/index.js';
import type { ConvShape } from './conv-shape.js';
import { chooseConvPlan, type ConvPlan } from './conv-plan.js';
import { TilingError } from './tps.js';
import { lowerConv, type ResidualAdd } from './conv-lower.js';
import { requantShift } from './golden-layers.js';
import { LoweringError } from './lowering-error.js';
import { evaluateNetwork, layerInputs, type NetworkData } from './network-golden.js';
import type { Layer, Network } from './networks.js';
import { lowerAluLayer } from './alu-layers.js';
import { fusableResidualAdds } from './residual-fusion.js';
import { padChannels, padTensor, tensorImage } from './tensor-image.js';

/** A tensor as the program sees it: its DRAM buffer and its channel count padded to blocks. */
export interface DramTensor {
  buffer: DramBuffer;
  n: number;
  c: number;
  h: number;
  w: number;
}

type GemmLayer = Extract<Layer, { kind: 'conv' | 'dense' }>;

function convShapeOf(l: GemmLayer, n: number, p: VtaParams): ConvShape {
  const s: ConvShape =
    l.kind === 'conv' ? { ...l.shape, b: n } : { name: l.name, b: n, h: 1, w: 1, fi: l.inFeatures, fo: l.outFeatures, kh: 1, kw: 1, ph: 0, pw: 0, sh: 1, sw: 1 };
  return { ...s, fi: padChannels(s.fi, p.blockIn), fo: padChannels(s.fo, p.blockOut) };
}

/** Weights o×c×kh×kw, zero-padded to the layer's block-padded channels, in the WGT layout. */
function weightImage(w: Int8Array, l: GemmLayer, s: ConvShape, p: VtaParams): Uint8Array {
  const [o, c] = l.kind === 'conv' ? [l.shape.fo, l.shape.fi] : [l.outFeatures, l.inFeatures];
  const padded = padTensor(w, o, c, s.kh * s.kw, s.fo, s.fi);
  return packBlocked(padded, { n: s.fo, c: s.fi, h: s.kh, w: s.kw, tileN: p.blockOut, tileC: p.blockIn }, 1);
}

function lowerGemmLayer(b: ProgramBuilder, op: string, l: GemmLayer, plan: ConvPlan, x: DramTensor, out: DramTensor, w: Int8Array, residual?: ResidualAdd): void {
  const weight = b.alloc(`${l.name}.weight`, 'wgt', weightImage(w, l, plan.shape, b.params));
  const relu = l.kind === 'conv' ? l.relu : false;
  const fanIn = l.kind === 'conv' ? l.shape.fi * l.shape.kh * l.shape.kw : l.inFeatures;
  lowerConv(b, op, plan, { input: x.buffer, weight, output: out.buffer }, { shift: requantShift(fanIn), relu }, residual);
}

/**
 * The layer's plan: with room for a fused residual add when it has one and a tiling fits it
 * (small configurations may have none; the add then runs as a layer of its own), else plain.
 */
function gemmPlan(s: ConvShape, p: VtaParams, withResidual: boolean): ConvPlan {
  if (withResidual) {
    try {
      return chooseConvPlan(s, p, { residual: true });
    } catch (e) {
      if (!(e instanceof TilingError)) throw e;
    }
  }
  return chooseConvPlan(s, p);
}

export interface NetworkLowering {
  /**
   * Run a residual add as the epilogue of the conv producing one operand when the network
   * allows it (residual-fusion.ts); the conv's own output is then never stored, so it has no
   * expected bytes. Default on: it saves the add's memory-bound pass over both operands.
   */
  fuseResidualAdds?: boolean;
}

/** Channel block every tensor is padded to: a tensor is written as OUT and read back as INP. */
function channelBlock(net: Network, p: VtaParams): number {
  if (p.blockIn !== p.blockOut && net.layers.length > 1) {
    throw new LoweringError(`network ${net.name}: BLOCK_IN ${p.blockIn} ≠ BLOCK_OUT ${p.blockOut}, so a stored layer output cannot be read back as the next layer's input; run single layers on this configuration`);
  }
  return Math.max(p.blockIn, p.blockOut);
}

export function buildNetworkBundle(net: Network, p: VtaParams, data: NetworkData, opts: NetworkLowering = {}): ProgramBundle {
  if (data.batch % p.batch !== 0) throw new LoweringError(`network ${net.name}: batch ${data.batch} is not a multiple of BATCH ${p.batch}`);
  const golden = evaluateNetwork(net, data);
  const block = channelBlock(net, p);
  const b = new ProgramBuilder(p);
  const expected: Record<string, Uint8Array> = {};
  const tensors = new Map<string, DramTensor>();
  const x = data.input;
  const inC = padChannels(x.c, block);
  tensors.set(net.input.name, { buffer: b.alloc(net.input.name, 'inp', tensorImage(x, inC, p.batch, p.blockIn)), n: x.n, c: inC, h: x.h, w: x.w });
  const fused = opts.fuseResidualAdds === false ? new Map() : fusableResidualAdds(net);
  const done = new Set<string>();
  for (const l of net.layers) {
    if (done.has(l.name)) continue;
    const ins = layerInputs(l).map((name) => tensors.get(name)!);
    const plan = l.kind === 'conv' || l.kind === 'dense' ? gemmPlan(convShapeOf(l, ins[0]!.n, p), p, fused.has(l.name)) : undefined;
    const epilogue = plan?.residual ? fused.get(l.name) : undefined;
    // The layer whose output this step stores: the add when it is fused into this conv.
    const last = epilogue?.add ?? l;
    const g = golden.get(last.output)!;
    const c = padChannels(g.c, block);
    const buffer = b.alloc(last.output, 'out', g.n * c * g.h * g.w);
    b.output(buffer);
    expected[last.output] = tensorImage(g, c, p.batch, p.blockOut);
    const out: DramTensor = { buffer, n: g.n, c, h: g.h, w: g.w };
    if (l.kind === 'conv' || l.kind === 'dense') {
      const residual = epilogue && { shortcut: tensors.get(epilogue.shortcut)!.buffer, relu: epilogue.add.relu };
      const op = epilogue ? `${l.name}+${epilogue.add.name.split('.').pop()}` : l.name;
      lowerGemmLayer(b, op, l, plan!, ins[0]!, out, data.weights.get(l.name)!, residual);
    } else lowerAluLayer(b, l, ins, out, data.weights.get(l.name));
    if (epilogue) done.add(epilogue.add.name);
    tensors.set(last.output, out);
  }
  const bundle = b.finish();
  bundle.expected = expected;
  return bundle;
}

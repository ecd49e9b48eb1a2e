/** The layers that run on the ALU, by kind (conv and dense go to the GEMM lowering). */
import type { ProgramBuilder } from '../builder/index.js';
import { lowerDepthwise } from './depthwise-lower.js';
import type { DramTensor } from './network-lower.js';
import type { Layer } from './networks.js';
import { lowerAvgPool, lowerMaxPool } from './pool-lower.js';
import { lowerResidualAdd } from './residual-add.js';

export function lowerAluLayer(b: ProgramBuilder, l: Exclude<Layer, { kind: 'conv' | 'dense' }>, ins: DramTensor[], out: DramTensor, weights: Int8Array | undefined): void {
  const x = ins[0]!;
  switch (l.kind) {
    case 'add':
      return lowerResidualAdd(b, l.name, x, ins[1]!, out, l.relu);
    case 'avgpool':
      return lowerAvgPool(b, l.name, x, out);
    case 'maxpool':
      return lowerMaxPool(b, l.name, x, out, l.k, l.stride, l.pad);
    case 'depthwise':
      return lowerDepthwise(b, l.name, x, out, weights!, l.channels, l.stride, l.relu);
  }
}

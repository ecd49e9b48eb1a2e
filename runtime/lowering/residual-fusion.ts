/**
 * Which residual adds a network can run as the epilogue of the convolution that produces one of
 * their operands (conv-lower.ts, ResidualAdd): the conv's output must feed nothing but the add
 * (it is then never stored) and the add's other operand, the shortcut, must already exist when
 * the conv runs. ResNet-18's conv2 + add pairs qualify once each block's downsampling conv comes
 * before its conv2 (networks.ts orders them so).
 */
import { layerInputs } from './network-golden.js';
import type { Layer, Network } from './networks.js';

export type AddLayer = Extract<Layer, { kind: 'add' }>;

export interface FusedAdd {
  add: AddLayer;
  /** The operand that is not the conv's output. */
  shortcut: string;
}

/** conv layer name → the add fused into its epilogue. */
export function fusableResidualAdds(net: Network): Map<string, FusedAdd> {
  const producedAt = new Map<string, number>([[net.input.name, -1]]);
  const consumers = new Map<string, number>();
  net.layers.forEach((l, i) => {
    producedAt.set(l.output, i);
    for (const t of layerInputs(l)) consumers.set(t, (consumers.get(t) ?? 0) + 1);
  });
  const fused = new Map<string, FusedAdd>();
  for (const add of net.layers) {
    if (add.kind !== 'add') continue;
    for (const [k, operand] of add.inputs.entries()) {
      const at = producedAt.get(operand)!;
      const conv = net.layers[at];
      const shortcut = add.inputs[1 - k]!;
      if (conv?.kind !== 'conv' || fused.has(conv.name)) continue;
      if (consumers.get(operand) !== 1 || operand === net.output) continue;
      if (producedAt.get(shortcut)! >= at) continue;
      fused.set(conv.name, { add, shortcut });
      break;
    }
  }
  return fused;
}

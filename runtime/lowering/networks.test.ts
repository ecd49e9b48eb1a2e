import { describe, expect, it } from 'vitest';
import { RESNET18_CONVS } from './conv-shape.js';
import { mobilenet, networkMacs, resnet18 } from './networks.js';

describe('network definitions', () => {
  it('ResNet-18 from conv2 has 19 convolutions whose shapes are exactly the C2–C11 set', () => {
    const convs = resnet18().layers.filter((l) => l.kind === 'conv');
    // 16 block convolutions + 3 downsampling 1×1 convolutions.
    expect(convs).toHaveLength(19);
    const key = (s: { h: number; fi: number; fo: number; kh: number; sh: number }) => `${s.h}/${s.fi}/${s.fo}/${s.kh}/${s.sh}`;
    const shapes = new Set(convs.map((l) => (l.kind === 'conv' ? key(l.shape) : '')));
    expect(shapes).toEqual(new Set(RESNET18_CONVS.map(key)));
  });

  it('every layer reads a tensor produced earlier (or the input)', () => {
    for (const n of [resnet18(), mobilenet()]) {
      const known = new Set([n.input.name]);
      for (const l of n.layers) {
        const ins = l.kind === 'add' ? l.inputs : [l.input];
        for (const i of ins) expect(known.has(i), `${n.name} ${l.name} reads ${i}`).toBe(true);
        known.add(l.output);
      }
      expect(known.has(n.output)).toBe(true);
    }
  });

  it('counts the multiply-accumulates published for the two networks', () => {
    // ResNet-18 is 1.82 GMAC in all; conv1 (7×7×3→64 at 112×112) is 118 M of it.
    const conv1 = 64 * 112 * 112 * 3 * 49;
    expect(networkMacs(resnet18()) + conv1).toBeGreaterThan(1.80e9);
    expect(networkMacs(resnet18()) + conv1).toBeLessThan(1.83e9);
    // MobileNet-1.0 (224): 569 M multiply-adds.
    expect(networkMacs(mobilenet())).toBeGreaterThan(0.56e9);
    expect(networkMacs(mobilenet())).toBeLessThan(0.58e9);
  });
});

/**
 * Residual adds fused into a conv's epilogue: which adds qualify (by hand from the network's
 * wiring), and that the fused program's outputs on fsim equal the golden network evaluated layer
 * by layer, with data on which skipping either of the two clips would give other bytes.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/fixtures.js';
import { clip, conv2dInt8 } from '../golden/index.js';
import { requantShift } from './golden-layers.js';
import { buildNetworkBundle } from './network-lower.js';
import { evaluateNetwork, randomNetworkData } from './network-golden.js';
import { resnet18, type Layer, type Network } from './networks.js';
import { fusableResidualAdds } from './residual-fusion.js';
import { runOnFsim } from './run-on-fsim.testing.js';

const conv = (name: string, input: string, output: string, c: number, hw: number, relu: boolean): Layer => ({
  kind: 'conv',
  name,
  input,
  output,
  relu,
  shape: { name, b: 1, h: hw, w: hw, fi: c, fo: c, kh: 3, kw: 3, ph: 1, pw: 1, sh: 1, sw: 1 },
});

/** conv (no relu) then add with the network's input, relu: the smallest residual block. */
function block(c: number, hw: number): Network {
  return {
    name: 'block',
    input: { name: 'x', channels: c, hw },
    layers: [conv('c', 'x', 'b', c, hw, false), { kind: 'add', name: 'sum', inputs: ['b', 'x'], output: 'out', relu: true }],
    output: 'out',
  };
}

describe('which residual adds fuse into a conv', () => {
  it('every ResNet-18 block: conv2 with its shortcut (the input, the previous block or the downsampling conv)', () => {
    const fused = fusableResidualAdds(resnet18());
    const got = [...fused].map(([conv, f]) => `${conv}+${f.add.name}<${f.shortcut}`);
    expect(got).toEqual([
      's1b1.conv2+s1b1.add<x',
      's1b2.conv2+s1b2.add<s1b1.out',
      's2b1.conv2+s2b1.add<s2b1.sc',
      's2b2.conv2+s2b2.add<s2b1.out',
      's3b1.conv2+s3b1.add<s3b1.sc',
      's3b2.conv2+s3b2.add<s3b1.out',
      's4b1.conv2+s4b1.add<s4b1.sc',
      's4b2.conv2+s4b2.add<s4b1.out',
    ]);
  });

  it('not when the shortcut is computed after the conv, or the conv output has another reader', () => {
    // The shortcut y is made after conv c, by a layer that is not a conv (so y's side cannot fuse either).
    const late: Network = {
      name: 'late',
      input: { name: 'x', channels: 16, hw: 4 },
      layers: [conv('c', 'x', 'b', 16, 4, false), { kind: 'add', name: 'twice', inputs: ['x', 'x'], output: 'y', relu: false }, { kind: 'add', name: 'sum', inputs: ['b', 'y'], output: 'out', relu: true }],
      output: 'out',
    };
    expect(fusableResidualAdds(late).size).toBe(0);
    // Two convs feeding the add: the later one takes the earlier one's output as its shortcut.
    const pair: Network = {
      name: 'pair',
      input: { name: 'x', channels: 16, hw: 4 },
      layers: [conv('c', 'x', 'b', 16, 4, false), conv('d', 'x', 'sc', 16, 4, false), { kind: 'add', name: 'sum', inputs: ['b', 'sc'], output: 'out', relu: true }],
      output: 'out',
    };
    expect([...fusableResidualAdds(pair)].map(([c, f]) => `${c}<${f.shortcut}`)).toEqual(['d<b']);
    const shared: Network = {
      name: 'shared',
      input: { name: 'x', channels: 16, hw: 4 },
      layers: [conv('c', 'x', 'b', 16, 4, false), { kind: 'add', name: 'sum', inputs: ['b', 'x'], output: 's', relu: true }, conv('e', 'b', 'out', 16, 4, true)],
      output: 'out',
    };
    expect(fusableResidualAdds(shared).size).toBe(0);
    // The add's operands in the other order fuse the same way.
    const swapped = block(16, 4);
    swapped.layers[1] = { kind: 'add', name: 'sum', inputs: ['x', 'b'], output: 'out', relu: true };
    expect([...fusableResidualAdds(swapped).values()].map((f) => f.shortcut)).toEqual(['x']);
  });
});

describe('a fused residual block on fsim', () => {
  const net = block(32, 12);
  const data = randomNetworkData(net, 5);

  it('the data needs both clips: clip(conv >> s + x) without the first one differs from the golden sum', () => {
    const s = (net.layers[0] as Extract<Layer, { kind: 'conv' }>).shape;
    const raw = conv2dInt8(data.input.data, data.weights.get('c')!, { n: 1, c: 32, h: 12, w: 12, o: 32, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 });
    const shift = requantShift(s.fi * 9);
    const golden = evaluateNetwork(net, data).get('out')!.data;
    const oneClip = Int8Array.from(raw, (v, i) => clip((v >> shift) + data.input.data[i]!, 0, 127));
    expect(oneClip.some((v, i) => v !== golden[i])).toBe(true);
    // And the relu clip matters: some sums are negative.
    expect(golden.filter((v) => v === 0).length).toBeGreaterThan(10);
  });

  for (const config of ['default', 'small', 'batch2']) {
    it(`${config}: the add runs in the conv's epilogue, the conv output is never stored, and the sum equals golden`, async () => {
      const p = resolveConfig(config);
      const d = randomNetworkData(net, 5, p.batch);
      const fused = buildNetworkBundle(net, p, d);
      expect(fused.outputs.map((o) => o.name)).toEqual(['out']);
      expect(fused.sourceMap.some((e) => e?.op === 'c+sum')).toBe(true);
      const r = await runOnFsim(fused);
      expect(r.status).toBe('ok');
      expect(r.wrong).toEqual([]);
      // Unfused, the same network stores both tensors and gives the same sum.
      const plain = buildNetworkBundle(net, p, d, { fuseResidualAdds: false });
      expect(plain.outputs.map((o) => o.name)).toEqual(['b', 'out']);
      expect(plain.expected!['out']).toEqual(fused.expected!['out']);
      expect((await runOnFsim(plain)).wrong).toEqual([]);
    }, 60_000);
  }
});

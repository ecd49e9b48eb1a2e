/** Golden layers and whole-network evaluation against values worked out by hand. */
import { describe, expect, it } from 'vitest';
import { addLayer, avgPoolLayer, depthwiseLayer, maxPoolLayer, poolShift, requantShift, type Tensor } from './golden-layers.js';
import { evaluateNetwork, randomNetworkData, type NetworkData } from './network-golden.js';
import { resnet18, mobilenet, type Network } from './networks.js';

const t = (n: number, c: number, h: number, w: number, v: number[]): Tensor => ({ n, c, h, w, data: Int8Array.from(v) });

describe('golden layers', () => {
  it('requantisation and pool shifts', () => {
    expect(requantShift(576)).toBe(11); // log2 576 = 9.17 → ceil(4.58) = 5, + 6
    expect(requantShift(9)).toBe(8); // log2 9 = 3.17 → ceil(1.58) = 2, + 6
    expect(requantShift(1)).toBe(6);
    expect(poolShift(49)).toBe(6); // 7×7 divides by 64
    expect(poolShift(4)).toBe(2);
  });

  it('depthwise 3×3: each channel its own filter, padding 1, shift 8', () => {
    // channel 0 = 1..9 with weights all 64: neighbourhood sums 12 21 16 / 27 45 33 / 24 39 28,
    // times 64 then >> 8 = sum / 4 rounded down: 3 5 4 / 6 11 8 / 6 9 7.
    // channel 1 = all 1 with weights all −64 and relu: negative → 0 everywhere.
    const x = t(1, 2, 3, 3, [1, 2, 3, 4, 5, 6, 7, 8, 9, ...new Array(9).fill(1)]);
    const w = Int8Array.from([...new Array(9).fill(64), ...new Array(9).fill(-64)]);
    expect([...depthwiseLayer(x, w, 1, true).data]).toEqual([3, 5, 4, 6, 11, 8, 6, 9, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    // stride 2 keeps positions (0,0) (0,2) (2,0) (2,2); without relu channel 1's corners are
    // 4·(−64) >> 8 = −1.
    const s2 = depthwiseLayer(x, w, 2, false);
    expect([s2.h, s2.w]).toEqual([2, 2]);
    expect([...s2.data]).toEqual([3, 4, 6, 7, -1, -1, -1, -1]);
  });

  it('residual add clips to int8, relu clips at 0', () => {
    const a = t(1, 3, 1, 1, [100, -100, 5]);
    const b = t(1, 3, 1, 1, [100, -100, -10]);
    expect([...addLayer(a, b, false).data]).toEqual([127, -128, -5]);
    expect([...addLayer(a, b, true).data]).toEqual([127, 0, 0]);
  });

  it('average pool sums a channel and shifts by the power of two at or above the window', () => {
    // 2×2 windows: shift 2. 1+2+3+4 = 10 → 2; −10 → floor(−2.5) = −3.
    expect([...avgPoolLayer(t(1, 2, 2, 2, [1, 2, 3, 4, -1, -2, -3, -4])).data]).toEqual([2, -3]);
    // 7×7 of 127: 6223 >> 6 = 97.
    expect([...avgPoolLayer(t(1, 1, 7, 7, new Array(49).fill(127))).data]).toEqual([97]);
  });

  it('max pool 3×3 stride 2 pad 1 ignores the padding', () => {
    // 4×4 input, all negative so a zero pad would win if padding counted:
    //  -1  -2  -3  -4
    //  -5  -6  -7  -8
    //  -9 -10 -11 -12
    // -13 -14 -15 -16
    // windows centred on (0,0),(0,2),(2,0),(2,2): max of the in-bounds part.
    const x = t(1, 1, 4, 4, Array.from({ length: 16 }, (_, i) => -(i + 1)));
    const y = maxPoolLayer(x, 3, 2, 1);
    expect([y.h, y.w]).toEqual([2, 2]);
    expect([...y.data]).toEqual([-1, -2, -5, -6]);
  });
});

describe('network evaluation', () => {
  it('runs layers in order on hand-set data', () => {
    // x (1×1×2×2) → 1×1 conv with weight 64 (shift 6: the identity) → add x with relu → average.
    const net: Network = {
      name: 'tiny',
      input: { name: 'x', channels: 1, hw: 2 },
      layers: [
        { kind: 'conv', name: 'c', input: 'x', output: 'y', shape: { name: 'c', b: 1, h: 2, w: 2, fi: 1, fo: 1, kh: 1, kw: 1, ph: 0, pw: 0, sh: 1, sw: 1 }, relu: false },
        { kind: 'add', name: 'a', inputs: ['y', 'x'], output: 'z', relu: true },
        { kind: 'avgpool', name: 'p', input: 'z', output: 'q', channels: 1, hw: 2 },
      ],
      output: 'q',
    };
    const data: NetworkData = { batch: 1, input: t(1, 1, 2, 2, [10, -3, 70, 1]), weights: new Map([['c', Int8Array.of(64)]]) };
    const out = evaluateNetwork(net, data);
    expect([...out.get('y')!.data]).toEqual([10, -3, 70, 1]);
    expect([...out.get('z')!.data]).toEqual([20, 0, 127, 2]); // 140 clips to 127
    expect([...out.get('q')!.data]).toEqual([37]); // 149 >> 2
  });

  it('is deterministic per seed and gives every tensor its network shape', () => {
    const net = resnet18({ hw: 8, width: 4, classes: 10 });
    const a = evaluateNetwork(net, randomNetworkData(net, 7));
    const b = evaluateNetwork(net, randomNetworkData(net, 7));
    const c = evaluateNetwork(net, randomNetworkData(net, 8));
    expect([...a.get('logits')!.data]).toEqual([...b.get('logits')!.data]);
    expect([...a.get('s4b2.out')!.data]).not.toEqual([...c.get('s4b2.out')!.data]);
    // 8 → 8 → 4 → 2 → 1 pixels; 4 → 4 → 8 → 16 → 32 channels; 10 classes.
    const dims = (name: string) => { const x = a.get(name)!; return [x.n, x.c, x.h, x.w]; };
    expect(dims('s1b2.out')).toEqual([1, 4, 8, 8]);
    expect(dims('s2b1.sc')).toEqual([1, 8, 4, 4]);
    expect(dims('s4b2.out')).toEqual([1, 32, 1, 1]);
    expect(dims('logits')).toEqual([1, 10, 1, 1]);
    // Activations stay spread: not all zero, not all saturated.
    const mid = a.get('s2b2.out')!.data;
    expect(mid.some((v) => v > 0 && v < 127)).toBe(true);
  });

  it('evaluates a small MobileNet with a batch of two', () => {
    const net = mobilenet({ hw: 32, width: 8, classes: 16 });
    const out = evaluateNetwork(net, randomNetworkData(net, 1, 2));
    const logits = out.get('logits')!;
    expect([logits.n, logits.c, logits.h, logits.w]).toEqual([2, 16, 1, 1]);
    expect(out.get('b13.p')!.h).toBe(1); // 32 / 2^5
  });
});

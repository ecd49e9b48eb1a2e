/** The golden reference against values worked out by hand (comments show the arithmetic). */
import { describe, expect, it } from 'vitest';
import { aluApply, aluScalar, clipAll, relu } from './alu.js';
import { conv2dInt8, conv2dOutputSize } from './conv2d.js';
import { clip, lowInt8, truncateToInt8, wrapInt32 } from './int.js';
import { addInt32, matmulInt8 } from './matmul.js';
import { shiftAndScale } from './requant.js';

describe('integer helpers', () => {
  it('wraps to int32 and keeps the low byte as int8', () => {
    expect(wrapInt32(2 ** 31)).toBe(-(2 ** 31));
    expect(wrapInt32(2 ** 32 + 5)).toBe(5);
    expect(wrapInt32(-(2 ** 31) - 1)).toBe(2 ** 31 - 1);
    expect(lowInt8(300)).toBe(44); // 300 = 0x12c
    expect(lowInt8(-129)).toBe(127); // 0x...ff7f
    expect(lowInt8(0x80)).toBe(-128);
    expect([...truncateToInt8([255, 256, -1])]).toEqual([-1, 0, -1]);
    expect(clip(200, -128, 127)).toBe(127);
    expect(clip(-200, -128, 127)).toBe(-128);
  });
});

describe('matmul', () => {
  it('computes A · Wᵀ with W stored one row per output', () => {
    // A = [[1, 2], [3, -4]], W rows (outputs) = [[5, 6], [-7, 8], [0, 1]]
    const a = Int8Array.of(1, 2, 3, -4);
    const w = Int8Array.of(5, 6, -7, 8, 0, 1);
    // row 0: 1·5+2·6 = 17, 1·-7+2·8 = 9, 2; row 1: 15-24 = -9, -21-32 = -53, -4
    expect([...matmulInt8(a, w, 2, 2, 3)]).toEqual([17, 9, 2, -9, -53, -4]);
  });
  it('reaches the int8 extremes exactly', () => {
    // (-128)·(-128) · 64 = 1 048 576
    const a = new Int8Array(64).fill(-128);
    expect([...matmulInt8(a, a, 1, 64, 1)]).toEqual([1_048_576]);
  });
  it('accumulates with wrap-around', () => {
    expect([...addInt32(Int32Array.of(2 ** 31 - 1, 5), Int32Array.of(1, -7))]).toEqual([-(2 ** 31), -2]);
  });
  it('rejects shapes that do not match the data', () => {
    expect(() => matmulInt8(new Int8Array(3), new Int8Array(4), 2, 2, 2)).toThrow(/A has 3 elements/);
  });
});

describe('ALU operations', () => {
  it('min, max, add (wrapping), mul (wrapping)', () => {
    expect(aluScalar('min', -3, 2)).toBe(-3);
    expect(aluScalar('max', -3, 2)).toBe(2);
    expect(aluScalar('add', 2 ** 31 - 1, 2)).toBe(-(2 ** 31) + 1);
    expect(aluScalar('mul', 65536, 65536)).toBe(0); // 2^32 wraps to 0
    expect(aluScalar('mul', 70000, 70000)).toBe(605_032_704); // 4 900 000 000 − 2^32
    expect(aluScalar('mul', -3, 7)).toBe(-21);
  });
  it('shr shifts right arithmetically, left for negative amounts, and saturates the amount', () => {
    expect(aluScalar('shr', -7, 1)).toBe(-4); // floor(-3.5)
    expect(aluScalar('shr', 100, 3)).toBe(12);
    expect(aluScalar('shr', 5, -2)).toBe(20);
    expect(aluScalar('shr', 0x40000001, -1)).toBe(-(2 ** 31) + 2); // 0x80000002 wraps negative
    expect(aluScalar('shr', -5, 40)).toBe(-1); // ≥ 32 acts as 31: sign fill
    expect(aluScalar('shr', 5, 40)).toBe(0);
    expect(aluScalar('shr', 5, -32)).toBe(0);
    expect(aluScalar('shr', 1, -31)).toBe(-(2 ** 31));
  });
  it('fork opcodes: clp, mov, mul8', () => {
    expect(aluScalar('clp', 50, 10)).toBe(10);
    expect(aluScalar('clp', -50, 10)).toBe(-10);
    expect(aluScalar('mov', 1, 9)).toBe(9);
    expect(aluScalar('mul8', 0x1ff, 3)).toBe(-3); // low byte 0xff = -1
  });
  it('applies per lane with a tensor or an immediate; relu and clip', () => {
    expect([...aluApply('add', Int32Array.of(1, 2), Int32Array.of(10, -20))]).toEqual([11, -18]);
    expect([...aluApply('max', Int32Array.of(-1, 5), 0)]).toEqual([0, 5]);
    expect([...relu(Int32Array.of(-9, 0, 9))]).toEqual([0, 0, 9]);
    expect([...clipAll(Int32Array.of(-1000, 3, 1000), -128, 127)]).toEqual([-128, 3, 127]);
  });
});

describe('shift-and-scale', () => {
  it('shifts, optionally applies relu, and clips to int8', () => {
    // 1000 >> 2 = 250 → 127; -1000 >> 2 = -250 → -128; 37 >> 2 = 9; -37 >> 2 = -10
    expect([...shiftAndScale([1000, -1000, 37, -37], { shift: 2 })]).toEqual([127, -128, 9, -10]);
    expect([...shiftAndScale([1000, -1000, 37, -37], { shift: 2, relu: true })]).toEqual([127, 0, 9, 0]);
    expect([...shiftAndScale([5], { shift: 0 })]).toEqual([5]);
  });
});

describe('conv2d', () => {
  it('a 3×3 kernel of ones with padding 1 sums each neighbourhood', () => {
    // input 1×1×3×3 = 1..9; every output is the sum of the in-bounds 3×3 neighbourhood
    const input = Int8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9);
    const weight = new Int8Array(9).fill(1);
    const p = { n: 1, c: 1, h: 3, w: 3, o: 1, kh: 3, kw: 3, sh: 1, sw: 1, ph: 1, pw: 1 };
    expect(conv2dOutputSize(p)).toEqual({ oh: 3, ow: 3 });
    // corner (0,0): 1+2+4+5 = 12; top middle: 1+2+3+4+5+6 = 21; centre: 45 …
    expect([...conv2dInt8(input, weight, p)]).toEqual([12, 21, 16, 27, 45, 33, 24, 39, 28]);
  });
  it('stride 2 picks every other window; channels add up; outputs have their own weights', () => {
    // 1×2×3×3 input: channel 0 = 1..9, channel 1 = all 1; 2 outputs, 1×1 kernels, stride 2
    const input = Int8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    const weight = Int8Array.of(2, 10, -1, 0); // o0 = 2·c0 + 10·c1, o1 = -c0
    const p = { n: 1, c: 2, h: 3, w: 3, o: 2, kh: 1, kw: 1, sh: 2, sw: 2, ph: 0, pw: 0 };
    expect(conv2dOutputSize(p)).toEqual({ oh: 2, ow: 2 });
    // positions (0,0)=1, (0,2)=3, (2,0)=7, (2,2)=9
    expect([...conv2dInt8(input, weight, p)]).toEqual([12, 16, 24, 28, -1, -3, -7, -9]);
  });
  it('stride 2 with padding 1 and a 2×2 batch', () => {
    // 2×1×2×2 input, kernel 3×3 of ones, pad 1, stride 2 → 1×1 output holding the sum of the image
    const input = Int8Array.of(1, 2, 3, 4, -1, -2, -3, -4);
    const weight = new Int8Array(9).fill(1);
    const p = { n: 2, c: 1, h: 2, w: 2, o: 1, kh: 3, kw: 3, sh: 2, sw: 2, ph: 1, pw: 1 };
    expect(conv2dOutputSize(p)).toEqual({ oh: 1, ow: 1 });
    expect([...conv2dInt8(input, weight, p)]).toEqual([10, -10]);
  });
  it('equals the definition summed pixel by pixel on random shapes, strides, paddings and kernels', () => {
    // The header's formula, one output pixel at a time, exact (BigInt) then wrapped to int32.
    const naive = (input: Int8Array, weight: Int8Array, p: Parameters<typeof conv2dInt8>[2]) => {
      const { oh, ow } = conv2dOutputSize(p);
      const out: number[] = [];
      for (let n = 0; n < p.n; n++)
        for (let o = 0; o < p.o; o++)
          for (let y = 0; y < oh; y++)
            for (let x = 0; x < ow; x++) {
              let sum = 0n;
              for (let c = 0; c < p.c; c++)
                for (let ky = 0; ky < p.kh; ky++)
                  for (let kx = 0; kx < p.kw; kx++) {
                    const iy = y * p.sh + ky - p.ph;
                    const ix = x * p.sw + kx - p.pw;
                    if (iy < 0 || iy >= p.h || ix < 0 || ix >= p.w) continue;
                    sum += BigInt(input[((n * p.c + c) * p.h + iy) * p.w + ix]! * weight[((o * p.c + c) * p.kh + ky) * p.kw + kx]!);
                  }
              out.push(Number(BigInt.asIntN(32, sum)));
            }
      return out;
    };
    let seed = 12345;
    const rnd = (k: number) => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8) % k;
    for (let t = 0; t < 60; t++) {
      const kh = 1 + rnd(5), kw = 1 + rnd(5);
      const p = { n: 1 + rnd(2), c: 1 + rnd(4), h: kh + rnd(7), w: kw + rnd(7), o: 1 + rnd(9), kh, kw, sh: 1 + rnd(3), sw: 1 + rnd(3), ph: rnd(kh), pw: rnd(kw) };
      const input = Int8Array.from({ length: p.n * p.c * p.h * p.w }, () => rnd(256) - 128);
      const weight = Int8Array.from({ length: p.o * p.c * p.kh * p.kw }, () => (rnd(4) === 0 ? 0 : rnd(256) - 128));
      expect([...conv2dInt8(input, weight, p)], JSON.stringify(p)).toEqual(naive(input, weight, p));
    }
  });
  it('wraps to int32 like the accumulator: 131073 products of 16384', () => {
    const c = 131073;
    const p = { n: 1, c, h: 1, w: 1, o: 1, kh: 1, kw: 1, sh: 1, sw: 1, ph: 0, pw: 0 };
    const out = conv2dInt8(new Int8Array(c).fill(-128), new Int8Array(c).fill(-128), p);
    expect(out[0]).toBe(Number(BigInt.asIntN(32, 16384n * 131073n))); // 2^31 + 16384 wraps to −2^31 + 16384
    expect(out[0]).toBe(-2147483648 + 16384);
  });
});

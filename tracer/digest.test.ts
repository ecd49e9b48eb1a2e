import { describe, expect, it } from 'vitest';
import { DIGEST_VERSION, Digest, FNV_BASIS_HI, chunkDigest, eventTerms, fnv1a32, mixHi, mixLo } from './digest.js';
import { refEventTerms, refMixHi, refMixLo, seededRandom as rng } from './digest-reference.js';

const ascii = (s: string) => new TextEncoder().encode(s);

const terms = (sid: number, addr: number, data: Uint8Array) => {
  const out = new Int32Array(2);
  eventTerms(sid, addr, data, 0, data.length, out);
  return [out[0]! >>> 0, out[1]! >>> 0];
};

describe('chunk digest (FNV-1a)', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32(ascii(''))).toBe(0x811c9dc5);
    expect(fnv1a32(ascii('a'))).toBe(0xe40c292c);
    expect(fnv1a32(ascii('foobar'))).toBe(0xbf9cf968);
  });

  it('chunk digest: both lanes over [u32 pc][u32 lo][u32 hi] of the present instructions, little-endian', () => {
    const insnDigests = Uint32Array.of(0x11223344, 0x55667788, 1, 2, 0xdeadbeef, 0xfeedface);
    const present = Uint8Array.of(1, 0, 1);
    // Instructions 512 and 514 present (513 absent), bytes spelled out by hand.
    const bytes = Uint8Array.of(
      ...[0x00, 0x02, 0, 0, 0x44, 0x33, 0x22, 0x11, 0x88, 0x77, 0x66, 0x55],
      ...[0x02, 0x02, 0, 0, 0xef, 0xbe, 0xad, 0xde, 0xce, 0xfa, 0xed, 0xfe],
    );
    expect(chunkDigest(512, insnDigests, present)).toEqual({ lo: fnv1a32(bytes), hi: fnv1a32(bytes, FNV_BASIS_HI) });
    expect(chunkDigest(0, insnDigests, new Uint8Array(3))).toEqual({ lo: fnv1a32(new Uint8Array(0)), hi: FNV_BASIS_HI });
  });

  it('uses two lanes that differ', () => {
    // The documented value (docs/trace-schema.md): FNV-1a 32 of "vta-trace".
    expect(FNV_BASIS_HI).toBe(0x446b3606);
    const d = new Digest();
    d.bytes(ascii('x'));
    expect(d.value.lo).not.toBe(d.value.hi);
  });
});

describe('instruction digest terms (version 2)', () => {
  it('is version 2', () => expect(DIGEST_VERSION).toBe(2));

  it("mixers are MurmurHash3's fmix32 (published value) and lowbias32, as the reference spells them", () => {
    expect(mixLo(1)).toBe(0x514e28b7);
    expect(mixLo(0)).toBe(0);
    const rand = rng(3);
    for (let k = 0; k < 200; k++) {
      const x = Math.floor(rand() * 2 ** 32);
      expect(mixLo(x)).toBe(Number(refMixLo(BigInt(x))));
      expect(mixHi(x)).toBe(Number(refMixHi(BigInt(x))));
    }
  });

  it('equal the reference for any stream, address and payload length (partial last words included)', () => {
    const rand = rng(11);
    for (let k = 0; k < 300; k++) {
      const data = Uint8Array.from({ length: Math.floor(rand() * 80) }, () => Math.floor(rand() * 256));
      const sid = Math.floor(rand() * 11);
      const addr = k % 3 === 0 ? 0xffffffff : Math.floor(rand() * 2 ** 32);
      expect(terms(sid, addr, data)).toEqual(refEventTerms({ sid, addr, data }));
    }
  });

  it('change with any single bit, a swap of two words, the address, the stream or the length', () => {
    const data = Uint8Array.from({ length: 64 }, (_, i) => (i * 29 + 3) & 0xff);
    const base = terms(6, 100, data);
    const differs = (t: number[]) => t[0] !== base[0] && t[1] !== base[1];
    for (let bit = 0; bit < 8 * data.length; bit++) {
      const d = data.slice();
      d[bit >> 3]! ^= 1 << (bit & 7);
      expect(differs(terms(6, 100, d))).toBe(true);
    }
    const swapped = data.slice();
    swapped.set(data.subarray(0, 4), 4);
    swapped.set(data.subarray(4, 8), 0);
    expect(differs(terms(6, 100, swapped))).toBe(true);
    expect(differs(terms(6, 101, data))).toBe(true);
    expect(differs(terms(5, 100, data))).toBe(true);
    // Zero padding does not make a shorter payload look like a longer one ending in zeros.
    expect(terms(6, 100, Uint8Array.of(1, 2, 3))).not.toEqual(terms(6, 100, Uint8Array.of(1, 2, 3, 0)));
  });
});

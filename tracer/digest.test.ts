import { describe, expect, it } from 'vitest';
import { Digest, FNV_BASIS_HI, fnv1a32 } from './digest.js';

const ascii = (s: string) => new TextEncoder().encode(s);

describe('digest', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32(ascii(''))).toBe(0x811c9dc5);
    expect(fnv1a32(ascii('a'))).toBe(0xe40c292c);
    expect(fnv1a32(ascii('foobar'))).toBe(0xbf9cf968);
  });

  it('hashes an event record as [u8 stream][u32 LE addr][u32 LE len][bytes] in both lanes', () => {
    const d = new Digest();
    d.event(6, 0x12, new Uint8Array([0xaa, 0xbb]));
    const record = new Uint8Array([6, 0x12, 0, 0, 0, 2, 0, 0, 0, 0xaa, 0xbb]);
    expect(d.value).toEqual({ lo: fnv1a32(record), hi: fnv1a32(record, FNV_BASIS_HI) });
  });

  it('uses two lanes that differ', () => {
    // The documented value (docs/trace-schema.md): FNV-1a 32 of "vta-trace".
    expect(FNV_BASIS_HI).toBe(0x446b3606);
    const d = new Digest();
    d.bytes(ascii('x'));
    expect(d.value.lo).not.toBe(d.value.hi);
  });
});

/** Property test: random in-range instructions survive encode → decode for every fixture config. */
import { describe, expect, it } from 'vitest';
import { fixtureConfigNames, resolveConfig } from '../config/fixtures.js';
import { decodeInsn, decodeUop, encodeInsn, encodeUop } from './codec.js';
import type { Insn } from './insn.js';
import { FORMATS, OPCODE, layoutOf } from './layout.js';

/** Small deterministic PRNG (mulberry32) so failures are reproducible. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(fixtureConfigNames())('round trip, config %s', (name) => {
  const params = resolveConfig(name);
  const layout = layoutOf(params);

  it('2000 random instructions of every format', () => {
    const rand = rng(0xc0ffee);
    for (let n = 0; n < 2000; n++) {
      const format = FORMATS[n % FORMATS.length]!;
      const fields: Record<string, number> = {};
      for (const [field, pos] of layout[format]) {
        // Favour the extremes, where packing mistakes show.
        const r = rand();
        const max = 2 ** pos.width - 1;
        let v = r < 0.1 ? 0 : r < 0.2 ? max : Math.floor(rand() * (max + 1));
        if (pos.signed) v -= 2 ** (pos.width - 1);
        fields[field] = v;
      }
      fields.opcode = OPCODE[format];
      if (format === 'LOAD' || format === 'STORE') fields.is_pad_min_value ??= 0;
      const insn = fields as unknown as Insn;
      expect(decodeInsn(params, encodeInsn(params, insn))).toEqual(insn);
    }
  });

  it('random micro-ops', () => {
    const rand = rng(7);
    for (let n = 0; n < 1000; n++) {
      const uop = { dst_idx: 0, src_idx: 0, wgt_idx: 0 };
      for (const [field, pos] of layout.UOP) (uop as Record<string, number>)[field] = Math.floor(rand() * 2 ** pos.width);
      expect(decodeUop(params, encodeUop(params, uop))).toEqual(uop);
    }
  });

  it('rejects a field value that does not fit, naming the field and instruction', () => {
    const pos = layout.GEMM.get('iter_out')!;
    const bad = { opcode: 2, iter_out: 2 ** pos.width } as unknown as Insn;
    expect(() => encodeInsn(params, bad, 5)).toThrow(/instruction #5: field iter_out = \d+ does not fit in 14 bits/);
  });
});

describe('decode errors', () => {
  const params = resolveConfig('default');
  it('rejects undefined opcodes 5..7 and truncated input', () => {
    for (const op of [5, 6, 7]) {
      const bytes = new Uint8Array(16);
      bytes[0] = op;
      expect(() => decodeInsn(params, bytes, 0, 3)).toThrow(`instruction #3: undefined opcode ${op}`);
    }
    expect(() => decodeInsn(params, new Uint8Array(10))).toThrow(/truncated/);
  });
});

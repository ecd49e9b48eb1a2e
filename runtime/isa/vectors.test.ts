/**
 * The shared vectors were produced by compiling the upstream header's bit-field structs with GCC;
 * our table-driven codec must reproduce every byte and every field, for three configurations.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { deriveParams } from '../config/config.js';
import { repoPath } from '../repo.js';
import { decodeInsn, decodeUop, encodeInsn, encodeUop, encodeUops } from './codec.js';
import type { Insn } from './insn.js';
import { layoutOf } from './layout.js';

interface VectorFile {
  config: Record<string, unknown>;
  layout: Record<string, Record<string, { lsb: number; width: number }>>;
  instructions: { format: string; fields: Record<string, number>; hex: string; word0: string; word1: string }[];
  uops: { fields: Record<string, number>; hex: string; word: string }[];
}

const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

for (const name of ['isa-default', 'isa-small', 'isa-large']) {
  const file = repoPath('..', 'shared', 'vectors', `${name}.json`);
  const vec = JSON.parse(readFileSync(file, 'utf8')) as VectorFile;
  const params = deriveParams(vec.config);

  describe(`shared vectors ${name}`, () => {
    it('layout matches the header field positions', () => {
      const ours = layoutOf(params);
      for (const [format, fields] of Object.entries(vec.layout)) {
        for (const [field, pos] of Object.entries(fields)) {
          if (format === 'FINISH' && field.startsWith('pad_')) continue; // padding, not a field
          const mine = ours[format as keyof typeof ours].get(field);
          expect(mine, `${format}.${field}`).toBeDefined();
          expect({ lsb: mine!.lsb, width: mine!.width }, `${format}.${field}`).toEqual(pos);
        }
      }
    });

    it(`encodes all ${vec.instructions.length} instructions to exactly their bytes and decodes them back`, () => {
      for (const [i, v] of vec.instructions.entries()) {
        const bytes = encodeInsn(params, v.fields as unknown as Insn);
        expect(toHex(bytes), `#${i} ${v.format}`).toBe(v.hex);
        const decoded = decodeInsn(params, Uint8Array.from(Buffer.from(v.hex, 'hex'))) as unknown as Record<string, number>;
        for (const [k, val] of Object.entries(v.fields)) expect(decoded[k], `#${i} ${v.format}.${k}`).toBe(val);
        // word1/word0 as 64-bit values, most significant digit first.
        const le = Buffer.from(v.hex, 'hex');
        expect(Buffer.from(le.subarray(0, 8)).reverse().toString('hex')).toBe(v.word0);
        expect(Buffer.from(le.subarray(8, 16)).reverse().toString('hex')).toBe(v.word1);
      }
    });

    it(`encodes and decodes all ${vec.uops.length} micro-ops`, () => {
      for (const [i, u] of vec.uops.entries()) {
        const word = encodeUop(params, u.fields as never);
        expect(word.toString(16).padStart(8, '0'), `uop #${i}`).toBe(u.word);
        expect(decodeUop(params, parseInt(u.word, 16)), `uop #${i}`).toEqual(u.fields);
      }
    });

    it('lays the micro-ops out as the uop DRAM image, one little-endian word each', () => {
      const image = encodeUops(params, vec.uops.map((u) => u.fields as never));
      expect(Buffer.from(image).toString('hex')).toBe(vec.uops.map((u) => u.hex).join(''));
    });

    it('ignores garbage in unused bits (upstream runtime leaves them uninitialised)', () => {
      const ours = layoutOf(params);
      for (const v of vec.instructions.slice(0, 80)) {
        const layout = ours[v.format as keyof typeof ours];
        const used = new Set<number>();
        for (const pos of layout.values()) for (let b = pos.lsb; b < pos.lsb + pos.width; b++) used.add(b);
        const bytes = Uint8Array.from(Buffer.from(v.hex, 'hex'));
        for (let b = 0; b < 128; b++) if (!used.has(b)) bytes[b >> 3]! |= 1 << (b & 7);
        const decoded = decodeInsn(params, bytes) as unknown as Record<string, number>;
        for (const [k, val] of Object.entries(v.fields)) expect(decoded[k], `${v.format}.${k}`).toBe(val);
      }
    });
  });
}

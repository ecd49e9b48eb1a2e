/**
 * The flat decoder against the runtime's decoder (runtime/isa/codec.ts, checked bit for bit
 * against upstream's headers): every field of random 128-bit instructions, on every fixture
 * configuration, plus the module and dependency flags the scheduler reads.
 */
import { describe, expect, it } from 'vitest';
import { fixtureConfigNames, resolveConfig } from '../../runtime/config/fixtures.js';
import { decodeInsn } from '../../runtime/isa/codec.js';
import { moduleOf, MODULES } from '../../runtime/isa/insn.js';
import { decodeProgram, flagsOfMeta, moduleOfMeta, releaseProgram } from './decoded.js';
import { F, POP_NEXT, POP_PREV, PUSH_NEXT, PUSH_PREV, STRIDE } from './slots.js';

/** Random instruction words whose opcode is defined (0–4). */
function randomStream(count: number, seed: number): Uint8Array {
  let s = seed >>> 0 || 1;
  const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0), s);
  const words = new Uint32Array(count * 4).map(next);
  for (let i = 0; i < count; i++) words[i * 4] = (words[i * 4]! & ~7) | (next() % 5);
  return new Uint8Array(words.buffer);
}

describe('decodeProgram', () => {
  it.each(fixtureConfigNames())('decodes every field as the runtime decoder does (%s)', (name) => {
    const p = resolveConfig(name);
    const count = 400;
    const raw = randomStream(count, name.length * 7919);
    const prog = decodeProgram(p, raw, count);
    const fields = new Int32Array(STRIDE).fill(-7); // not a value any field decodes to here
    const perModule = [0, 0, 0];
    let pushPrev = 0;
    let pushNext = 0;
    for (let pc = 0; pc < count; pc++) {
      prog.fieldsOf(pc, fields);
      const insn = decodeInsn(p, raw, pc * 16, pc) as unknown as Record<string, number>;
      const got: Record<string, number> = {};
      for (const field of Object.keys(insn)) {
        if (field.endsWith('_dep')) continue;
        const v = fields[(F as Record<string, number>)[field]!]!;
        got[field] = field === 'dram_base' ? v >>> 0 : v;
      }
      const { pop_prev_dep, pop_next_dep, push_prev_dep, push_next_dep, ...rest } = insn;
      expect(got, `#${pc}`).toEqual(rest);
      expect(fields[F.opcode], `#${pc} opcode`).toBe(insn.opcode);
      // Slots the format has no field for are 0, whatever the previous instruction left there.
      const used = new Set(Object.keys(insn).map((k) => (F as Record<string, number>)[k]));
      for (let slot = 1; slot < STRIDE; slot++) if (!used.has(slot)) expect(fields[slot], `#${pc} slot ${slot}`).toBe(0);
      const flags = (pop_prev_dep ? POP_PREV : 0) | (pop_next_dep ? POP_NEXT : 0) | (push_prev_dep ? PUSH_PREV : 0) | (push_next_dep ? PUSH_NEXT : 0);
      expect(flagsOfMeta(prog.meta[pc]!), `#${pc} flags`).toBe(flags);
      expect(MODULES[moduleOfMeta(prog.meta[pc]!)], `#${pc} module`).toBe(moduleOf(insn as never));
      perModule[MODULES.indexOf(moduleOf(insn as never))]!++;
      pushPrev += push_prev_dep ? 1 : 0;
      pushNext += push_next_dep ? 1 : 0;
    }
    // The counts the token plan is sized from, against the runtime decoder's instructions.
    expect(prog.perModule).toEqual(perModule);
    expect([prog.pushPrev, prog.pushNext]).toEqual([pushPrev, pushNext]);
    releaseProgram(prog);
  });

  it('gives a released meta array to the next program, filled for it', () => {
    const p = resolveConfig('default');
    const first = decodeProgram(p, randomStream(50, 3), 50);
    const firstMeta = [...first.meta];
    releaseProgram(first);
    const raw = randomStream(20, 4);
    const second = decodeProgram(p, raw, 20);
    expect(second.meta.buffer).toBe(first.meta.buffer);
    expect(second.meta.length).toBe(20);
    const fresh = decodeProgram(p, raw, 20); // no spare left: a new array
    expect(fresh.meta.buffer).not.toBe(second.meta.buffer);
    expect([...second.meta]).toEqual([...fresh.meta]);
    expect([...second.meta]).not.toEqual(firstMeta.slice(0, 20));
  });

  it('rejects an undefined opcode with the runtime decoder’s message', () => {
    const p = resolveConfig('default');
    const raw = randomStream(3, 5);
    raw[16] = (raw[16]! & ~7) | 6;
    expect(() => decodeProgram(p, raw, 3)).toThrow('instruction #1: undefined opcode 6');
  });

  it('rejects a stream shorter than its instruction count', () => {
    const p = resolveConfig('default');
    expect(() => decodeProgram(p, randomStream(2, 9), 3)).toThrow('instruction #2: truncated: needs 16 bytes, has 0');
  });
});

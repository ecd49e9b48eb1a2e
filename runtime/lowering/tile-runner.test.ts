/** The ALU layers' tile loop hands each phase the slot the token protocol frees, odd tile counts included. */
import { describe, expect, it } from 'vitest';
import { ProgramBuilder } from '../builder/index.js';
import { resolveConfig } from '../config/fixtures.js';
import { runTiles } from './tile-runner.js';

describe('runTiles', () => {
  it('5 tiles on 2 threads: every phase goes round-robin 0,1,0,1,0 and the tokens balance', () => {
    const b = new ProgramBuilder(resolveConfig('default'));
    const seen: Record<'load' | 'compute' | 'store', [number, number][]> = { load: [], compute: [], store: [] };
    runTiles(b, 5, 2, {
      load: (i, slot) => seen.load.push([i, slot]),
      compute: (i, slot) => seen.compute.push([i, slot]),
      store: (i, slot) => seen.store.push([i, slot]),
    });
    // Tiles 0..4 in order, slots alternating in each module's order; the lone last tile (4)
    // reuses slot 0, which tile 2 gave back, and finish() finds no token left over.
    const want: [number, number][] = [[0, 0], [1, 1], [2, 0], [3, 1], [4, 0]];
    expect(seen).toEqual({ load: want, compute: want, store: want });
    expect(() => b.finish()).not.toThrow();
  });

  it('one thread: every tile uses slot 0', () => {
    const b = new ProgramBuilder(resolveConfig('default'));
    const slots: number[] = [];
    runTiles(b, 3, 1, { load: (_i, s) => slots.push(s), compute: (_i, s) => slots.push(s), store: (_i, s) => slots.push(s) });
    expect(slots).toEqual(Array(9).fill(0));
  });
});

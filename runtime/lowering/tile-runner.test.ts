/** The ALU layers' tile loop hands each phase the slot the token protocol frees, odd tile counts included. */
import { describe, expect, it } from 'vitest';
import { ProgramBuilder } from '../builder/index.js';
import { resolveConfig } from '../config/fixtures.js';
import { decodeProgram } from '../isa/codec.js';
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

  it('finish runs after the compute phase handed the input slot back, before the store', () => {
    // Tokens are read back from the emitted instructions: the compute phase's push to load
    // must sit on the last GEMM, not on the finishing ALU op that follows it.
    const b = new ProgramBuilder(resolveConfig('default'));
    const src = b.alloc('x', 'inp', new Uint8Array(8 * 16));
    const dst = b.alloc('y', 'out', 8 * 16);
    runTiles(b, 2, 2, {
      load: (_i, s) => b.load('inp', s * 8, { buffer: src, offset: 0, rows: 1, cols: 8 }),
      compute: (_i, s) => b.gemm({ uops: [{ dst: s * 8, src: s * 8, wgt: 0 }], loops: [{ count: 8, dst: 1, src: 1 }] }, { reset: true }),
      finish: (_i, s) => b.alu('max', { uops: [{ dst: s * 8 }], loops: [{ count: 8, dst: 1 }] }, { imm: 0 }),
      store: (_i, s) => b.store(s * 8, { buffer: dst, offset: 0, rows: 1, cols: 8 }),
    });
    const bundle = b.finish();
    const compute = decodeProgram(bundle.params, bundle.buffers.find((x) => x.role === 'insn')!.bytes).filter((i) => i.opcode === 2 || i.opcode === 4);
    expect(compute.map((i) => i.opcode)).toEqual([2, 2, 4, 4]);
    // GEMMs give the input slots back (push to load = push_prev_dep); the ALU ops push to store.
    expect(compute.map((i) => [i.push_prev_dep, i.push_next_dep])).toEqual([[1, 0], [1, 0], [0, 1], [0, 1]]);
  });
});

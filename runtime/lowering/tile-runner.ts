/**
 * The tile loop of the ALU-based layers (residual add, pooling, depthwise): tiles go to virtual
 * threads in turn, two when both threads' parts fit the scratchpads, so the next tile's LOAD
 * overlaps this tile's compute and the previous tile's STORE. Emission order per group of
 * threads — all loads, then all computes, then all stores — is what lets the load module run
 * ahead (virtual-threads.ts has the token protocol).
 */
import { VirtualThreads, type ProgramBuilder } from '../builder/index.js';

export interface TileSteps {
  /** LOAD INP/WGT of tile `i` into thread `v`'s parts (load module). */
  load(i: number, v: number): void;
  /** Everything on the compute module: GEMM, ALU, LOAD ACC/UOP. */
  compute(i: number, v: number): void;
  store(i: number, v: number): void;
}

export function runTiles(b: ProgramBuilder, tiles: number, threads: number, steps: TileSteps): void {
  const vt = new VirtualThreads(b, threads);
  vt.begin();
  for (let first = 0; first < tiles; first += threads) {
    const group = Array.from({ length: Math.min(threads, tiles - first) }, (_, v) => ({ i: first + v, v }));
    for (const { i, v } of group) vt.load(() => steps.load(i, v));
    for (const { i, v } of group) {
      vt.acquireAcc();
      vt.compute(() => steps.compute(i, v));
    }
    for (const { i, v } of group) vt.store(() => steps.store(i, v));
  }
  vt.end();
}

/** Two threads when two parts of these sizes fit every scratchpad, else one. */
export function threadsFor(fits: (threads: number) => boolean): number {
  return fits(2) ? 2 : 1;
}

/**
 * The tile loop of the ALU-based layers (residual add, pooling, depthwise): tiles go to virtual
 * threads in turn, two when both threads' parts fit the scratchpads, so the next tile's LOAD
 * overlaps this tile's compute and the previous tile's STORE. Emission order per group of
 * threads — all loads, then all computes, then all stores — is what lets the load module run
 * ahead (virtual-threads.ts has the token protocol).
 */
import { VirtualThreads, type ProgramBuilder } from '../builder/index.js';

/** `slot` is the scratchpad part VirtualThreads hands the phase (round-robin per module). */
export interface TileSteps {
  /** LOAD INP/WGT of tile `i` into input slot `slot` (load module). */
  load(i: number, slot: number): void;
  /** Everything on the compute module: GEMM, ALU, LOAD ACC/UOP; INP and ACC slot `slot`. */
  compute(i: number, slot: number): void;
  /**
   * Optional compute-module work on ACC slot `slot` only (e.g. requantisation), emitted after
   * the compute phase has handed the input slot back to load and right before the store: the
   * next tile's load need not wait for it.
   */
  finish?(i: number, slot: number): void;
  store(i: number, slot: number): void;
}

export function runTiles(b: ProgramBuilder, tiles: number, threads: number, steps: TileSteps): void {
  const vt = new VirtualThreads(b, threads);
  vt.begin();
  for (let first = 0; first < tiles; first += threads) {
    const group = Array.from({ length: Math.min(threads, tiles - first) }, (_, k) => first + k);
    for (const i of group) vt.load((slot) => steps.load(i, slot));
    const accSlots = group.map((i) => {
      const acc = vt.acquireAcc();
      vt.compute((slot) => {
        // One load, one ACC and one store phase per tile keep the INP and ACC rings in step;
        // the steps use one slot index for both, so say so loudly if that ever breaks.
        if (slot !== acc) throw new Error(`tile ${i}: input slot ${slot} but ACC slot ${acc}`);
        steps.compute(i, slot);
      });
      return acc;
    });
    group.forEach((i, k) => {
      steps.finish?.(i, accSlots[k]!);
      vt.store((slot) => steps.store(i, slot));
    });
  }
  vt.end();
}

/** Two threads when two parts of these sizes fit every scratchpad, else one. */
export function threadsFor(fits: (threads: number) => boolean): number {
  return fits(2) ? 2 : 1;
}

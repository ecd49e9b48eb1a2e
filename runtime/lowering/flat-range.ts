/**
 * A run of consecutive scratchpad elements as GEMM/ALU loop nests. A loop count must stay below
 * 2^ITER_WIDTH, so a long run becomes a two-level nest (rows × columns), and a run longer than
 * two full levels, or one that does not factor, becomes several instructions.
 */
import type { VtaParams } from '../config/config.js';
import type { KernelLoop } from '../builder/index.js';

export interface FlatChunk {
  /** First element of the chunk, relative to the run's start. */
  start: number;
  loops: KernelLoop[];
}

/** Loops over `n` consecutive elements; `src` says whether the source index moves with the destination. */
export function flatChunks(p: VtaParams, n: number, src = true): FlatChunk[] {
  const limit = 2 ** p.iterWidth - 1;
  const step = (count: number, by: number): KernelLoop => (src ? { count, dst: by, src: by } : { count, dst: by });
  const out: FlatChunk[] = [];
  let start = 0;
  while (start < n) {
    const left = n - start;
    if (left <= limit) {
      out.push({ start, loops: [step(left, 1)] });
      break;
    }
    const cols = limit;
    const rows = Math.min(limit, Math.floor(left / cols));
    out.push({ start, loops: [step(rows, cols), step(cols, 1)] });
    start += rows * cols;
  }
  return out;
}

/**
 * Phase 1: find the first instruction whose digests are not equal on all runs, comparing chunk
 * digests first so that equal stretches cost one comparison per 256 instructions.
 */
import type { DigestChunk } from '../recorder.js';
import type { TraceStore } from '../store/trace-store.js';

export interface Phase1Result {
  /** First program index where the runs' digests differ (a missing retire counts as different). */
  pc?: number;
  /** Instructions after `pc` whose digests also differ. */
  laterInsns: number;
}

const key = (c: DigestChunk | undefined, i: number) => (c && c.present[i] ? `${c.insnDigests[2 * i]}:${c.insnDigests[2 * i + 1]}` : 'absent');

/** `after`: only instructions past this program index count (the engine going on past a known difference). */
export function firstDifferingInsn(store: TraceStore, runIds: number[], after = -1): Phase1Result {
  const summaries = runIds.map((id) => store.chunkSummaries(id));
  const chunks = [...new Set(summaries.flatMap((s) => [...s.keys()]))].sort((a, b) => a - b);
  let first: number | undefined;
  let later = 0;
  for (const c of chunks) {
    const keys = summaries.map((s) => s.get(c) ?? 'absent');
    if (keys.every((k) => k === keys[0])) continue;
    const detail = runIds.map((id) => store.digestChunks(id, c, c + 1)[0]);
    const count = Math.max(...detail.map((d) => d?.count ?? 0));
    const firstPc = detail.find((d) => d)!.firstPc;
    for (let i = 0; i < count; i++) {
      if (firstPc + i <= after) continue;
      const k = detail.map((d) => key(d, i));
      if (k.every((x) => x === k[0])) continue;
      if (first === undefined) first = firstPc + i;
      else later++;
    }
  }
  return { pc: first, laterInsns: later };
}

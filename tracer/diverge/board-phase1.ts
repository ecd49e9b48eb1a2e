/**
 * Phase 1 by board records: when a run carries only its board's trace-unit records (a board
 * without host-side probes), the instruction digests of the runs cannot be compared, but every
 * run's board records can (tsim/fsim runs compute the same records from their events,
 * runtime/contract/board-digest.ts). The first program index whose record is not the same on all runs is
 * the first divergence; the record gives the instruction and its module, nothing finer.
 */
import type { BoardRecord } from '../../runtime/contract/board-digest.js';

export interface BoardPhase1Result {
  /** First program index whose board record differs between runs (a missing record counts as different). */
  pc?: number;
  /** Program indices after `pc` whose records also differ. */
  laterInsns: number;
  /** Per run (in the order given): its record at `pc`, undefined where it has none. */
  atPc: (BoardRecord | undefined)[];
}

/** A run's records by program index (a pc recorded twice, a target bug, keeps its last record). */
function byPc(records: readonly BoardRecord[]): Map<number, BoardRecord> {
  return new Map(records.map((r) => [r.pc, r]));
}

const key = (r: BoardRecord | undefined) => (r ? `${r.module}:${r.digest}` : 'absent');

/** `records`: per run, in the order of the report's runs (stored-board-records.ts). */
export function firstDifferingBoardRecord(records: readonly (readonly BoardRecord[])[], insnCount: number): BoardPhase1Result {
  const perRun = records.map(byPc);
  let first: number | undefined;
  let later = 0;
  for (let pc = 0; pc < insnCount; pc++) {
    const keys = perRun.map((m) => key(m.get(pc)));
    if (keys.every((k) => k === keys[0])) continue;
    if (first === undefined) first = pc;
    else later++;
  }
  return { pc: first, laterInsns: later, atPc: first === undefined ? [] : perRun.map((m) => m.get(first!)) };
}

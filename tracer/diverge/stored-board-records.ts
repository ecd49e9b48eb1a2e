/**
 * A run's board records for phase 1 by board records: the ones stored with it (its trace unit's,
 * or computed from its events while it ran), or — for a run stored without them — derived now
 * from its stored events, when they hold everything the board digest sums (runtime/contract/board-digest.ts).
 *
 * Stored events are canonical (the last write per address of an instruction), while the board
 * digest counts every write. The two agree when an instruction writes no address twice, except
 * ACC rows, which the digest takes from the iteration events (stored in mode `full`). So records
 * are derived only from a run that stored every write stream, both iteration streams and the
 * retires over the whole program, and refused for an instruction whose iterations revisit a
 * destination while it also wrote OUT (those OUT writes repeat, and only the last was kept).
 */
import type { Module } from '../../runtime/isa/insn.js';
import { BoardDigester, type BoardRecord } from '../../runtime/contract/board-digest.js';
import { type IterStream, type Stream, type WriteStream } from '../../runtime/contract/events.js';
import { parseSpecDescription, storesStream } from '../spec.js';
import type { RunRow, TraceStore } from '../store/trace-store.js';

export type RunBoardRecords = { records: BoardRecord[]; derived: boolean } | { records: undefined; why: string };

const NEEDED: Stream[] = ['insn.load', 'insn.compute', 'insn.store', 'sram.uop', 'sram.inp', 'sram.wgt', 'sram.acc', 'sram.out', 'dram.store', 'gemm.iter', 'alu.iter'];
const RETIRE_MODULE: Partial<Record<Stream, Module>> = { 'insn.load': 'load', 'insn.compute': 'compute', 'insn.store': 'store' };
const isIter = (s: Stream): s is IterStream => s === 'gemm.iter' || s === 'alu.iter';

export function runBoardRecords(store: TraceStore, run: RunRow, insnCount: number): RunBoardRecords {
  if (run.boardSource !== null) return { records: store.boardRecords(run.id), derived: false };
  if (!run.hostEvents) return { records: undefined, why: 'it returned neither events nor its trace unit\'s records' };
  const spec = parseSpecDescription(run.spec);
  const missing = NEEDED.filter((s) => !storesStream(spec, s));
  const whole = spec.insn.from === 0 && spec.insn.to >= insnCount && spec.cycles.from === 0 && !Number.isFinite(spec.cycles.to);
  if (missing.length || !whole) {
    return { records: undefined, why: `it was stored without board records, and its trace spec (${run.spec}) keeps too little to derive them (that needs --mode full without --buffers, --insn or --cycles)` };
  }
  const digester = new BoardDigester();
  const byPc = new Map<number, ReturnType<TraceStore['eventGroups']>>();
  for (const g of store.eventGroups(run.id)) byPc.set(g.pc, [...(byPc.get(g.pc) ?? []), g]);
  for (const pc of [...byPc.keys()].sort((a, b) => a - b)) {
    const groups = byPc.get(pc)!;
    const dsts = groups.filter((g) => isIter(g.stream)).flatMap((g) => Array.from({ length: g.addrs.length }, (_, i) => new DataView(g.data.buffer, g.data.byteOffset + i * g.elemLen, 4).getUint32(0, true)));
    if (new Set(dsts).size < dsts.length && groups.some((g) => g.stream === 'sram.out')) {
      return { records: undefined, why: `instruction #${pc} writes OUT rows more than once, and only their last values were stored` };
    }
    let retire: Module | undefined;
    let insn: Uint8Array | undefined;
    for (const g of groups) {
      // What a LOAD read is no write: the board digest never sums it.
      if (g.stream === 'dram.load') continue;
      for (let i = 0; i < g.addrs.length; i++) {
        const data = g.data.subarray(i * g.elemLen, (i + 1) * g.elemLen);
        if (RETIRE_MODULE[g.stream]) {
          retire = RETIRE_MODULE[g.stream];
          insn = data;
        } else if (isIter(g.stream)) digester.iter(g.stream, pc, data);
        else digester.write(g.stream as WriteStream, pc, g.addrs[i]!, data);
      }
    }
    // The retire comes last, after everything the instruction wrote (a sum: order within it does not matter).
    if (retire && insn) digester.retire(pc, retire, insn);
  }
  return { records: digester.records, derived: true };
}


/**
 * What the divergent LOAD read (the dram.load stream, docs/trace-schema.md §DRAM reads), beside
 * the divergent buffer write: each run's DRAM extents of the instruction, and the first one
 * (in ascending address order) where they differ — so an address bug is named by the DRAM
 * address read, not only by the row written. Runs whose target cannot report reads (a real
 * board) are left out and named; with fewer than two runs left there is nothing to compare.
 */
import type { VtaParams } from '../../runtime/config/config.js';
import type { MemInsn } from '../../runtime/isa/insn.js';
import { MEM_ID } from '../../runtime/isa/layout.js';
import { sameBytes } from '../../runtime/typed-arrays.js';
import { readExtent } from '../dram-reads.js';
import type { RunRow } from '../store/trace-store.js';
import type { ReadComparison } from './divergence.js';
import { readHint, type Hint } from './hints.js';
import type { RunWindow } from './window-events.js';

export function compareReads(
  params: VtaParams,
  insn: MemInsn | undefined,
  runs: RunRow[],
  windows: RunWindow[],
  pc: number,
  expectedRun: number,
  actualRun: number,
): ReadComparison | undefined {
  if (!insn || insn.opcode !== 0) return undefined;
  const skipped = runs.filter((_, i) => windows[i]!.reads === undefined).map((r) => ({ runId: r.id, target: r.target }));
  const withReads = runs.map((r, i) => ({ run: r, reads: windows[i]!.reads })).filter((x) => x.reads !== undefined);
  if (withReads.length < 2) return { compared: false, ordinal: null, extents: {}, counts: {}, skipped, hint: null };
  const perRun = withReads.map((x) => x.reads!.filter((e) => e.pc === pc).sort((a, b) => a.addr - b.addr));
  const most = Math.max(...perRun.map((r) => r.length));
  let ordinal: number | null = null;
  for (let k = 0; k < most && ordinal === null; k++) if (!perRun.every((r) => sameBytes(r[k]?.data, perRun[0]![k]?.data))) ordinal = k;
  const extents: ReadComparison['extents'] = {};
  const counts: ReadComparison['counts'] = {};
  withReads.forEach((x, i) => {
    const e = ordinal === null ? undefined : perRun[i]![ordinal];
    extents[String(x.run.id)] = e ? readExtent(e.data) : null;
    counts[String(x.run.id)] = perRun[i]!.length;
  });
  const exp = perRun[withReads.findIndex((x) => x.run.id === expectedRun)];
  const act = perRun[withReads.findIndex((x) => x.run.id === actualRun)];
  const hint = ordinal !== null && exp && act ? readHint(exp.map((e) => readExtent(e.data)), act.map((e) => readExtent(e.data)), rowStrideBytes(params, insn)) : null;
  return { compared: true, ordinal, extents, counts, skipped, hint };
}

/** Bytes between two data rows of the LOAD in DRAM (x_stride elements of its DRAM element size). */
function rowStrideBytes(p: VtaParams, insn: MemInsn): number {
  const elem =
    insn.memory_type === MEM_ID.UOP ? 4
    : insn.memory_type === MEM_ID.INP ? p.elemBytes.inp
    : insn.memory_type === MEM_ID.WGT ? p.elemBytes.wgt
    : insn.memory_type === MEM_ID.ACC_8BIT ? p.elemBytes.acc / 4
    : p.elemBytes.acc;
  return insn.x_stride * elem;
}

export type { Hint };

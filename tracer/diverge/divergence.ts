/**
 * The divergence report as data: what `vta-trace diff --json` prints and the text report renders.
 * Its shape is documented in docs/report-format.md; bump REPORT_FORMAT on incompatible changes.
 */
import type { Module } from '../../runtime/isa/insn.js';
import type { SourceMapEntry } from '../../runtime/bundle/bundle.js';
import type { BlockedInsn } from '../../runtime/contract/target.js';
import type { Stream } from '../../runtime/contract/events.js';
import type { Hint } from './hints.js';
import type { RtlBehind } from './rtl-behind.js';

export const REPORT_FORMAT = 'vta-trace.divergence/1';

export interface RunInReport {
  id: number;
  target: string;
  status: string;
  message: string | null;
  blocked: BlockedInsn[] | null;
  mode: string;
  cycles: number | null;
}

export interface LaneValues {
  /** Bits per lane; lanes are signed for inp/wgt/acc/out/dram, unsigned otherwise. */
  width: number;
  /** Per run id: the lanes, or null where the run has no such event. */
  values: Record<string, number[] | null>;
  /** Lanes where the actual run differs from the expected one. */
  differing: number[];
}

export interface FirstDivergence {
  pc: number;
  module: Module | null;
  disasm: string;
  source: SourceMapEntry | null;
  /** False when phase 2 could not name the event (no stored events and no re-run available). */
  located: boolean;
  stream?: Stream;
  /** Buffer (uop/inp/wgt/acc/out), "dram", or "insn" for a retire. */
  buffer?: string;
  /** Element index (sram.*), byte address (dram.store), iteration ordinal (*.iter), −1 (retire). */
  addr?: number;
  /** value: payloads differ; missing: some run has no such event (e.g. the instruction never retired). */
  kind?: 'value' | 'missing';
  expectedRun: number;
  actualRun: number;
  lanes?: LaneValues;
  /**
   * Where the actual value may have come from (hints.ts), given only when one explanation covers
   * every differing lane; null when none does, absent when the event was not located or is missing.
   */
  hint?: Hint | null;
  /**
   * For the runs on RTL with a known probe map: the probe-map entries and hierarchical signals
   * that carried the event (the buffer's write ports, the module's retire probe) and the module
   * instance. Absent when no run is such RTL or the event was not located.
   */
  rtl?: RtlBehind[];
  /**
   * For a LOAD: what it read (the dram.load stream, never digested, so never itself the first
   * divergence — it comes after the instruction's buffer writes in canonical order, and is shown
   * beside them). Absent when the instruction is not a LOAD or the event was not located.
   */
  read?: ReadComparison;
  /** Cycle of the event (or of the instruction's retire) on each run; recorded, never compared. */
  cycles: Record<string, number | null>;
  /** The preceding matching events and the differing one, expected vs actual, as a unified diff. */
  context?: string;
  /** Where the phase-2 events came from; 're-run failed' when a run's window was needed and could not be re-run. */
  detail?: 'stored' | 're-run' | 're-run failed';
  /** The runs whose window re-run failed, and why (the events compared are then only what they stored). */
  rerunFailures?: { runId: number; target: string; reason: string }[];
  /** Set when a known-differences entry explains this divergence (docs/known-differences.md). */
  known?: KnownEntryRef;
  /**
   * Present when the runs were compared by board records (method board-digests): each run's
   * board digest at this instruction (null where it has none), and the runs that have nothing
   * else — their trace unit names the instruction and module, never buffer, address or lanes.
   */
  board?: { digests: Record<string, number | null>; boardOnly: number[] };
}

/** What the divergent LOAD read on each run (tracer/diverge/read-diff.ts). */
export interface ReadComparison {
  /** False when fewer than two runs have their reads (the others' targets cannot report them). */
  compared: boolean;
  /** The first extent (ascending address order) on which the runs differ; null when they read the same bytes. */
  ordinal: number | null;
  /** Per run id: that extent (first byte, byte count), or null where the run has no such extent. */
  extents: Record<string, { addr: number; bytes: number } | null>;
  /** Per run id: how many extents the load read. */
  counts: Record<string, number>;
  /** Runs left out: their target does not report DRAM reads (Target.recordsDramReads), or they were recorded without them. */
  skipped: { runId: number; target: string }[];
  /** When every extent is offset alike: the load's address was wrong by that much (hints.ts readHint). */
  hint: Hint | null;
}

/** A known-differences entry as reports name it. */
export interface KnownEntryRef {
  id: string;
  reason: string;
  link: string | null;
  file: string;
}

/** A divergence explained by a known-differences entry. */
export interface KnownHit {
  pc: number;
  disasm: string;
  stream: Stream | null;
  addr: number | null;
  entry: KnownEntryRef;
}

export interface OutputComparison {
  name: string;
  agree: boolean;
  /** Byte offset of the first difference between runs, if any. */
  firstDifference: number | null;
  differingBytes: number;
  /** Runs whose bytes differ from the bundle's expected (golden) output; null when no golden. */
  goldenMismatch: number[] | null;
}

export interface TimingComparison {
  verdict: 'same' | 'differs';
  /** Per run id: total cycles (counters). */
  cycles: Record<string, number | null>;
  /** Per module, per run id: cycle of the module's last retire. */
  modules: Record<Module, Record<string, number | null>>;
  /** Per module: actual − expected of the last-retire cycle. */
  moduleDelta: Record<Module, number | null>;
  /** The run the differences below are taken from: the expected run (the reference). */
  reference: number;
  /** Per other run id: its total cycles and each module's last-retire cycle minus the reference's. */
  deltaFromReference: Record<string, Record<Module | 'total', number | null>>;
}

export interface DivergenceReport {
  format: typeof REPORT_FORMAT;
  /** The value verdict; timing is separate. */
  values: 'agree' | 'diverge';
  /**
   * agree; known (the values differ, and the first divergence is a known difference — with
   * propagates false, every one found); diverge (some divergence no entry explains).
   */
  verdict: 'agree' | 'known' | 'diverge';
  /** Known differences found, in program order (empty without a known-differences file). */
  known: KnownHit[];
  /** Entries whose condition could not be checked at a divergence (what it needs was not at hand). */
  knownUnchecked: string[];
  /**
   * How the first divergence was found: per-instruction digests; board records (some run is a
   * board that returned only its trace unit's records); outputs only.
   */
  method: 'digests' | 'board-digests' | 'outputs';
  /**
   * Why this method, when that is not plain: a run returned only its board's records (or nothing)
   * and another run's board records were derived from its stored events, or could not be had, so
   * the runs were compared by outputs — what was missing and how to get the finer comparison.
   */
  methodNote: string | null;
  bundle: { hash: string; insnCount: number; workload: unknown };
  runs: RunInReport[];
  first: FirstDivergence | null;
  /** With three or more runs (or a golden output): the run that disagrees with the rest. */
  oddOneOut: { runId: number; target: string; basis: 'majority' | 'golden' } | null;
  /** Later mismatches, counted not listed: instructions after the first whose digests differ, and further differing events of the first instruction. */
  later: { insns: number; events: number };
  outputs: OutputComparison[];
  timing: TimingComparison;
  /** Runs that did not finish normally, with what blocked them. */
  abnormal: { runId: number; target: string; status: string; message: string | null; blocked: BlockedInsn[] | null }[];
  reproduce: string;
}

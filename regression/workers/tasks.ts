/**
 * The messages that cross the worker boundary: small and serialisable. A case is split into one
 * `run` task per target (each goes to the pool of that target's kind) and, when the targets
 * disagree, one `diverge` task that re-runs them all with the tracer to name the first divergence.
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import type { BoardRecord } from '../../runtime/contract/board-digest.js';
import type { VcrCounters } from '../../targets/tsim/vcr-counters.js';
import type { TargetOutcome } from '../case-result.js';
import type { CaseSpec } from '../suites.js';

/** What targets are compared on: output bytes, or also every instruction's trace digest. */
export type CompareMode = 'outputs' | 'digests';
export const COMPARE_MODES: readonly CompareMode[] = ['outputs', 'digests'];
/**
 * Digests by default: of 410 seeded fsim faults (a gemm-lane fault on every GEMM, a wgt-row fault on
 * every memory instruction of the recorded programs), 17 changed no output byte and only digests
 * caught them; the commit suite took 4.4 s instead of 2.9 s (best of three, --jobs 2, on a shared 2-core machine).
 */
export const DEFAULT_COMPARE: CompareMode = 'digests';

export interface RunTask {
  kind: 'run';
  spec: CaseSpec;
  target: string;
  compare: CompareMode;
  /** The case's bundle, built by another target's run (shared-build.ts); absent: build it here. */
  bundle?: ProgramBundle;
  /** Send the bundle back with the result, for the case's other targets. */
  returnBundle?: boolean;
  /** The boards file fpga:<board> and fpga:* resolve through (`--boards`); absent: the environment's. */
  boardsFile?: string;
}

import type { CaseWave, WaveOptions } from '../divergence-wave.js';

export interface DivergeTask {
  kind: 'diverge';
  spec: CaseSpec;
  /** --known files; the known files of design descriptions among the targets are added in the worker. */
  knownFiles?: string[];
  /** As in RunTask: the re-run may name fpga:* or fpga:<board> too. */
  boardsFile?: string;
  /** regress --wave: dump the divergent window of each tsim run (regression/divergence-wave.ts) under this folder. */
  wave?: WaveOptions;
}

export type WorkerTask = RunTask | DivergeTask;

export interface RunTaskResult {
  /** Set when the case's bundle could not be built (then nothing ran). */
  buildError?: string;
  /**
   * Set when the target itself cannot be set up (unknown variant or design, a missing RTL file, a
   * Verilator or C++ build error): an error of the whole command, not of this case.
   */
  setupError?: string;
  outcome: TargetOutcome;
  /** sha256 over the output names and bytes: targets are compared on it without moving the bytes. */
  outputsHash: string;
  /** The outputs differ from the workload's golden result (only checked when the case asks). */
  goldenMismatch: boolean;
  /** The bundle this run built, when the task asked for it. */
  bundle?: ProgramBundle;
  /** A board's connection could not be made or was lost during the run: its pool drops the board. */
  boardLost?: boolean;
  /**
   * TRACE_UNIT configurations: fsim's board digests, or the records tsim's trace unit wrote (or,
   * `boardRingError`, why its ring could not be read as records).
   */
  boardRecords?: BoardRecord[];
  boardRingError?: string;
  /** The unit's ring wrapped: `boardRecords` are the last records it wrote, not all. */
  boardRingWrapped?: boolean;
  /** tsim: the VCR counters the design read after the run (targets/tsim/vcr-counters.ts). */
  vcr?: VcrCounters;
}

export interface DivergeTaskResult {
  /** "<insn kind> <stream>" of the first divergence; absent when the tracer found none. */
  signature?: string;
  divergence?: { pc: number; stream?: string; addr?: number; disasm: string };
  /** The tracer's text report of the divergence (docs/report-format.md): a JUnit failure's body. */
  report?: string;
  /** The tracer's reproduce line for it. */
  reproduce?: string;
  /** Every divergence found is explained by this known-differences entry. */
  known?: { id: string; reason: string; link: string | null };
  /** With `wave`: the waveform and GTKWave save file of each tsim run. */
  waves?: CaseWave[];
}

/** What crosses the worker boundary: small, serialisable results (the bundle stays in the worker). */
import type { CaseWave } from './divergence-wave.js';
import type { Counters } from '../runtime/contract/target.js';

/** known: the targets differ only by a known difference (docs/known-differences.md), counted apart from failures. */
export type Verdict = 'pass' | 'known' | 'fail' | 'error';

export interface TargetOutcome {
  target: string;
  status: string;
  cycles: number;
  /** The run's counters (instructions per module, bytes moved, GEMM/ALU operations…). */
  counters?: Counters;
  /** Hex digest over every instruction's trace digest, when the case compared digests. */
  digest?: string;
  message?: string;
  /** The board that ran it, for a target spread over the boards file (fpga:*): "fpga:<board>", or "" if none was left. */
  board?: string;
  /** sha256 of the RTL sources and probe map a simulator target ran (its DesignRecord). */
  designHash?: string;
}

export interface CaseResult {
  id: string;
  verdict: Verdict;
  /** One line: why the case failed. */
  reason?: string;
  /** Groups failures with the same cause: "<insn kind> <stream>" of the first divergence, or the status. */
  signature?: string;
  /** The first divergence's instruction and stream, when one was found. */
  divergence?: { pc: number; stream?: string; addr?: number; disasm: string };
  /** A failing case: the command that reproduces it (regression/reproduce-case.ts). */
  reproduce?: string;
  /** A failing case whose targets disagreed: the tracer's text report of the first divergence. */
  report?: string;
  /** verdict known: the entry that explains the difference. */
  known?: { id: string; reason: string; link: string | null };
  /** regress --wave: each tsim run's waveform of the divergent window and its GTKWave save file. */
  waves?: CaseWave[];
  /** regress --shrink, the first case of each failure bucket: the shrunk bundle (regression/shrink/), or why it could not be shrunk. */
  shrunk?: { file: string; before: number; after: number; reproduce: string } | { error: string };
  outcomes: TargetOutcome[];
  seconds: number;
}

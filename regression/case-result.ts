/** What crosses the worker boundary: small, serialisable results (the bundle stays in the worker). */
import type { CaseWave } from './divergence-wave.js';
import type { Counters } from '../targets/target.js';

export type Verdict = 'pass' | 'fail' | 'error';

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
  /** regress --wave: each tsim run's waveform of the divergent window and its GTKWave save file. */
  waves?: CaseWave[];
  outcomes: TargetOutcome[];
  seconds: number;
}

/** What crosses the mutation pool's worker boundary (regression/mutation/worker.ts). */
import type { CaseSpec } from '../suites.js';

export type MutantStatus = 'killed' | 'survived' | 'timeout' | 'build error';

/** A case of the suite as a mutant run sees it: the unmutated design's results to compare with. */
export interface ScoredCase {
  spec: CaseSpec;
  /** The case's tsim target (`tsim`, `tsim@emu:7`): its memory is kept, the RTL replaced. */
  tsimTarget: string;
  outputsHash: string;
  digest?: string;
}

/** Run the fsim reference and mutant 0 (the unmutated design) of one case. */
export interface BaselineTask {
  kind: 'baseline';
  design: string;
  spec: CaseSpec;
  tsimTarget: string;
}

export interface BaselineResult {
  caseId: string;
  /** fsim's outputs and digest: what every mutant is compared with. */
  outputsHash: string;
  digest?: string;
  /** Mutant 0's tsim run agrees with fsim (else the instrumented design is wrong: the command stops). */
  agrees: boolean;
  problem?: string;
  tsimSeconds: number;
  setupError?: string;
}

/** Score one mutant: run its cases in order, stop at the first that fails. */
export interface MutantTask {
  kind: 'mutant';
  design: string;
  mutantId: number;
  cases: ScoredCase[];
}

export interface MutantResult {
  status: MutantStatus;
  caseId?: string;
  /** The first divergence's "<insn kind> <stream>" (regress's signature), or the run's status. */
  signature?: string;
  divergence?: { pc: number; stream?: string; addr?: number; disasm: string };
  reason?: string;
  casesRun: number;
  seconds: number;
  setupError?: string;
}

export type MutationTask = BaselineTask | MutantTask;

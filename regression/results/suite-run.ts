/** A suite run as the results database stores it: what ran, from which commit, where, when. */
import type { GitProvenance } from './provenance.js';

export interface SuiteRunMeta {
  /** Random id given when the run starts: the same run copied into several files is one run (merge). */
  runKey: string;
  suite: string;
  shard?: { index: number; count: number };
  filter?: string;
  tsimVariant?: string;
  /** What the targets were compared on: output bytes, or also per-instruction digests. */
  compare: string;
  git: GitProvenance;
  machine: string;
  /** Worker threads per pool (target kind). */
  jobs: Record<string, number>;
  startedAt: string;
  finishedAt: string;
  seconds: number;
}

/** The identity of a case beyond its id (CaseSpec carries more, which the database does not need). */
export interface StoredCaseSpec {
  id: string;
  workload: string;
  config: string;
  seed: number;
  /** Workload parameters; absent: the workload's defaults. */
  params?: Readonly<Record<string, number>>;
}

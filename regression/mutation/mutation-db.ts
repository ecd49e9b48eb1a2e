/** The mutation tables of the results database (regression/results/schema.ts, docs/results-schema.md). */
import type { ResultsDbHandle } from '../results/open.js';
import type { BaselineResult, MutantResult, MutantStatus } from './tasks.js';

/** A mutant's result as stored (its `reason` is not stored: a message of this run), with where the mutant is. */
export interface ScoredRow extends Omit<MutantResult, 'setupError'> {
  key: string;
  file: string;
  module: string;
  line: number;
  operator: string;
  original: string;
  replacement: string;
}

interface MutantDbRow {
  mutant_key: string;
  file: string;
  module: string;
  line: number;
  operator: string;
  original: string;
  replacement: string;
  status: MutantStatus;
  case_id: string | null;
  signature: string | null;
  divergence_json: string | null;
  cases_run: number;
  seconds: number;
}

/** Mutants already scored for these sources and suite, by key. */
export function readScored(db: ResultsDbHandle, sourcesHash: string, suite: string, casesHash: string): Map<string, ScoredRow> {
  const rows = db.prepare('SELECT * FROM mutants WHERE sources_hash = ? AND suite = ? AND cases_hash = ?').all(sourcesHash, suite, casesHash) as MutantDbRow[];
  return new Map(
    rows.map((r) => [
      r.mutant_key,
      {
        key: r.mutant_key,
        file: r.file,
        module: r.module,
        line: r.line,
        operator: r.operator,
        original: r.original,
        replacement: r.replacement,
        status: r.status,
        ...(r.case_id !== null ? { caseId: r.case_id } : {}),
        ...(r.signature !== null ? { signature: r.signature } : {}),
        ...(r.divergence_json !== null ? { divergence: JSON.parse(r.divergence_json) as ScoredRow['divergence'] } : {}),
        casesRun: r.cases_run,
        seconds: r.seconds,
      },
    ]),
  );
}

export function writeScored(db: ResultsDbHandle, sourcesHash: string, suite: string, casesHash: string, r: ScoredRow): void {
  db.prepare(
    `INSERT OR REPLACE INTO mutants (sources_hash, suite, cases_hash, mutant_key, file, module, line, operator, original, replacement, status, case_id, signature, divergence_json, cases_run, seconds, scored_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(sourcesHash, suite, casesHash, r.key, r.file, r.module, r.line, r.operator, r.original, r.replacement, r.status, r.caseId ?? null, r.signature ?? null, r.divergence ? JSON.stringify(r.divergence) : null, r.casesRun, r.seconds, new Date().toISOString());
}

export interface BaselineRow {
  seconds: number;
  outputsHash: string;
  digest?: string;
}

export function readBaseline(db: ResultsDbHandle, designKey: string, suite: string): Map<string, BaselineRow> {
  const rows = db.prepare('SELECT case_id, seconds, outputs_hash, digest FROM mutation_baselines WHERE sources_hash = ? AND suite = ?').all(designKey, suite) as { case_id: string; seconds: number; outputs_hash: string; digest: string | null }[];
  return new Map(rows.map((r) => [r.case_id, { seconds: r.seconds, outputsHash: r.outputs_hash, ...(r.digest !== null ? { digest: r.digest } : {}) }]));
}

export function writeBaseline(db: ResultsDbHandle, designKey: string, suite: string, r: BaselineResult): void {
  db.prepare('INSERT OR REPLACE INTO mutation_baselines (sources_hash, suite, case_id, seconds, outputs_hash, digest) VALUES (?, ?, ?, ?, ?, ?)').run(designKey, suite, r.caseId, r.tsimSeconds, r.outputsHash, r.digest ?? null);
}

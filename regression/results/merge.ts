/**
 * Combine results databases (several machines, several shards) into one. Every input is checked
 * before anything is written, so a file of another schema version stops the merge with nothing
 * half done. A suite run is identified by its run_key: a run present in several inputs (or
 * already in the output) is copied once. Row ids are renumbered; nothing else changes.
 */
import { realpathSync } from 'node:fs';
import { withBusyRetry } from '../../tracer/store/busy.js';
import { tableColumns as columns } from './columns.js';
import { isDamagedFileError, sqliteProblem } from '../../tracer/store/sqlite-problem.js';
import { ResultsDbError } from './errors.js';
import { openResultsDb, type ResultsDbHandle } from './open.js';

export interface MergeSummary {
  /** Per input: suite runs it held and how many of them were new to the output. */
  inputs: { file: string; runs: number; added: number }[];
  addedRuns: number;
  addedCases: number;
}

/** What to select from the input for each output column: NULL for a column an older input lacks (version 1 had no params_json, 2 no board). */
function selectList(db: ResultsDbHandle, table: string, outCols: string[]): string {
  const have = new Set(columns(db, table, 'src'));
  return outCols.map((c) => (have.has(c) ? c : 'NULL')).join(', ');
}

const samePath = (a: string, b: string) => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
};

export function mergeResultsDbs(outFile: string, inFiles: string[]): MergeSummary {
  // Refuse before writing: each input must be a results database of this version (or the previous one, read as it is).
  for (const f of inFiles) openResultsDb(f, { readonly: true }).close();
  const out = openResultsDb(outFile);
  try {
    // Copy every column but the local row id; taken from the schema so that the list cannot drift.
    const runCols = columns(out, 'suite_runs').filter((c) => c !== 'id');
    const caseCols = columns(out, 'cases').filter((c) => c !== 'suite_run_id');
    const targetCols = columns(out, 'case_targets').filter((c) => c !== 'suite_run_id');
    const summary: MergeSummary = { inputs: [], addedRuns: 0, addedCases: 0 };
    for (const f of inFiles) {
      if (samePath(f, outFile)) {
        const runs = (out.prepare('SELECT count(*) AS n FROM suite_runs').get() as { n: number }).n;
        summary.inputs.push({ file: f, runs, added: 0 });
        continue;
      }
      out.prepare('ATTACH DATABASE ? AS src').run(f);
      try {
        const copy = out.transaction(() => {
          const fresh = out
            .prepare('SELECT id, run_key FROM src.suite_runs WHERE run_key NOT IN (SELECT run_key FROM main.suite_runs) ORDER BY id')
            .all() as { id: number; run_key: string }[];
          const insRun = out.prepare(`INSERT INTO main.suite_runs (${runCols.join(', ')}) SELECT ${selectList(out, 'suite_runs', runCols)} FROM src.suite_runs WHERE id = ?`);
          const insCases = out.prepare(`INSERT INTO main.cases (suite_run_id, ${caseCols.join(', ')}) SELECT ?, ${selectList(out, 'cases', caseCols)} FROM src.cases WHERE suite_run_id = ?`);
          const insTargets = out.prepare(
            `INSERT INTO main.case_targets (suite_run_id, ${targetCols.join(', ')}) SELECT ?, ${selectList(out, 'case_targets', targetCols)} FROM src.case_targets WHERE suite_run_id = ?`,
          );
          let cases = 0;
          for (const r of fresh) {
            const id = Number(insRun.run(r.id).lastInsertRowid);
            cases += insCases.run(id, r.id).changes;
            insTargets.run(id, r.id);
          }
          const total = (out.prepare('SELECT count(*) AS n FROM src.suite_runs').get() as { n: number }).n;
          return { runs: total, added: fresh.length, cases };
        });
        let done: ReturnType<typeof copy>;
        try {
          done = withBusyRetry(() => copy.immediate());
        } catch (e) {
          // The output was checked when opened and is only written here: damage found while copying is the input's.
          if (isDamagedFileError(e)) throw new ResultsDbError(`${f}: not a valid results database: ${sqliteProblem(e as Error & { code: string })}`);
          throw e;
        }
        summary.inputs.push({ file: f, runs: done.runs, added: done.added });
        summary.addedRuns += done.added;
        summary.addedCases += done.cases;
      } finally {
        out.prepare('DETACH DATABASE src').run();
      }
    }
    return summary;
  } finally {
    out.close();
  }
}

/** Appends the finished suite run to a results database (regression/results/, docs/results-schema.md). */
import type { CaseResult } from '../case-result.js';
import { appendSuiteRun } from '../results/append.js';
import type { ResultsDbHandle } from '../results/open.js';
import type { StoredCaseSpec, SuiteRunMeta } from '../results/suite-run.js';
import type { FinishInfo, Reporter } from './reporter.js';

export type SuiteRunContext = Omit<SuiteRunMeta, 'startedAt' | 'finishedAt' | 'seconds'>;

export class ResultsDbReporter implements Reporter {
  private startedAt = new Date().toISOString();
  /** The suite run's row id once written. */
  suiteRunId: number | undefined;

  /** The database is opened by the caller before the run, so that a bad file fails before any work. */
  constructor(
    private readonly db: ResultsDbHandle,
    private readonly context: SuiteRunContext,
    private readonly specs: StoredCaseSpec[],
  ) {}

  onStart(): void {
    this.startedAt = new Date().toISOString();
  }

  onFinish(results: CaseResult[], seconds: number, info?: FinishInfo): void {
    // A suite cut short is not a suite run: its missing cases would read as removed in `perf` and `merge`.
    if (info?.interrupted) {
      process.stderr.write('vta-trace: the interrupted suite run is not added to the results database\n');
      return;
    }
    const meta: SuiteRunMeta = { ...this.context, startedAt: this.startedAt, finishedAt: new Date().toISOString(), seconds };
    this.suiteRunId = appendSuiteRun(this.db, meta, this.specs, results);
  }
}

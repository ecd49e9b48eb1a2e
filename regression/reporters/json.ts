/**
 * `regress --json`: one object on stdout when the suite ends — a format name and version, the
 * suite, its totals and every case (CaseResult, regression/case-result.ts), so a CI script reads
 * one document whatever happened, also after Ctrl-C (`interrupted`, with the cases that finished).
 */
import type { CaseResult } from '../case-result.js';
import { tally } from './console.js';
import type { FinishInfo, Reporter } from './reporter.js';

export const REGRESS_JSON_FORMAT = 'vta-trace-regress';
/** Bump when a field changes meaning or goes away (adding one does not). */
export const REGRESS_JSON_VERSION = 1;

export interface RegressJson {
  format: typeof REGRESS_JSON_FORMAT;
  version: number;
  suite: string;
  interrupted: boolean;
  totals: { cases: number; requested: number; passed: number; failed: number; errors: number; seconds: number };
  cases: CaseResult[];
}

export function regressJson(suite: string, results: CaseResult[], seconds: number, info?: FinishInfo): RegressJson {
  return {
    format: REGRESS_JSON_FORMAT,
    version: REGRESS_JSON_VERSION,
    suite,
    interrupted: info?.interrupted ?? false,
    totals: { cases: results.length, requested: info?.total ?? results.length, ...tally(results), seconds: Number(seconds.toFixed(3)) },
    cases: results,
  };
}

export class JsonReporter implements Reporter {
  constructor(
    private readonly suite: string,
    private readonly out: (s: string) => void = (s) => process.stdout.write(s),
  ) {}

  onFinish(results: CaseResult[], seconds: number, info?: FinishInfo): void {
    this.out(JSON.stringify(regressJson(this.suite, results, seconds, info), null, 2) + '\n');
  }
}

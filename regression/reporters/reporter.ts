/** Reporters are plug-ins over one event stream: run start, case finished, run finished. */
import type { CaseResult } from '../case-result.js';

export interface Reporter {
  onStart?(total: number): void;
  onCase?(result: CaseResult): void;
  onFinish?(results: CaseResult[], seconds: number): void;
}

/** Reporters are plug-ins over one event stream: run start, case finished, run finished. */
import type { CaseResult } from '../case-result.js';

/** How the suite ended: `total` cases were asked for; interrupted, `results` holds only those finished. */
export interface FinishInfo {
  total: number;
  interrupted: boolean;
}

export interface Reporter {
  onStart?(total: number): void;
  onCase?(result: CaseResult): void;
  onFinish?(results: CaseResult[], seconds: number, info?: FinishInfo): void;
}

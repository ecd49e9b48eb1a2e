/** The piscina worker: one case in, one small result out. */
import type { CaseResult } from './case-result.js';
import { runCase } from './run-case.js';
import type { CaseSpec } from './suites.js';

export default async function (c: CaseSpec): Promise<CaseResult> {
  return runCase(c);
}

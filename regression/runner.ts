/**
 * Spread cases over a piscina pool of worker threads (`jobs` of them). Each worker builds its
 * own bundles and targets; only the small CaseSpec / CaseResult cross the boundary. A case whose
 * worker throws or exceeds the per-case timeout is reported as an error and the pool goes on.
 */
import { Piscina } from 'piscina';
import { repoPath } from '../runtime/repo.js';
import type { CaseResult } from './case-result.js';
import type { Reporter } from './reporters/reporter.js';
import type { CaseSpec } from './suites.js';

export interface RunOptions {
  jobs: number;
  /** Wall-clock limit per case (the targets have their own limits inside). */
  caseTimeoutMs: number;
  reporters: Reporter[];
}

export async function runCases(cases: CaseSpec[], opts: RunOptions): Promise<CaseResult[]> {
  const pool = new Piscina({
    // Workers run the compiled JavaScript (npm run build), also when the runner itself is under test.
    filename: repoPath('dist', 'regression', 'worker.js'),
    minThreads: opts.jobs,
    maxThreads: opts.jobs,
    idleTimeout: 1000,
  });
  for (const r of opts.reporters) r.onStart?.(cases.length);
  const started = Date.now();
  try {
    const results = await Promise.all(
      cases.map(async (c) => {
        const t0 = Date.now();
        const ac = new AbortController();
        const timer = setTimeout(() => ac.abort(), opts.caseTimeoutMs);
        let result: CaseResult;
        try {
          result = (await pool.run(c, { signal: ac.signal })) as CaseResult;
        } catch (e) {
          const timedOut = ac.signal.aborted;
          result = {
            id: c.id,
            verdict: 'error',
            reason: timedOut ? `no result within ${opts.caseTimeoutMs} ms` : `worker failed: ${(e as Error).message}`,
            signature: timedOut ? 'case timeout' : 'worker crash',
            outcomes: [],
            seconds: (Date.now() - t0) / 1000,
          };
        } finally {
          clearTimeout(timer);
        }
        for (const r of opts.reporters) r.onCase?.(result);
        return result;
      }),
    );
    for (const r of opts.reporters) r.onFinish?.(results, (Date.now() - started) / 1000);
    return results;
  } finally {
    await pool.destroy();
  }
}

/** Failures grouped by signature: one RTL bug is one bucket, however many cases it breaks. */
export function buckets(results: CaseResult[]): Map<string, CaseResult[]> {
  const out = new Map<string, CaseResult[]>();
  for (const r of results) {
    if (r.verdict === 'pass') continue;
    const key = r.signature ?? 'unknown';
    out.set(key, [...(out.get(key) ?? []), r]);
  }
  return out;
}

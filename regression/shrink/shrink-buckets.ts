/**
 * `regress --shrink DIR`: after a suite, the first case of each failure bucket whose targets
 * diverged (or the next, when it cannot be) is shrunk (shrink.ts) into DIR/<case id>.vtab, and the case result names the file,
 * the counts and the reproduce line — which the console, JSON and JUnit reporters print beside
 * the case. A case that cannot be shrunk says why instead; the suite's verdict is unchanged.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { saveBundle } from '../../runtime/bundle/bundle-file.js';
import { VtaUserError } from '../../runtime/errors.js';
import { shellQuote } from '../../tracer/diverge/reproduce.js';
import type { CaseResult } from '../case-result.js';
import type { CaseSpec } from '../suites.js';
import { buildCase } from '../workers/build-case.js';
import { shrinkBundle } from './shrink.js';

const MAX_TRIES = 3;

export async function shrinkBuckets(results: CaseResult[], cases: CaseSpec[], dir: string, buckets: Map<string, CaseResult[]>): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const group of buckets.values()) {
    // The bucket's first case; when it cannot be shrunk (a recorded or random program the builder
    // would not make), the next ones, up to MAX_TRIES — each says why it was not.
    let tries = 0;
    for (const r of group) {
      const spec = r.verdict === 'fail' && r.divergence ? cases.find((c) => c.id === r.id) : undefined;
      if (!spec || spec.targets.length < 2) continue;
      if (tries++ >= MAX_TRIES) break;
      try {
        const s = await shrinkBundle(buildCase(spec), spec.targets);
        const file = resolve(join(dir, `${spec.id.replace(/[^\w.,=#@-]/g, '_')}.vtab`));
        saveBundle(file, s.bundle);
        r.shrunk = { file, before: s.before, after: s.after, reproduce: ['vta-trace', 'diff', ...s.targets.map(shellQuote), '--bundle', shellQuote(file)].join(' ') };
        break;
      } catch (e) {
        if (!(e instanceof VtaUserError)) throw e;
        r.shrunk = { error: e.message };
      }
    }
  }
}

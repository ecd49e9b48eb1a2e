/**
 * The fuzz suite in the normal test run: a few hundred generated cases (configs, bundles, trace
 * and results databases, argument vectors) from a fixed seed, each judged by fuzz-case.ts; every
 * fault column must be zero. `npm run fuzz` runs thousands, under a watchdog (fuzz/main.ts).
 */
import { describe, expect, it } from 'vitest';
import { GROUPS, runGroup, tallyTable, type GroupTally } from './fuzz-suite.js';

/** Cases per group here: enough to reach every generator branch, well under a minute of CPU in all. */
const CASES: Record<string, number> = { configs: 60, bundles: 60, 'trace databases': 60, 'results databases': 50, 'argument vectors': 80 };

const tallies: GroupTally[] = [];

describe('fuzz (seed 1)', () => {
  for (const g of GROUPS) {
    it(`${g.name}: no stack trace, hang, wrong exit code, unnamed or multi-line message, or wrong verdict`, async () => {
      const t = await runGroup(g, 1, 0, CASES[g.name] ?? 50);
      tallies.push(t);
      process.stdout.write(tallyTable([t]));
      const shown = t.failures.slice(0, 5).map((f) => `#${f.index} [${f.faults.join(', ')}] ${f.label}: ${f.argv.join(' ')}\n  ${f.err.trim()}`);
      expect(shown).toEqual([]);
      expect(t.cases).toBe(CASES[g.name] ?? 50);
      // The generators reach both sides: inputs refused (exit 2) and inputs that run.
      expect(t.exitCodes['2'] ?? 0).toBeGreaterThan(0);
    }, 300_000);
  }
});

/**
 * Run the fuzz groups: per group, `count` cases from one seed, each generated into its own
 * folder, run (in this process, or as a process when it could block synchronously), judged
 * (fuzz-case.ts) and tallied. The tally per group is what the report prints and what the tests
 * require to be zero in every fault column.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULTS, judge, type Fault, type FuzzCase, type FuzzGroup, type Outcome } from './fuzz-case.js';
import { Rng } from './rng.js';
import { runInProcess } from './run-in-process.js';
import { runProcess } from './run-process.js';
import { argvGroup } from './groups/argv.js';
import { bundleGroup } from './groups/bundles.js';
import { configGroup } from './groups/configs.js';
import { resultsDbGroup } from './groups/results-dbs.js';
import { traceDbGroup } from './groups/trace-dbs.js';

export const GROUPS: readonly FuzzGroup[] = [configGroup, bundleGroup, traceDbGroup, resultsDbGroup, argvGroup];

/** Wall-clock bound of one case: the slowest honest case (a diff re-running a window) takes about a second. */
export const CASE_TIMEOUT_MS = 30_000;

export interface Failure {
  group: string;
  index: number;
  label: string;
  argv: string[];
  faults: Fault[];
  code: number | null;
  err: string;
}

export interface GroupTally {
  group: string;
  cases: number;
  faults: Record<Fault, number>;
  exitCodes: Record<string, number>;
  failures: Failure[];
  seconds: number;
}

export function emptyTally(group: string): GroupTally {
  return { group, cases: 0, faults: Object.fromEntries(FAULTS.map((f) => [f, 0])) as Record<Fault, number>, exitCodes: {}, failures: [], seconds: 0 };
}

export async function runCase(c: FuzzCase): Promise<Outcome> {
  return c.subprocess ? runProcess(c.argv, CASE_TIMEOUT_MS) : runInProcess(c.argv, CASE_TIMEOUT_MS);
}

export function record(t: GroupTally, index: number, c: FuzzCase, o: Outcome): void {
  t.cases++;
  t.seconds += o.seconds;
  const code = o.timedOut ? 'timeout' : String(o.code);
  t.exitCodes[code] = (t.exitCodes[code] ?? 0) + 1;
  const faults = judge(c, o);
  for (const f of faults) t.faults[f]++;
  if (faults.length) t.failures.push({ group: t.group, index, label: c.label, argv: c.argv, faults, code: o.code, err: o.err.slice(0, 2000) });
}

/** Cases `from` to `to` (exclusive) of a group, from `seed`, with `onCase` after each (main.ts reports progress through it). */
export async function runGroup(group: FuzzGroup, seed: number, from: number, to: number, onCase?: (index: number, c: FuzzCase, o: Outcome) => void): Promise<GroupTally> {
  const dir = mkdtempSync(join(tmpdir(), `vta-fuzz-${group.name.replace(/\W+/g, '-')}-`));
  const tally = emptyTally(group.name);
  try {
    const base = await group.prepare(dir);
    for (let i = from; i < to; i++) {
      // One generator per case, seeded by (seed, group, index): case i is the same whatever ran before it.
      const rng = new Rng(seed * 1_000_003 + hash(group.name) + i * 7919);
      const c = group.make(rng, i, base, dir);
      const o = await runCase(c);
      record(tally, i, c, o);
      onCase?.(i, c, o);
      rmSync(join(dir, `case-${i}`), { recursive: true, force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return tally;
}

function hash(s: string): number {
  let h = 0;
  for (const ch of s) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h;
}

/** The table the fuzz command and the test print: one line per group. */
export function tallyTable(tallies: GroupTally[]): string {
  const cols = ['group', 'cases', 'stack traces', 'hangs', 'wrong exit codes', 'unnamed messages', 'multi-line', 'wrong verdicts', 'exit 0/1/2', 'seconds'];
  const rows = tallies.map((t) => [
    t.group,
    String(t.cases),
    String(t.faults['stack trace']),
    String(t.faults.hang),
    String(t.faults['wrong exit code']),
    String(t.faults['unnamed message']),
    String(t.faults['multi-line message']),
    String(t.faults['wrong verdict']),
    `${t.exitCodes['0'] ?? 0}/${t.exitCodes['1'] ?? 0}/${t.exitCodes['2'] ?? 0}`,
    t.seconds.toFixed(1),
  ]);
  const widths = cols.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i]!.length)));
  return [cols, ...rows].map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n') + '\n';
}

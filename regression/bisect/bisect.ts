/**
 * `vta-trace bisect`: the first commit between GOOD and BAD where one case's trace on the design
 * changed — values and timing judged separately, each by its own binary search over BAD's
 * first-parent chain (search.ts), every commit's run compared with GOOD's by the divergence
 * engine — and that commit's first divergence against its parent. What changes from commit to
 * commit is only the design (commit-design.ts); the program, harness and tracer are those of the
 * running vta-trace, so a change is the design's. `checkWorkingTree` is one `git bisect run` step.
 */
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { createTarget } from '../../targets/registry.js';
import { probeMapOfTarget } from '../../targets/rtl-probe-map.js';
import type { DivergenceReport } from '../../tracer/diverge/divergence.js';
import { findFirstDivergence } from '../../tracer/diverge/engine.js';
import { makeRerun } from '../../tracer/diverge/rerun.js';
import { bundleHash } from '../../tracer/store/bundle-record.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import { CaseRuns, type CommitRun } from './case-runs.js';
import { designFileOf } from './commit-design.js';
import { BisectError, commitOf, commitsBetween, resolveCommit, worktreeOf, type Commit } from './git-commits.js';
import { firstChanged } from './search.js';

export type Aspect = 'values' | 'timing';

export interface BisectSetup {
  /** The top of the repository whose commits are searched. */
  repo: string;
  /** A design description inside it (its path from the top), or undefined: our RTL (a vta-trace checkout). */
  design?: string;
  bundle: ProgramBundle;
  configName: string;
  /** Worktrees, generated descriptions, the trace database and its run index. */
  cacheDir: string;
  /** Progress lines (stderr). */
  log?: (line: string) => void;
}

export interface CommitVerdict {
  commit: Commit;
  /** GOOD's run compared with this commit's. */
  values: 'same' | 'changed';
  timing: 'same' | 'changed';
  runId: number;
  totalCycles: number | null;
}

export type AspectResult =
  | { changed: false }
  | { changed: true; first: Commit; parent: Commit; firstRun: number; parentRun: number; cycles: { parent: number | null; first: number | null } }
  | { changed: true; ambiguous: Commit[]; parent: Commit; reason: string };

export interface BisectResult {
  good: Commit;
  bad: Commit;
  /** Commits after GOOD up to BAD on the first-parent chain. */
  commits: number;
  /** Commits run (GOOD and BAD included); `reused`: of those, runs already in the cache. */
  tested: { commit: Commit; outcome: 'run' | 'reused' | 'skip'; reason?: string }[];
  values: AspectResult;
  timing: AspectResult;
  /** The first values change (else timing change) against its parent, from the divergence engine. */
  report?: DivergenceReport;
  reportOf?: { commit: Commit; parent: Commit };
  dbFile: string;
}

function short(c: Commit | string): string {
  return (typeof c === 'string' ? c : c.sha).slice(0, 12);
}

/** The case's runs, one database per program in the cache. */
class Session {
  readonly store: TraceStore;
  readonly runs: CaseRuns;
  readonly dbFile: string;
  private readonly cache = new Map<string, CommitRun>();
  readonly tested: BisectResult['tested'] = [];

  constructor(readonly setup: BisectSetup) {
    const dir = join(setup.cacheDir, 'runs');
    mkdirSync(dir, { recursive: true });
    const key = bundleHash(setup.bundle).slice(0, 16);
    this.dbFile = join(dir, `${key}.db`);
    this.store = TraceStore.open(this.dbFile);
    this.runs = new CaseRuns(this.store, setup.bundle, setup.configName, join(dir, `${key}.runs.json`));
  }

  private worktreeRoot(): string {
    return join(this.setup.cacheDir, 'worktrees', createHash('sha256').update(this.setup.repo).digest('hex').slice(0, 12));
  }

  /** The case run on `commit`'s design (its worktree made on first use). */
  async runCommit(commit: Commit): Promise<CommitRun> {
    const known = this.cache.get(commit.sha);
    if (known) return known;
    this.setup.log?.(`bisect: ${short(commit)} ${commit.subject}`);
    const run = await this.runs.runOn(async () => designFileOf(worktreeOf(this.setup.repo, commit.sha, this.worktreeRoot()), this.setup.design, this.setup.bundle.params, this.setup.cacheDir), commit.sha);
    this.cache.set(commit.sha, run);
    this.tested.push({ commit, outcome: run.kind === 'skip' ? 'skip' : run.reused ? 'reused' : 'run', ...(run.kind === 'skip' ? { reason: run.reason } : {}) });
    if (run.kind === 'skip') this.setup.log?.(`bisect: ${short(commit)} skipped: ${run.reason}`);
    return run;
  }

  /** The case run on the repository's working tree as it is (what `git bisect run` checked out). */
  async runWorkingTree(): Promise<CommitRun> {
    return this.runs.runOn(async () => designFileOf(this.setup.repo, this.setup.design, this.setup.bundle.params, this.setup.cacheDir));
  }

  /** How run `b` differs from run `a`: values (any value divergence, or another end of the run) and timing. */
  async compare(a: number, b: number): Promise<{ values: 'same' | 'changed'; timing: 'same' | 'changed'; cycles: number | null }> {
    if (a === b) return { values: 'same', timing: 'same', cycles: this.totalCycles(a) };
    const r = await findFirstDivergence(this.store, [a, b], {});
    const statuses = new Set(r.runs.map((x) => x.status));
    return { values: r.values === 'diverge' || statuses.size > 1 ? 'changed' : 'same', timing: r.timing.verdict === 'differs' ? 'changed' : 'same', cycles: r.timing.cycles[String(b)] ?? null };
  }

  totalCycles(runId: number): number | null {
    return this.store.run(runId).counters?.cycles ?? null;
  }

  /** The first divergence of `b` against `a`, with full-detail re-runs of the window. */
  async report(a: number, b: number): Promise<DivergenceReport> {
    const bundle = this.setup.bundle;
    return findFirstDivergence(this.store, [a, b], { rerun: makeRerun((name) => createTarget(name), async () => bundle), dbFile: this.dbFile, probes: probeMapOfTarget });
  }

  close(): void {
    this.store.close();
  }
}

function mustRun(run: CommitRun, what: string): number {
  if (run.kind === 'skip') throw new BisectError(`${what} cannot be built, so nothing can be compared with it: ${run.reason}`);
  return run.runId;
}

export async function bisect(setup: BisectSetup, goodRev: string, badRev: string): Promise<BisectResult> {
  const good = commitOf(setup.repo, resolveCommit(setup.repo, goodRev));
  const bad = commitOf(setup.repo, resolveCommit(setup.repo, badRev));
  const commits = commitsBetween(setup.repo, good.sha, bad.sha);
  const s = new Session(setup);
  try {
    const goodRun = mustRun(await s.runCommit(good), `GOOD ${short(good)}`);
    const verdicts = new Map<number, CommitVerdict | 'skip'>();
    const verdictOf = async (i: number): Promise<CommitVerdict | 'skip'> => {
      const have = verdicts.get(i);
      if (have) return have;
      const run = await s.runCommit(commits[i]!);
      const v: CommitVerdict | 'skip' = run.kind === 'skip' ? 'skip' : { commit: commits[i]!, runId: run.runId, totalCycles: s.totalCycles(run.runId), ...(await s.compare(goodRun, run.runId)) };
      verdicts.set(i, v);
      return v;
    };
    const last = commits.length - 1;
    const badVerdict = await verdictOf(last);
    if (badVerdict === 'skip') mustRun({ kind: 'skip', reason: s.tested.find((t) => t.commit.sha === bad.sha)?.reason ?? '' }, `BAD ${short(bad)}`);
    const parentOf = (i: number) => (i === 0 ? good : commits[i - 1]!);
    const runOf = (i: number) => (i < 0 ? goodRun : (verdicts.get(i) as CommitVerdict).runId);
    const searchAspect = async (aspect: Aspect): Promise<AspectResult> => {
      if ((badVerdict as CommitVerdict)[aspect] === 'same') return { changed: false };
      const found = await firstChanged(commits.length, async (i) => {
        const v = await verdictOf(i);
        return v === 'skip' ? 'skip' : v[aspect] === 'changed';
      });
      if (found.kind === 'ambiguous') {
        const lo = found.indices[0]! - 1;
        return { changed: true, ambiguous: found.indices.map((i) => commits[i]!), parent: lo < 0 ? good : commits[lo]!, reason: 'the commits before the last cannot be built' };
      }
      const i = found.index;
      return { changed: true, first: commits[i]!, parent: parentOf(i), firstRun: runOf(i), parentRun: runOf(i - 1), cycles: { parent: s.totalCycles(runOf(i - 1)), first: s.totalCycles(runOf(i)) } };
    };
    const values = await searchAspect('values');
    const timing = await searchAspect('timing');
    const shown = [values, timing].find((a): a is Extract<AspectResult, { first: Commit }> => a.changed && 'first' in a);
    const report = shown ? await s.report(shown.parentRun, shown.firstRun) : undefined;
    return {
      good,
      bad,
      commits: commits.length,
      tested: s.tested,
      values,
      timing,
      ...(report && shown ? { report, reportOf: { commit: shown.first, parent: shown.parent } } : {}),
      dbFile: s.dbFile,
    };
  } finally {
    s.close();
  }
}

/** `git bisect run` exit statuses. */
export const CHECK_EXIT = { good: 0, bad: 1, skip: 125 } as const;

/**
 * One step of `git bisect run`: the repository's working tree (the commit git checked out) against
 * GOOD, on one aspect. Returns the exit status and a line saying why.
 */
export async function checkWorkingTree(setup: BisectSetup, goodRev: string, aspect: Aspect): Promise<{ exit: number; line: string }> {
  const good = commitOf(setup.repo, resolveCommit(setup.repo, goodRev));
  const s = new Session(setup);
  try {
    const goodRun = mustRun(await s.runCommit(good), `GOOD ${short(good)}`);
    const here = await s.runWorkingTree();
    if (here.kind === 'skip') return { exit: CHECK_EXIT.skip, line: `skip: cannot build this commit: ${here.reason}` };
    const c = await s.compare(goodRun, here.runId);
    const changed = c[aspect] === 'changed';
    const cycles = aspect === 'timing' ? ` (total cycles ${s.totalCycles(goodRun) ?? '?'} at GOOD, ${c.cycles ?? '?'} here)` : '';
    return { exit: changed ? CHECK_EXIT.bad : CHECK_EXIT.good, line: `${changed ? 'bad' : 'good'}: ${aspect} ${changed ? 'changed' : 'same'} against GOOD ${short(good)}${cycles}` };
  } finally {
    s.close();
  }
}

/**
 * Run a suite's cases over one worker pool per target kind (pools/kind-pools.ts). A case's target
 * runs go to their kinds' pools at once and share one build of its bundle (shared-build.ts); the
 * main thread judges the small results (judge.ts) and, when the targets disagree, sends one
 * re-run to find the first divergence. A run or re-run that
 * exceeds the time limit or kills its worker makes the case an error; the pools go on.
 */
import { repoPath } from '../runtime/repo.js';
import { VtaUserError } from '../runtime/errors.js';
import { isAllBoards } from '../targets/fpga/host/all-boards.js';
import type { CaseResult, TargetOutcome } from './case-result.js';
import { caseProblems, observerFailure } from './judge.js';
import { buildCase } from './workers/build-case.js';
import { disassemble } from '../runtime/isa/disasm.js';
import { viewProgram } from '../targets/tsim/program-view.js';
import { BoardPoolRuns } from './pools/board-pool-runs.js';
import { planThreads, targetKind, type JobsRequest } from './pools/jobs.js';
import { KindPools, type Admission, type TaskOutcome } from './pools/kind-pools.js';
import type { Reporter } from './reporters/reporter.js';
import { reproduceCase } from './reproduce-case.js';
import { SharedBuild } from './shared-build.js';
import { shrinkBuckets } from './shrink/shrink-buckets.js';
import type { CaseSpec } from './suites.js';
import type { WaveOptions } from './divergence-wave.js';
import { DEFAULT_COMPARE, type CompareMode, type DivergeTask, type DivergeTaskResult, type RunTaskResult } from './workers/tasks.js';

export interface RunOptions {
  /** Threads: a total shared among the suite's target kinds, or per kind (pools/jobs.ts). */
  jobs: number | JobsRequest;
  /** Wall-clock limit of each target run and of the divergence re-run of a case (the targets have their own limits inside). */
  caseTimeoutMs: number;
  /** Dump the divergent window of each failing case's tsim runs (regression/divergence-wave.ts), one folder per case. */
  wave?: WaveOptions;
  reporters: Reporter[];
  /** Default: DEFAULT_COMPARE (digests). */
  compare?: CompareMode;
  /** Build each case's bundle once and share it among its targets (default); false: every run builds its own (bench/regress.ts compares). */
  shareBuilds?: boolean;
  /** The compiled worker every pool runs; tests substitute a misbehaving one. */
  workerFile?: string;
  /**
   * The boards file `fpga:*` spreads over and that fpga:<board> and the divergence re-runs resolve
   * through (`--boards`; default: $VTA_TRACE_BOARDS, else ./vta-boards.json). Sent in every task.
   */
  boardsFile?: string;
  /** Stops the suite (Ctrl-C): the cases finished so far are reported, the rest dropped. */
  signal?: AbortSignal;
  /** --known files for the divergence re-runs (design descriptions bring their own). */
  knownFiles?: string[];
  /** regress --shrink DIR: shrink the first case of each failure bucket into DIR (shrink-buckets.ts). */
  shrinkDir?: string;
}

/** A target that cannot be set up (unknown design, RTL that does not build): the command stops with it. */
export class TargetSetupError extends VtaUserError {
  override name = 'TargetSetupError';
}

/** Where a case's target runs go: the pool of its kind, or, for fpga:*, the boards of the boards file. */
interface Pools {
  kinds: KindPools;
  boards: BoardPoolRuns | undefined;
}

/**
 * The pool that re-runs a disagreeing case: the slowest kind among its targets (anything but fsim).
 * fpga:* has no pool of generic threads; its re-run takes the first board that answers.
 */
function divergeKind(targets: string[]): string {
  const kinds = targets.filter((t) => !isAllBoards(t)).map(targetKind);
  return kinds.find((k) => k !== 'fsim') ?? kinds[0] ?? targetKind(targets[0]!);
}

function taskFailure(id: string, failed: Extract<TaskOutcome<unknown>, { ok: false }>, what: string, outcomes: TargetOutcome[], seconds: number): CaseResult {
  return { id, verdict: 'error', reason: `${what}: ${failed.message}`, signature: failed.timedOut ? 'case timeout' : 'worker crash', outcomes, seconds };
}

/** Set by the first target that cannot be set up: later runs are cancelled, and the suite stops with it. */
interface Stop {
  error?: string;
}

async function runOne(pools: Pools, c: CaseSpec, opts: RunOptions, stop: Stop = {}): Promise<CaseResult> {
  const compare = opts.compare ?? DEFAULT_COMPARE;
  const shared = new SharedBuild(c, compare, opts.shareBuilds ?? true);
  const boards = opts.boardsFile !== undefined ? { boardsFile: opts.boardsFile } : {};
  const runs = await Promise.all(
    c.targets.map(async (target, position) => {
      const boardAdmit = (): Admission => {
        const a = shared.admit(position);
        return 'task' in a ? { task: { ...a.task, ...boards } } : a;
      };
      // Runs not yet started are cancelled once the suite is stopping (board runs are not: see board-pool-runs.ts).
      const admit = (): Admission => (stop.error !== undefined ? { cancelled: true } : boardAdmit());
      const r = pools.boards && isAllBoards(target) ? await pools.boards.run(boardAdmit, target) : await pools.kinds.run<RunTaskResult>(targetKind(target), admit, opts.caseTimeoutMs);
      shared.ended(position, r.ok ? r.value.bundle : undefined);
      // The bundle has reached the other targets' tasks; the results stay small.
      if (r.ok) delete r.value.bundle;
      return r;
    }),
  );
  // A case's time is its work, not its wait in the queues: its runs side by side, then any re-run.
  let seconds = Math.max(...runs.map((r) => r.seconds));
  const done = runs.filter((r): r is Extract<TaskOutcome<RunTaskResult>, { ok: true }> => r.ok).map((r) => r.value);
  const setup = done.find((r) => r.setupError)?.setupError;
  if (setup !== undefined || stop.error !== undefined) {
    stop.error ??= setup;
    return { id: c.id, verdict: 'error', reason: stop.error, signature: 'setup error', outcomes: [], seconds };
  }
  const outcomes = done.map((r) => r.outcome);
  if (stop.error !== undefined) return { id: c.id, verdict: 'error', reason: stop.error, signature: 'setup error', outcomes, seconds };
  const failedAt = runs.findIndex((r) => !r.ok);
  if (failedAt >= 0) return taskFailure(c.id, runs[failedAt] as Extract<TaskOutcome<unknown>, { ok: false }>, `target ${c.targets[failedAt]}`, outcomes, seconds);
  const buildError = done.find((r) => r.buildError)?.buildError;
  if (buildError) return { id: c.id, verdict: 'error', reason: buildError, signature: 'build error', outcomes: [], seconds };

  const problems = caseProblems(c, done);
  if (problems.length === 0) {
    const observed = observerFailure(c, done);
    if (!observed) return { id: c.id, verdict: 'pass', outcomes, seconds };
    // The effects agree, so the tracer would find no divergence: the failure names its instruction itself.
    return { id: c.id, verdict: 'fail', reason: observed.reason, signature: observed.signature, ...(observed.pc !== undefined ? { divergence: { pc: observed.pc, disasm: disasmOf(c, observed.pc) } } : {}), reproduce: reproduceCase(c, undefined), outcomes, seconds };
  }
  const reason = problems.join('; ');
  const abnormal = outcomes.find((o) => o.status !== 'ok');
  if (c.targets.length < 2) return { id: c.id, verdict: 'fail', reason, signature: abnormal ? abnormal.status : 'golden mismatch', outcomes, seconds };
  // A board that went away says nothing about the design: no re-run on another board.
  if (done.some((r) => r.boardLost)) return { id: c.id, verdict: 'fail', reason, signature: 'board lost', outcomes, seconds };

  const known = opts.knownFiles?.length ? { knownFiles: opts.knownFiles } : {};
  const divergeTask: DivergeTask = { kind: 'diverge', spec: c, ...boards, ...known, ...(opts.wave ? { wave: opts.wave } : {}) };
  const d = await pools.kinds.run<DivergeTaskResult>(divergeKind(c.targets), () => (stop.error !== undefined ? { cancelled: true } : { task: divergeTask }), opts.caseTimeoutMs);
  seconds += d.seconds;
  if (!d.ok && stop.error !== undefined) return { id: c.id, verdict: 'error', reason: stop.error, signature: 'setup error', outcomes, seconds };
  if (!d.ok) return taskFailure(c.id, d, `${reason}; divergence re-run`, outcomes, seconds);
  if (d.value.known) {
    const k = d.value.known;
    return { id: c.id, verdict: 'known', reason: `known difference ${k.id}: ${k.reason}`, signature: `known ${k.id}`, known: k, ...(d.value.divergence ? { divergence: d.value.divergence } : {}), outcomes, seconds };
  }
  return {
    id: c.id,
    verdict: 'fail',
    reason,
    signature: d.value.signature ?? (abnormal ? abnormal.status : 'outputs only'),
    ...(d.value.divergence ? { divergence: d.value.divergence } : {}),
    ...(d.value.report ? { report: d.value.report } : {}),
    reproduce: reproduceCase(c, d.value.reproduce),
    ...(d.value.waves ? { waves: d.value.waves } : {}),
    outcomes,
    seconds,
  };
}

/** Threads per kind for these cases (fpga:* gets one thread per board instead, not counted here). */
export function threadPlan(cases: CaseSpec[], jobs: number | JobsRequest): Record<string, number> {
  const kinds = [...new Set(cases.flatMap((c) => c.targets.filter((t) => !isAllBoards(t)).map(targetKind)))];
  return planThreads(typeof jobs === 'number' ? { total: jobs, perKind: {} } : jobs, kinds);
}

export async function runCases(cases: CaseSpec[], opts: RunOptions): Promise<CaseResult[]> {
  // Workers run the compiled JavaScript (npm run build), also when the runner itself is under test.
  const workerFile = opts.workerFile ?? repoPath('dist', 'regression', 'worker.js');
  const anyAllBoards = cases.some((c) => c.targets.some(isAllBoards));
  // The boards file is read before anything runs: a missing or wrong file stops the command at once.
  const boards = anyAllBoards ? new BoardPoolRuns(workerFile, opts.caseTimeoutMs, opts.boardsFile) : undefined;
  const pools: Pools = { kinds: new KindPools(workerFile, threadPlan(cases, opts.jobs)), boards };
  for (const r of opts.reporters) r.onStart?.(cases.length);
  const started = Date.now();
  // Cases in the order they finished; after an interruption nothing more is added (the pools'
  // torn-down tasks end as worker failures that say nothing about the design).
  const finished: { k: number; result: CaseResult }[] = [];
  const stopped = () => opts.signal?.aborted === true;
  const stop: Stop = {};
  try {
    const all = Promise.all(
      cases.map(async (c, k) => {
        const ran = await runOne(pools, c, opts, stop);
        // Every failing case says how to run it again, whatever stopped it.
        const result = ran.verdict === 'pass' || ran.verdict === 'known' || ran.reproduce ? ran : { ...ran, reproduce: reproduceCase(c) };
        if (stopped()) return;
        finished.push({ k, result });
        if (stop.error === undefined) for (const r of opts.reporters) r.onCase?.(result);
      }),
    );
    await untilAborted(all, opts.signal);
    // Every run in flight has ended (the rest were cancelled): one error for the whole suite.
    if (stop.error !== undefined) throw new TargetSetupError(stop.error);
    // The suite's order (not the order of finishing), for every reporter and the caller.
    const results = finished.sort((a, b) => a.k - b.k).map((f) => f.result);
    if (opts.shrinkDir !== undefined && !stopped()) await shrinkBuckets(results, cases, opts.shrinkDir, buckets(results));
    for (const r of opts.reporters) r.onFinish?.(results, (Date.now() - started) / 1000, { total: cases.length, interrupted: stopped() });
    return results;
  } finally {
    await pools.kinds.destroy();
    await pools.boards?.close();
  }
}

/** Resolves when the work is done or the signal fires, whichever is first (the work's later failure is dropped). */
async function untilAborted(work: Promise<unknown>, signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return void (await work);
  if (signal.aborted) return void work.catch(() => {});
  let onAbort: () => void = () => {};
  const aborted = new Promise<void>((resolve) => {
    onAbort = resolve;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([work, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
    work.catch(() => {});
  }
}

/** Failures grouped by signature: one RTL bug is one bucket, however many cases it breaks. */
export function buckets(results: CaseResult[]): Map<string, CaseResult[]> {
  const out = new Map<string, CaseResult[]>();
  for (const r of results) {
    if (r.verdict === 'pass' || r.verdict === 'known') continue;
    const key = r.signature ?? 'unknown';
    out.set(key, [...(out.get(key) ?? []), r]);
  }
  return out;
}

/** The instruction at `pc` of a case's program (built again here: only for a failing case). */
function disasmOf(c: CaseSpec, pc: number): string {
  try {
    const b = buildCase(c);
    const insn = viewProgram(b).insns[pc];
    return insn ? disassemble(b.params, insn) : '(undecodable)';
  } catch {
    return '(program not rebuilt)';
  }
}

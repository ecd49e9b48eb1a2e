/**
 * "Run target T on bundle B under trace spec S into store D": the one orchestration every caller
 * (CLI, regression, re-runs of a divergence window) goes through. The target is taken by
 * interface; the tracer never knows which implementation it is driving.
 */
import { signalExitStatus, STOP_SIGNALS } from '../runtime/signals.js';
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import { sameBytes } from '../runtime/typed-arrays.js';
import { emptyCounters, type RunLimits, type RunResult, type Target } from '../runtime/contract/target.js';
import { BoardDigester, boardRecordsOf } from '../runtime/contract/board-digest.js';
import { Recorder, type RecorderSummary } from './recorder.js';
import type { TraceSpec } from './spec.js';
import type { StoredRunStatus } from './store/schema.js';
import type { RunEnd, RunWriterOptions } from './store/run-writer.js';
import type { TraceStore } from './store/trace-store.js';

export interface TraceRunRequest {
  target: Target;
  bundle: ProgramBundle;
  spec: TraceSpec;
  store: TraceStore;
  limits?: RunLimits;
  configName?: string;
  gitCommit?: string;
  /** Whether that checkout had changes (recorded with the commit: a dirty run is not clean commit X). */
  gitDirty?: boolean;
  bundlePath?: string;
  writer?: RunWriterOptions;
  /**
   * Also compute the run's board records from its events (runtime/contract/board-digest.ts), so that it
   * can be compared with a board that returns only its trace unit's records. Costs the target
   * reporting every GEMM/ALU iteration. A target's own trace-unit records are stored either way.
   */
  boardDigests?: boolean;
  /**
   * On SIGINT or SIGTERM, commit what was recorded, mark the run interrupted, then let the signal
   * end the process as usual (exit status 130 / 143 in a shell). Default true.
   */
  handleSigint?: boolean;
}


export interface TraceRunResult {
  runId: number;
  status: Exclude<StoredRunStatus, 'running'>;
  result: RunResult;
  summary: RecorderSummary;
}

/** Output ranges that differ from the bundle's expected bytes (by output name). */
export function outputMismatches(bundle: ProgramBundle, outputs: RunResult['outputs']): string[] {
  if (!bundle.expected) return [];
  const bad: string[] = [];
  for (const [name, want] of Object.entries(bundle.expected)) {
    const got = outputs.find((o) => o.name === name)?.bytes;
    if (!sameBytes(got, want)) bad.push(name);
  }
  return bad;
}

export async function traceRun(req: TraceRunRequest): Promise<TraceRunResult> {
  // A target that cannot run this bundle as asked says so before a run is recorded.
  req.target.check?.(req.bundle);
  // A design that cannot be built is the command's error, not a crashed run; what it is gets recorded.
  const design = await req.target.prepareRun?.(req.bundle);
  const writer = req.store.startRun(
    {
      target: req.target.name,
      bundle: req.bundle,
      spec: req.spec,
      configName: req.configName,
      gitCommit: req.gitCommit,
      gitDirty: req.gitDirty,
      ...(design ? { design } : {}),
      bundlePath: req.bundlePath,
      dramReads: req.target.recordsDramReads === true,
    },
    req.writer,
  );
  const digester = req.boardDigests ? new BoardDigester() : undefined;
  const recorder = new Recorder(req.spec, req.bundle.insnCount, writer, digester);
  // A signal gets the run's rows to disk and the run marked before the process ends. The target
  // is given an AbortSignal so that one computing on this thread (fsim) pauses often enough for
  // the handler to run, however long the run.
  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    // Everything the target reported so far goes to disk before the process ends (flush returns
    // once it is committed, also when a writer thread commits it). A writer that cannot commit
    // has marked the run itself; the signal still ends the process, with the signal's status.
    abort.abort();
    try {
      try {
        recorder.finish();
        writer.flush();
      } finally {
        // Marked even when the rows cannot be finished (a signal at the run's very start, before
        // the recorder has anything to close): the run was interrupted either way.
        req.store.markInterrupted(writer.runId, `interrupted by ${signal}`);
      }
    } finally {
      removeHandlers();
      process.kill(process.pid, signal);
      // A process started with the signal ignored (a background job of a non-interactive shell
      // ignores SIGINT) survives the re-raise: end it with the status a shell gives the signal.
      setImmediate(() => process.exit(signalExitStatus(signal)));
    }
  };
  const removeHandlers = () => {
    for (const s of STOP_SIGNALS) process.removeListener(s, onSignal);
  };
  if (req.handleSigint !== false) for (const s of STOP_SIGNALS) process.on(s, onSignal);
  let result: RunResult;
  try {
    result = await req.target.run({ bundle: req.bundle, sink: recorder, limits: req.limits, signal: abort.signal });
  } catch (e) {
    // A target that throws has crashed; what it reported before stays recorded.
    result = { status: 'crash', message: `target ${req.target.name} threw: ${(e as Error).message ?? e}`, outputs: [], counters: emptyCounters() };
  } finally {
    removeHandlers();
  }
  const summary = recorder.finish();
  writer.recorded();
  const mismatched = result.status === 'ok' ? outputMismatches(req.bundle, result.outputs) : [];
  const board = boardEnd(req.target, recorder.wantsEvents, summary, result, digester);
  const status = mismatched.length ? 'mismatch' : result.status;
  writer.finish({
    status,
    message: mismatched.length ? `outputs differ from the expected: ${mismatched.join(', ')}` : result.message,
    blocked: result.blocked,
    counters: result.counters,
    // Without events there were no retires to time: unknown, not 0.
    moduleCycles: board.hostEvents === false ? undefined : summary.lastRetireCycle,
    outputs: result.outputs,
    ...board,
    dramReads: req.target.recordsDramReads === true,
  });
  return { runId: writer.runId, status, result, summary };
}

/**
 * Whether the target reported events, and the board records to keep: the trace unit's own when
 * the target brought them back, else the ones computed from the events.
 */
function boardEnd(target: Target, askedForEvents: boolean, summary: RecorderSummary, result: RunResult, digester?: BoardDigester): Pick<RunEnd, 'hostEvents' | 'board'> {
  const fromBoard = boardRecordsOf(target);
  const retired = summary.retired.load + summary.retired.compute + summary.retired.store;
  // A target that says it sends no events (a board without probes) has none, however its run
  // ended. Otherwise nothing retired although events were asked for: a board without probes, if
  // it finished or brought back its own records (else a run that stopped before its first instruction).
  const probeless = (target as { sendsEvents?: unknown }).sendsEvents === false;
  const hostEvents = !probeless && (!askedForEvents || retired > 0 || (result.status !== 'ok' && !fromBoard));
  if (fromBoard) return { hostEvents, board: { source: 'trace-unit', records: fromBoard } };
  if (digester && hostEvents && retired > 0) return { hostEvents, board: { source: 'events', records: digester.records } };
  return { hostEvents };
}

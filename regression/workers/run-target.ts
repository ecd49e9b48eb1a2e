/**
 * A `run` task (worker side): build the case's bundle (or take the one another target's run built
 * and sent along), run one target, check the outputs against the golden result and hash them. With digest comparison the run goes through the tracer's
 * recorder in digest mode (in memory, no database) and the result carries one digest over every
 * instruction's trace digest.
 */
import { createHash } from 'node:crypto';
import { AgentAuthError, BoardConnectionError } from '../../targets/fpga/errors.js';
import { VtaUserError } from '../../runtime/errors.js';
import { createTarget } from '../../targets/registry.js';
import type { RunResult, Target } from '../../runtime/contract/target.js';
import { Digest } from '../../tracer/digest.js';
import type { EventSink } from '../../runtime/contract/events.js';
import { MemoryRecordSink, Recorder } from '../../tracer/recorder.js';
import { makeTraceSpec } from '../../tracer/spec.js';
import { outputMismatches } from '../../tracer/trace-run.js';
import { BoardDigester, type BoardRecord } from '../../runtime/contract/board-digest.js';
import type { VcrCounters } from '../../targets/tsim/vcr-counters.js';
import { buildCase } from './build-case.js';
import type { RunTask, RunTaskResult } from './tasks.js';

const OUTPUTS_ONLY: EventSink = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };
export const RUN_LIMITS = { maxCycles: 20_000_000, timeoutMs: 120_000 };

/**
 * Targets live as long as their worker thread: a tsim target keeps its simulator process from
 * one case to the next of the same configuration (it starts a fresh one itself after any run
 * that did not end ok, and the process exits when the thread ends and its input closes).
 */
const targets = new Map<string, Promise<Target>>();

/** Keyed by name and boards file: fpga:a of one boards file is not fpga:a of another. */
const targetKey = (task: RunTask) => `${task.target}\u0000${task.boardsFile ?? ''}`;

function targetNamed(task: RunTask): Promise<Target> {
  const key = targetKey(task);
  let t = targets.get(key);
  if (!t) {
    t = createTarget(task.target, { boardsFile: task.boardsFile });
    t.catch(() => targets.delete(key));
    targets.set(key, t);
  }
  return t;
}

export function outputsHash(outputs: RunResult['outputs']): string {
  const h = createHash('sha256');
  for (const o of outputs) h.update(`${o.name}:${o.bytes.length}:`).update(o.bytes);
  return h.digest('hex');
}

/** One digest over the chunk digests in program order: equal runs give equal values, like the chunks themselves. */
export function runDigest(sink: MemoryRecordSink): string {
  const d = new Digest();
  for (const c of [...sink.chunks].sort((a, b) => a.chunk - b.chunk)) {
    d.u32(c.lo);
    d.u32(c.hi);
  }
  const { lo, hi } = d.value;
  return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

export async function runTarget(task: RunTask): Promise<RunTaskResult> {
  const { spec, target: name } = task;
  let bundle;
  try {
    bundle = task.bundle ?? buildCase(spec);
  } catch (e) {
    return { buildError: (e as Error).message, outcome: { target: name, status: 'not run', cycles: 0 }, outputsHash: '', goldenMismatch: false };
  }
  const digests = task.compare === 'digests' ? new MemoryRecordSink() : undefined;
  // On a configuration with the trace unit, fsim's board digests are what tsim's unit must write (judge.ts).
  const board = bundle.params.traceUnit && name.startsWith('fsim') ? new BoardDigester() : undefined;
  const recorder = digests || board ? new Recorder(makeTraceSpec({ mode: digests ? 'digest' : 'outputs' }), bundle.insnCount, digests ?? new MemoryRecordSink(), board) : undefined;
  let target: Target;
  let designHash: string | undefined;
  try {
    target = await targetNamed(task);
    // Built (or taken from the cache) before the run: a design that cannot be built is the command's error.
    designHash = (await target.prepareRun?.(bundle))?.sourcesHash;
  } catch (e) {
    // A board that cannot be reached (or refuses our token) fails this run as a crash naming it; its pool drops it.
    if (e instanceof BoardConnectionError || e instanceof AgentAuthError) {
      return { outcome: { target: name, status: 'crash', cycles: 0, message: e.message }, outputsHash: '', goldenMismatch: false, boardLost: true, ...(task.returnBundle ? { bundle } : {}) };
    }
    if (e instanceof VtaUserError) return { setupError: `target ${name}: ${e.message}`, outcome: { target: name, status: 'not run', cycles: 0 }, outputsHash: '', goldenMismatch: false };
    throw e;
  }
  let r: RunResult;
  try {
    r = await target.run({ bundle, sink: recorder ?? OUTPUTS_ONLY, limits: RUN_LIMITS });
  } catch (e) {
    // A target that throws is in an unknown state: the next case gets a new one.
    targets.delete(targetKey(task));
    await target.close().catch(() => {});
    throw e;
  }
  recorder?.finish();
  // Read by shape, as the tracer reads a board's records: only board targets have the flag.
  const boardLost = (target as { connectionLost?: unknown }).connectionLost === true;
  if (boardLost) targets.delete(targetKey(task));
  // What the design says about its own run (tsim): its trace unit's records and its VCR counters.
  const unit = (target as { unitRecords?: unknown }).unitRecords;
  const records = board?.records ?? (bundle.params.traceUnit && Array.isArray(unit) ? (unit as BoardRecord[]) : undefined);
  const ringError = (target as { boardRingError?: unknown }).boardRingError;
  const ringWrapped = (target as { boardRingWrapped?: unknown }).boardRingWrapped === true;
  const vcr = (target as { vcrCounters?: VcrCounters }).vcrCounters;
  return {
    outcome: {
      target: name,
      status: r.status,
      cycles: r.counters.cycles,
      counters: r.counters,
      ...(digests ? { digest: runDigest(digests) } : {}),
      ...(r.message ? { message: r.message } : {}),
      ...(designHash ? { designHash } : {}),
    },
    outputsHash: outputsHash(r.outputs),
    goldenMismatch: r.status === 'ok' && spec.golden && outputMismatches(bundle, r.outputs).length > 0,
    ...(task.returnBundle ? { bundle } : {}),
    ...(boardLost ? { boardLost } : {}),
    ...(records && r.status === 'ok' ? { boardRecords: records } : {}),
    ...(typeof ringError === 'string' ? { boardRingError: ringError } : {}),
    ...(ringWrapped ? { boardRingWrapped: true } : {}),
    ...(vcr && r.status === 'ok' ? { vcr } : {}),
  };
}

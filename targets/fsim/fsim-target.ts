/**
 * fsim: the bit-accurate behavioural model. The load, compute and store modules each run their
 * own in-order instruction queue, gated by the four dependency-token queues (pop before start,
 * push after completion), so token mistakes show up as a deadlock naming the blocked instruction
 * instead of silent success (upstream fsim spins forever there). Module order within a round is
 * fixed (load, compute, store), so runs are deterministic.
 *
 * The program is prepared once into typed arrays (decoded.ts, tokens.ts); the scheduling loop
 * (scheduler.ts) touches only numbers and typed arrays per instruction, decoding each
 * instruction's fields into one reused array as it starts. This file prepares a run and turns
 * where the loop stopped into the run's result.
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { insnBytes } from '../../runtime/bundle/bundle.js';
import { MODULES } from '../../runtime/isa/insn.js';
import { InsnError } from '../../runtime/errors.js';
import { emptyCounters, type BlockedInsn, type Counters, type RunRequest, type RunResult, type Target } from '../../runtime/contract/target.js';
import { decodeProgram, releaseProgram, type DecodedProgram } from './decoded.js';
import { Dram } from './dram.js';
import type { ExecContext } from './exec-context.js';
import { checkFaultReaches } from './fault-reach.js';
import { faultText, type Fault } from './faults.js';
import { LoopNest } from './loop-nest.js';
import { STRIDE } from './slots.js';
import { Scratchpads } from './sram.js';
import { createSchedule, runSchedule, type Schedule } from './scheduler.js';
import { POP_FIRST, POP_SECOND, QUEUE_NAMES } from './tokens.js';
import { TouchedRows } from './touched-rows.js';
import { uopFields } from './uop-fields.js';
import { aluOpOf } from './alu-ops.js';
import { wantsWrites } from '../../runtime/contract/events.js';

export interface FsimOptions {
  fault?: Fault;
  /** false: run the JavaScript loops even where WebAssembly kernels exist (same results). */
  kernels?: boolean;
}

export function createFsimTarget(opts: FsimOptions = {}): Target {
  return {
    name: opts.fault ? `fsim+${faultText(opts.fault)}` : 'fsim',
    recordsDramReads: true,
    run: async (req) => (req.signal ? runFsimYielding(req, req.signal, opts.fault, opts.kernels) : runFsim(req, opts.fault, opts.kernels)),
    check: (bundle) => {
      if (opts.fault) checkFaultReaches(opts.fault, bundle);
    },
    close: async () => {},
  };
}

/** Run to the end without pausing (the caller's event loop waits until it is over). */
export function runFsim(req: RunRequest, fault?: Fault, kernels = true): RunResult {
  const run = prepareRun(req, fault, kernels);
  if (!('ctx' in run)) return run;
  try {
    runSchedule(run, false);
    return resultOf(run);
  } finally {
    // Nothing reads the scratchpads or the prepared program after the run (outputs come from DRAM).
    run.ctx.sram.release();
    releaseProgram(run.prog);
  }
}

/**
 * Run with a pause at every clock check (a few milliseconds apart), so the event loop turns
 * during a long run: a SIGINT or SIGTERM handler (tracer/trace-run.ts) gets to run, and an
 * aborted `signal` ends the run as interrupted, its events so far reported.
 */
export async function runFsimYielding(req: RunRequest, signal: AbortSignal, fault?: Fault, kernels = true): Promise<RunResult> {
  const run = prepareRun(req, fault, kernels);
  if (!('ctx' in run)) return run;
  try {
    while (!runSchedule(run, true)) {
      await new Promise((res) => setImmediate(res));
      if (signal.aborted) return stopRun(run, 'interrupted', `interrupted after instruction #${run.stopPc}`, run.stopCycle);
    }
    return resultOf(run);
  } finally {
    run.ctx.sram.release();
    releaseProgram(run.prog);
  }
}

/** The run's state before its first instruction, or its result when the program cannot start (an undefined opcode, a truncated stream). */
function prepareRun(req: RunRequest, fault: Fault | undefined, kernels: boolean): Schedule | RunResult {
  const { bundle, sink } = req;
  const p = bundle.params;
  // accRowWrites counts GEMM rows during the run; copyCounters adds the ALU's at the end.
  const counters: Counters = { ...emptyCounters(), accRowWrites: 0 };
  const dram = new Dram(bundle.buffers);
  const raw = insnBytes(bundle);
  let prog: DecodedProgram;
  try {
    prog = decodeProgram(p, raw, bundle.insnCount);
  } catch (e) {
    if (e instanceof InsnError) return { status: 'crash', message: e.message, outputs: readOutputs(bundle, dram), counters };
    throw e;
  }
  const ctx: ExecContext = {
    p,
    insn: new Int32Array(STRIDE),
    sram: new Scratchpads(p, kernels),
    uop: uopFields(p),
    nest: new LoopNest(),
    touched: new TouchedRows(p.accDepth),
    dram,
    sink,
    counters,
    fault,
    trackAcc: wantsWrites(sink, 'sram.acc'),
    wantsIters: sink.wantsIters,
    aluOps: Array.from({ length: 8 }, (_, op) => aluOpOf(p, op)),
  };
  if (sink.wantsEvents) ctx.sram.shareWith(sink);
  return createSchedule(ctx, req, raw, prog);
}

/** The result of a schedule that has stopped: finished, at a limit, crashed, or stalled (a deadlock, or no FINISH). */
function resultOf(s: Schedule): RunResult {
  if (s.stop !== 'stalled') return stopRun(s, s.stop, s.stop === 'ok' ? undefined : s.message, s.stopCycle);
  const { meta, count } = s.prog;
  const { qHead, qTail } = s;
  const blocked: BlockedInsn[] = [];
  for (let m = 0; m < 3; m++) {
    let pc = s.next[m]!;
    while (pc < count && (meta[pc]! & 3) !== m) pc++;
    if (pc >= count) continue;
    for (const q of [POP_FIRST[meta[pc]!]!, POP_SECOND[meta[pc]!]!]) {
      if (q >= 0 && qHead[q] === qTail[q]) blocked.push({ pc, module: MODULES[m]!, queue: QUEUE_NAMES[q]! });
    }
  }
  if (blocked.length === 0) return stopRun(s, 'crash', 'the program ended without a FINISH instruction', s.stopCycle);
  const what = blocked.map((b) => `instruction #${b.pc} (${b.module}) waits on empty queue ${b.queue}`).join('; ');
  return { ...stopRun(s, 'deadlock', `deadlock: ${what}`, s.stopCycle), blocked };
}

/** The run's result: counters from the scheduler's per-module tallies, outputs read back from DRAM. */
function stopRun(s: Schedule, status: RunResult['status'], message: string | undefined, cycles: number): RunResult {
  copyCounters(s.ctx.counters, s.retired, s.busy, cycles);
  return { status, ...(message === undefined ? {} : { message }), outputs: readOutputs(s.req.bundle, s.ctx.dram), counters: s.ctx.counters };
}

/** The scheduler's per-module tallies into the result's counters. */
function copyCounters(counters: Counters, retired: number[], busy: number[], cycles: number): void {
  counters.cycles = cycles;
  // Every ALU iteration writes one ACC row: the ALU paths count only aluOps (the one-micro-op
  // fast path stays small enough for V8 to inline), the GEMM paths count their rows as they go.
  counters.accRowWrites = (counters.accRowWrites ?? 0) + counters.aluOps;
  counters.busy = { load: busy[0]!, compute: busy[1]!, store: busy[2]! };
  counters.insns = { load: retired[0]!, compute: retired[1]!, store: retired[2]! };
}

function readOutputs(bundle: ProgramBundle, dram: Dram): RunResult['outputs'] {
  const out: RunResult['outputs'] = [];
  for (const o of bundle.outputs) {
    try {
      out.push({ name: o.name, addr: o.addr, bytes: dram.read(o.addr, o.size) });
    } catch {
      // An output range outside the image cannot be read back; it is reported as missing.
    }
  }
  return out;
}

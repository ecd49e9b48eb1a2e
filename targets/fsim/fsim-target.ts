/**
 * fsim: the bit-accurate behavioural model. The load, compute and store modules each run their
 * own in-order instruction queue, gated by the four dependency-token queues (pop before start,
 * push after completion), so token mistakes show up as a deadlock naming the blocked instruction
 * instead of silent success (upstream fsim spins forever there). Module order within a round is
 * fixed (load, compute, store), so runs are deterministic.
 *
 * The program is prepared once into typed arrays (decoded.ts, tokens.ts); the scheduling loop
 * below touches only numbers and typed arrays per instruction, decoding each instruction's
 * fields into one reused array as it starts.
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { insnBytes } from '../../runtime/bundle/bundle.js';
import { MODULES } from '../../runtime/isa/insn.js';
import { InsnError } from '../../runtime/errors.js';
import { DEFAULT_RUN_TIMEOUT_MS, emptyCounters, type BlockedInsn, type Counters, type RunRequest, type RunResult, type Target } from '../../runtime/contract/target.js';
import { estimateCycles } from './cost.js';
import { decodeProgram, type DecodedProgram, type FieldDecoder } from './decoded.js';
import { Dram } from './dram.js';
import { executeAlu, executeGemm } from './exec-compute.js';
import type { ExecContext } from './exec-context.js';
import { executeLoad, executeStore } from './exec-memory.js';
import { FsimFault } from './fault-error.js';
import { checkFaultReaches } from './fault-reach.js';
import { faultText, type Fault } from './faults.js';
import { LoopNest } from './loop-nest.js';
import { STRIDE } from './slots.js';
import { Scratchpads } from './sram.js';
import { HAS_TOKENS, INVALID, planTokens, POP_FIRST, POP_SECOND, PUSHES, QUEUE_NAMES } from './tokens.js';
import { TouchedRows } from './touched-rows.js';
import { uopFields } from './uop-fields.js';
import { aluOpOf } from './alu-ops.js';
import { fastAluOf, KERNEL_FAILED, NOT_HANDLED } from './alu-fast.js';
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

/**
 * Reading the clock costs about as much as a short instruction, so the wall-clock limit is
 * checked once this many estimated cycles have run (a few milliseconds of work at most). The same
 * points are where a run may pause (see runFsimYielding).
 */
const CYCLES_PER_CLOCK_CHECK = 1 << 16;

/** Run to the end without pausing (the caller's event loop waits until it is over). */
export function runFsim(req: RunRequest, fault?: Fault, kernels = true): RunResult {
  const steps = fsimSteps(req, fault, kernels);
  for (;;) {
    const r = steps.next(false);
    if (r.done) return r.value;
  }
}

/**
 * Run with a pause at every clock check, so the event loop turns during a long run: a SIGINT or
 * SIGTERM handler (tracer/trace-run.ts) gets to run within a few milliseconds, and an aborted
 * `signal` ends the run as interrupted, its events so far reported.
 */
export async function runFsimYielding(req: RunRequest, signal: AbortSignal, fault?: Fault, kernels = true): Promise<RunResult> {
  const steps = fsimSteps(req, fault, kernels);
  for (;;) {
    const r = steps.next(signal.aborted);
    if (r.done) return r.value;
    await new Promise((res) => setImmediate(res));
  }
}

/**
 * The run as a generator: it yields at each clock check and is resumed with true when it should
 * stop there (then it returns an interrupted result).
 */
function* fsimSteps(req: RunRequest, fault: Fault | undefined, kernels: boolean): Generator<void, RunResult, boolean> {
  const { bundle, sink } = req;
  const p = bundle.params;
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
  const insn = new Int32Array(STRIDE);
  const ctx: ExecContext = {
    p,
    insn,
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
  try {
    return yield* schedule(ctx, req, raw, prog);
  } finally {
    // Nothing reads the scratchpads after the run (outputs come from DRAM).
    ctx.sram.release();
  }
}

/** Run the prepared program to FINISH, a deadlock, a crash or a limit. */
function* schedule(ctx: ExecContext, req: RunRequest, raw: Uint8Array, prog: DecodedProgram): Generator<void, RunResult, boolean> {
  const { p, sink, counters, fault, insn } = ctx;
  const maxCycles = req.limits?.maxCycles ?? Infinity;
  const timeoutMs = req.limits?.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
  const deadline = Date.now() + timeoutMs;
  const { capacity, perModule, dropPushesAt } = planTokens(prog, fault);

  // Each module's next instruction: a cursor over the whole program that skips the other modules'
  // instructions. Cursors only move forward, so the skipping costs at most three scans of a byte
  // array per run in all — less than building a list of each module's instructions — and a
  // module with nothing left to run does not scan at all.
  const { meta, words, count } = prog;
  const [decLoad, decStore, decGemm, decFinish, decAlu] = prog.decoders as [FieldDecoder, FieldDecoder, FieldDecoder, FieldDecoder, FieldDecoder];
  // ALU instructions nothing watches take the generated path (alu-fast.ts).
  const fastKernels = fault === undefined && !ctx.trackAcc && !ctx.wantsIters ? ctx.sram.kernels : undefined;
  const fastAlu = fastAluOf(p);
  const next = [0, 0, 0];
  const left = perModule.slice();
  const clock = [0, 0, 0];
  const busy = [0, 0, 0];
  const retired = [0, 0, 0];
  // Token queues: the cycle each token was pushed, FIFO. Every queue gets room for all its pushes,
  // so the queues never wrap.
  const queue = capacity.map((n) => new Float64Array(n));
  const qHead = [0, 0, 0, 0];
  const qTail = [0, 0, 0, 0];
  const wantsRetire = sink.wantsEvents;
  let sinceClockCheck = 0;

  // stopRun is a module-level function, not a closure: a new closure per run at an inlined call
  // site made V8 drop the scheduler's optimised code at the end of every run.

  try {
    let finished = false;
    let progress = true;
    while (!finished && progress) {
      progress = false;
      for (let m = 0; m < 3; m++) {
        let pc = next[m]!;
        // The module's tallies live in locals while it runs, written back when it stops (the
        // finally, also for a crash; before an early return, which reads them).
        let mClock = clock[m]!;
        let mBusy = busy[m]!;
        let mRetired = retired[m]!;
        let mLeft = left[m]!;
        try {
          while (!finished && mLeft > 0) {
            // The module has an instruction at or after pc (left > 0).
            let mt = meta[pc]!;
            while ((mt & 3) !== m) mt = meta[++pc]!;
            let start = mClock;
            if (HAS_TOKENS[mt]) {
              const bad = INVALID[mt];
              if (bad !== undefined) throw new FsimFault(pc, bad);
              const qa = POP_FIRST[mt]!;
              const qb = POP_SECOND[mt]!;
              if ((qa >= 0 && qHead[qa] === qTail[qa]) || (qb >= 0 && qHead[qb] === qTail[qb])) break;
              if (qa >= 0) start = Math.max(start, queue[qa]![qHead[qa]!++]!);
              if (qb >= 0) start = Math.max(start, queue[qb]![qHead[qb]!++]!);
            }
            const w = pc << 2;
            const opcode = words[w]! & 7;
            let c = opcode === 4 && fastKernels !== undefined ? fastAlu(words, w, fastKernels, counters) : NOT_HANDLED;
            if (c === KERNEL_FAILED) ctx.sram.outOfRange('acc', ctx.sram.failedIndex[0]!, pc);
            if (c < 0) {
              // One decoder call site per opcode, so each stays monomorphic.
              if (opcode === 4) decAlu(words, w, insn);
              else if (opcode === 2) decGemm(words, w, insn);
              else if (opcode === 0) decLoad(words, w, insn);
              else if (opcode === 1) decStore(words, w, insn);
              else decFinish(words, w, insn);
              c = estimateCycles(p, insn);
              const end = start + c;
              if (opcode === 4) executeAlu(ctx, pc, end);
              else if (opcode === 2) executeGemm(ctx, pc, end);
              else if (opcode === 0) executeLoad(ctx, pc, end);
              else if (opcode === 1) executeStore(ctx, pc, end);
            }
            const end = start + c;
            mClock = end;
            mBusy += c;
            mRetired++;
            mLeft--;
            progress = true;
            const push = PUSHES[mt]!;
            if (push && pc !== dropPushesAt) for (let q = 0; q < 4; q++) if (push & (1 << q)) queue[q]![qTail[q]!++] = end;
            if (wantsRetire) sink.retire(pc, MODULES[m]!, end, raw.subarray(pc * 16, pc * 16 + 16));
            if (opcode === 3) finished = true;
            pc++;
            if (end > maxCycles) return ((busy[m] = mBusy), (retired[m] = mRetired), stopRun(req, ctx, retired, busy, 'hang', `still running after ${maxCycles} cycles`, end));
            sinceClockCheck += c;
            if (sinceClockCheck >= CYCLES_PER_CLOCK_CHECK) {
              sinceClockCheck = 0;
              if (Date.now() > deadline) return ((busy[m] = mBusy), (retired[m] = mRetired), stopRun(req, ctx, retired, busy, 'timeout', `wall-clock limit of ${timeoutMs} ms reached`, end));
              if (yield) return ((busy[m] = mBusy), (retired[m] = mRetired), stopRun(req, ctx, retired, busy, 'interrupted', `interrupted after instruction #${pc}`, end));
            }
          }
        } finally {
          clock[m] = mClock;
          busy[m] = mBusy;
          retired[m] = mRetired;
          left[m] = mLeft;
        }
        next[m] = pc;
      }
    }
    const cycles = Math.max(clock[0]!, clock[1]!, clock[2]!);
    if (finished) return stopRun(req, ctx, retired, busy, 'ok', undefined, cycles);

    const blocked: BlockedInsn[] = [];
    for (let m = 0; m < 3; m++) {
      let pc = next[m]!;
      while (pc < count && (meta[pc]! & 3) !== m) pc++;
      if (pc >= count) continue;
      for (const q of [POP_FIRST[meta[pc]!]!, POP_SECOND[meta[pc]!]!]) {
        if (q >= 0 && qHead[q] === qTail[q]) blocked.push({ pc, module: MODULES[m]!, queue: QUEUE_NAMES[q]! });
      }
    }
    if (blocked.length === 0) return stopRun(req, ctx, retired, busy, 'crash', 'the program ended without a FINISH instruction', cycles);
    const what = blocked.map((b) => `instruction #${b.pc} (${b.module}) waits on empty queue ${b.queue}`).join('; ');
    return { ...stopRun(req, ctx, retired, busy, 'deadlock', `deadlock: ${what}`, cycles), blocked };
  } catch (e) {
    if (e instanceof FsimFault) return stopRun(req, ctx, retired, busy, 'crash', e.message, counters.cycles);
    throw e;
  }
}

/** The run's result: counters from the scheduler's per-module tallies, outputs read back from DRAM. */
function stopRun(req: RunRequest, ctx: ExecContext, retired: number[], busy: number[], status: RunResult['status'], message: string | undefined, cycles: number): RunResult {
  copyCounters(ctx.counters, retired, busy, cycles);
  return { status, ...(message === undefined ? {} : { message }), outputs: readOutputs(req.bundle, ctx.dram), counters: ctx.counters };
}

/** The scheduler's per-module tallies into the result's counters. */
function copyCounters(counters: Counters, retired: number[], busy: number[], cycles: number): void {
  counters.cycles = cycles;
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

/**
 * The scheduling loop: the load, compute and store modules each run their own in-order queue
 * (a cursor over the whole program that skips the other modules' instructions), gated by the four
 * dependency-token queues (pop before start, push after completion), in a fixed order within a
 * round (load, compute, store). A round in which nothing moves is a deadlock.
 *
 * The loop is a plain function over an explicit state object rather than a generator: it runs
 * until the run ends, or, when asked to pause, until the next clock check, and resumes from the
 * state where it stopped. A generator cost several nanoseconds per instruction on short
 * instructions (its frame's registers live in the generator object); here the module's tallies
 * are locals while it runs and go back to the state only when it stops.
 */
import type { RunRequest, RunResult } from '../../runtime/contract/target.js';
import { DEFAULT_RUN_TIMEOUT_MS } from '../../runtime/contract/target.js';
import { MODULES } from '../../runtime/isa/insn.js';
import { estimateCycles } from './cost.js';
import type { DecodedProgram, FieldDecoder } from './decoded.js';
import { executeAlu, executeGemm } from './exec-compute.js';
import type { ExecContext } from './exec-context.js';
import { executeLoad, executeStore } from './exec-memory.js';
import { FsimFault } from './fault-error.js';
import { fastAluOf, KERNEL_FAILED, NOT_HANDLED, type FastAlu } from './alu-fast.js';
import { INVALID, planTokens, POP_FIRST, POP_SECOND, PUSHES } from './tokens.js';
import type { Kernels } from './wasm/kernels.js';

/**
 * Reading the clock costs about as much as a short instruction, so the wall-clock limit is
 * checked once this many estimated cycles have run (a few milliseconds of work at most). The same
 * points are where a pausing run stops for its caller's event loop.
 */
const CYCLES_PER_CLOCK_CHECK = 1 << 16;

/** How a run stopped before its end (the caller builds the result: scheduler-result.ts). */
export type Stop = 'ok' | 'hang' | 'timeout' | 'crash' | 'stalled';

export interface Schedule {
  readonly ctx: ExecContext;
  readonly req: RunRequest;
  readonly raw: Uint8Array;
  readonly prog: DecodedProgram;
  readonly maxCycles: number;
  readonly timeoutMs: number;
  readonly deadline: number;
  readonly dropPushesAt: number;
  /** ALU instructions nothing watches take the generated path (alu-fast.ts) with these kernels. */
  readonly fastKernels: Kernels | undefined;
  readonly fastAlu: FastAlu;
  /** Per module: the cursor, its clock, busy cycles, retired and remaining instructions. */
  readonly next: number[];
  readonly clock: number[];
  readonly busy: number[];
  readonly retired: number[];
  readonly left: number[];
  /** Token queues: the cycle each token was pushed, FIFO; each has room for all its pushes, so none wraps. */
  readonly queue: Float64Array[];
  readonly qHead: number[];
  readonly qTail: number[];
  /** Where the loop stands: the module running, whether anything moved this round, FINISH retired. */
  m: number;
  progress: boolean;
  finished: boolean;
  sinceClockCheck: number;
  /** When the loop stopped: why, its message, the cycle it stopped at, the cursor just after the last retired instruction. */
  stop: Stop;
  message: string;
  stopCycle: number;
  stopPc: number;
}

export function createSchedule(ctx: ExecContext, req: RunRequest, raw: Uint8Array, prog: DecodedProgram): Schedule {
  const timeoutMs = req.limits?.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
  const { capacity, perModule, dropPushesAt } = planTokens(prog, ctx.fault);
  return {
    ctx,
    req,
    raw,
    prog,
    maxCycles: req.limits?.maxCycles ?? Infinity,
    timeoutMs,
    deadline: Date.now() + timeoutMs,
    dropPushesAt,
    fastKernels: ctx.fault === undefined && !ctx.trackAcc && !ctx.wantsIters ? ctx.sram.kernels : undefined,
    fastAlu: fastAluOf(ctx.p),
    next: [0, 0, 0],
    clock: [0, 0, 0],
    busy: [0, 0, 0],
    retired: [0, 0, 0],
    left: perModule.slice(),
    queue: capacity.map((n) => new Float64Array(n)),
    qHead: [0, 0, 0, 0],
    qTail: [0, 0, 0, 0],
    m: 0,
    progress: false,
    finished: false,
    sinceClockCheck: 0,
    stop: 'ok',
    message: '',
    stopCycle: 0,
    stopPc: 0,
  };
}

/**
 * Run the schedule until FINISH (true, stop 'ok'), a limit or a crash (true, `stop` says which), a
 * round in which nothing moved (true, 'stalled': a deadlock or no FINISH), or — when `pausing` —
 * the next clock check (false; call again to resume).
 */
export function runSchedule(s: Schedule, pausing: boolean): boolean {
  const { ctx, prog, raw, maxCycles, dropPushesAt, fastKernels, fastAlu, next, clock, busy, retired, left, queue, qHead, qTail } = s;
  const { p, sink, counters, insn } = ctx;
  const { meta, words } = prog;
  const [decLoad, decStore, decGemm, decFinish, decAlu] = prog.decoders as [FieldDecoder, FieldDecoder, FieldDecoder, FieldDecoder, FieldDecoder];
  const wantsRetire = sink.wantsEvents;
  let m = s.m;
  let progress = s.progress;
  let finished = s.finished;
  let sinceClockCheck = s.sinceClockCheck;
  // The running module's cursor and tallies, in locals while it runs; written back when it stops.
  let pc = 0;
  let mClock = 0;
  let mBusy = 0;
  let mRetired = 0;
  let mLeft = 0;
  try {
    for (;;) {
      for (; m < 3; m++) {
        pc = next[m]!;
        mClock = clock[m]!;
        mBusy = busy[m]!;
        mRetired = retired[m]!;
        mLeft = left[m]!;
        while (!finished && mLeft > 0) {
          // The module has an instruction at or after pc (left > 0).
          let mt = meta[pc]!;
          while ((mt & 3) !== m) mt = meta[++pc]!;
          let start = mClock;
          // Meta values above 3 have dependency flags (bits 2-5).
          if (mt > 3) {
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
          if (c < 0) {
            if (c === KERNEL_FAILED) ctx.sram.outOfRange('acc', ctx.sram.failedIndex[0]!, pc);
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
            else finished = true;
          }
          const end = start + c;
          mClock = end;
          mBusy += c;
          mRetired++;
          mLeft--;
          progress = true;
          if (mt > 3) {
            const push = PUSHES[mt]!;
            if (push && pc !== dropPushesAt) for (let q = 0; q < 4; q++) if (push & (1 << q)) queue[q]![qTail[q]!++] = end;
          }
          if (wantsRetire) sink.retire(pc, MODULES[m]!, end, raw.subarray(pc * 16, pc * 16 + 16));
          pc++;
          if (end > maxCycles) return stopAt(s, m, pc, mClock, mBusy, mRetired, mLeft, 'hang', `still running after ${maxCycles} cycles`, end);
          sinceClockCheck += c;
          if (sinceClockCheck >= CYCLES_PER_CLOCK_CHECK) {
            sinceClockCheck = 0;
            if (Date.now() > s.deadline) return stopAt(s, m, pc, mClock, mBusy, mRetired, mLeft, 'timeout', `wall-clock limit of ${s.timeoutMs} ms reached`, end);
            if (pausing) {
              s.progress = progress;
              s.finished = finished;
              s.sinceClockCheck = 0;
              stopAt(s, m, pc, mClock, mBusy, mRetired, mLeft, 'ok', '', end);
              return false;
            }
          }
        }
        next[m] = pc;
        clock[m] = mClock;
        busy[m] = mBusy;
        retired[m] = mRetired;
        left[m] = mLeft;
      }
      if (finished || !progress) break;
      progress = false;
      m = 0;
    }
    s.m = 3;
    s.finished = finished;
    s.stop = finished ? 'ok' : 'stalled';
    s.stopCycle = Math.max(clock[0]!, clock[1]!, clock[2]!);
    return true;
  } catch (e) {
    if (!(e instanceof FsimFault)) throw e;
    busy[m] = mBusy;
    retired[m] = mRetired;
    s.stop = 'crash';
    s.message = e.message;
    s.stopCycle = counters.cycles;
    return true;
  }
}

/** Write the running module's state back and record where and why the loop stopped; true (the run is over) unless it only pauses. */
function stopAt(s: Schedule, m: number, pc: number, mClock: number, mBusy: number, mRetired: number, mLeft: number, stop: Stop, message: string, cycle: number): boolean {
  s.m = m;
  s.next[m] = pc;
  s.clock[m] = mClock;
  s.busy[m] = mBusy;
  s.retired[m] = mRetired;
  s.left[m] = mLeft;
  s.stop = stop;
  s.message = message;
  s.stopCycle = cycle;
  s.stopPc = pc;
  return true;
}

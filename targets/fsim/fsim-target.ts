/**
 * fsim: the bit-accurate behavioural model. The load, compute and store modules each run their
 * own in-order instruction queue, gated by the four dependency-token queues (pop before start,
 * push after completion), so token mistakes show up as a deadlock naming the blocked instruction
 * instead of silent success (upstream fsim spins forever there). Module order within a round is
 * fixed (load, compute, store), so runs are deterministic.
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { insnBytes } from '../../runtime/bundle/bundle.js';
import { decodeInsn } from '../../runtime/isa/codec.js';
import { MODULES, moduleOf, queuesOf, type DepFlags, type DepQueue, type Insn, type Module } from '../../runtime/isa/insn.js';
import { InsnError } from '../../runtime/errors.js';
import { emptyCounters, type BlockedInsn, type RunRequest, type RunResult, type Target } from '../target.js';
import { estimateCycles } from './cost.js';
import { Dram } from './dram.js';
import { executeAlu, executeGemm } from './exec-compute.js';
import type { ExecContext } from './exec-context.js';
import { executeLoad, executeStore } from './exec-memory.js';
import { FsimFault } from './fault-error.js';
import { faultText, type Fault } from './faults.js';
import { Scratchpads } from './sram.js';

const POPS: (keyof DepFlags)[] = ['pop_prev_dep', 'pop_next_dep'];
const PUSHES: (keyof DepFlags)[] = ['push_prev_dep', 'push_next_dep'];
const FLAGS = [...POPS, ...PUSHES];

export interface FsimOptions {
  fault?: Fault;
}

export function createFsimTarget(opts: FsimOptions = {}): Target {
  return {
    name: opts.fault ? `fsim+${faultText(opts.fault)}` : 'fsim',
    run: async (req) => runFsim(req, opts.fault),
    close: async () => {},
  };
}

/** Token queues hold the cycle at which each token was pushed (FIFO). */
type Queues = Record<DepQueue, number[]>;

export function runFsim(req: RunRequest, fault?: Fault): RunResult {
  const { bundle, sink } = req;
  const p = bundle.params;
  const counters = emptyCounters();
  const dram = new Dram(bundle.buffers);
  const ctx: ExecContext = { p, sram: new Scratchpads(p), dram, sink, counters, fault };
  const outputs = () => readOutputs(bundle, dram);
  const maxCycles = req.limits?.maxCycles ?? Infinity;
  const deadline = req.limits?.timeoutMs ? Date.now() + req.limits.timeoutMs : Infinity;

  const raw = insnBytes(bundle);
  const program: Insn[] = [];
  const perModule: Record<Module, number[]> = { load: [], compute: [], store: [] };
  try {
    for (let pc = 0; pc < bundle.insnCount; pc++) {
      const insn = decodeInsn(p, raw, pc * 16, pc);
      program.push(insn);
      perModule[moduleOf(insn)].push(pc);
    }
  } catch (e) {
    if (e instanceof InsnError) return { status: 'crash', message: e.message, outputs: outputs(), counters };
    throw e;
  }

  const queues: Queues = { ld2cmp: [], cmp2ld: [], cmp2st: [], st2cmp: [] };
  const head: Record<Module, number> = { load: 0, compute: 0, store: 0 };
  const clock: Record<Module, number> = { load: 0, compute: 0, store: 0 };
  const busy: Record<Module, number> = { load: 0, compute: 0, store: 0 };
  counters.busy = busy;
  const plans = program.map((insn, pc) => planOf(insn, pc, fault));
  try {
    let finished = false;
    let progress = true;
    while (!finished && progress) {
      progress = false;
      for (const m of MODULES) {
        while (!finished && head[m] < perModule[m].length) {
          const pc = perModule[m][head[m]]!;
          const plan = plans[pc]!;
          if (plan.invalid) throw new FsimFault(pc, plan.invalid);
          const pops = plan.pops;
          if (pops.some((q) => queues[q].length === 0)) break;
          let start = clock[m];
          for (const q of pops) start = Math.max(start, queues[q].shift()!);
          const insn = program[pc]!;
          const cost = estimateCycles(p, insn);
          const end = start + cost;
          execute(ctx, insn, pc, end);
          clock[m] = end;
          busy[m] += cost;
          counters.insns[m]++;
          head[m]++;
          progress = true;
          for (const q of plan.pushes) queues[q].push(end);
          if (sink.wantsEvents) sink.retire(pc, m, end, raw.subarray(pc * 16, pc * 16 + 16));
          if (insn.opcode === 3) finished = true;
          if (end > maxCycles) {
            counters.cycles = end;
            return { status: 'hang', message: `still running after ${maxCycles} cycles`, outputs: outputs(), counters };
          }
          if (Date.now() > deadline) {
            counters.cycles = end;
            return { status: 'timeout', message: `wall-clock limit of ${req.limits!.timeoutMs} ms reached`, outputs: outputs(), counters };
          }
        }
      }
    }
    counters.cycles = Math.max(clock.load, clock.compute, clock.store);
    if (finished) return { status: 'ok', outputs: outputs(), counters };

    const blocked: BlockedInsn[] = [];
    for (const m of MODULES) {
      if (head[m] >= perModule[m].length) continue;
      const pc = perModule[m][head[m]]!;
      for (const q of plans[pc]!.pops) if (queues[q].length === 0) blocked.push({ pc, module: m, queue: q });
    }
    if (blocked.length === 0) {
      return { status: 'crash', message: 'the program ended without a FINISH instruction', outputs: outputs(), counters };
    }
    const what = blocked.map((b) => `instruction #${b.pc} (${b.module}) waits on empty queue ${b.queue}`).join('; ');
    return { status: 'deadlock', message: `deadlock: ${what}`, blocked, outputs: outputs(), counters };
  } catch (e) {
    if (e instanceof FsimFault) return { status: 'crash', message: e.message, outputs: outputs(), counters };
    throw e;
  }
}

/** What the scheduler needs of one instruction, worked out once before the run. */
interface Plan {
  pops: DepQueue[];
  pushes: DepQueue[];
  /** Set when a dependency flag names a queue the module does not have: a crash when executed. */
  invalid?: string;
}

function planOf(insn: Insn, pc: number, fault: Fault | undefined): Plan {
  const m = moduleOf(insn);
  const map = queuesOf(m);
  const plan: Plan = { pops: [], pushes: [] };
  for (const flag of FLAGS) {
    if (insn[flag] && !map[flag]) plan.invalid ??= `${flag} is set but the ${m} module has no such queue`;
  }
  for (const flag of POPS) if (insn[flag] && map[flag]) plan.pops.push(map[flag]);
  // The seeded bug drop-token makes an instruction forget its pushes.
  const dropped = fault?.kind === 'drop-token' && fault.pc === pc;
  if (!dropped) for (const flag of PUSHES) if (insn[flag] && map[flag]) plan.pushes.push(map[flag]);
  return plan;
}

function execute(ctx: ExecContext, insn: Insn, pc: number, cycle: number): void {
  switch (insn.opcode) {
    case 0:
      return executeLoad(ctx, insn, pc, cycle);
    case 1:
      return executeStore(ctx, insn, pc, cycle);
    case 2:
      return executeGemm(ctx, insn, pc, cycle);
    case 4:
      return executeAlu(ctx, insn, pc, cycle);
    case 3:
      return;
  }
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

/**
 * The one interface every target (fsim, tsim, fpga) implements. A test case or the CLI names a
 * target and a bundle; it never reaches into a target's internals.
 */
import type { ProgramBundle } from '../bundle/bundle.js';
import type { Module, DepQueue } from '../isa/insn.js';
import type { EventSink } from './events.js';

/** `interrupted`: stopped on request (RunRequest.signal), with what it reported so far. */
export type RunStatus = 'ok' | 'crash' | 'hang' | 'deadlock' | 'timeout' | 'interrupted';

export interface Counters {
  /** Cycles from launch to FINISH (fsim: its own step count, see targets/fsim/README.md). */
  cycles: number;
  insns: Record<Module, number>;
  /** Bytes moved per buffer (loads) and to DRAM (out stores); padding not counted. */
  bytes: { uop: number; inp: number; wgt: number; acc: number; out: number };
  /** GEMM micro-op iterations (non-reset) and ALU micro-op iterations, as upstream's profiler counts them. */
  gemmOps: number;
  aluOps: number;
  /**
   * ACC rows written by GEMM and ALU micro-op iterations, one per iteration, reset GEMMs included
   * (LOAD ACC not): fsim's own count, what a VCR's ACC row-write counter must read.
   */
  accRowWrites?: number;
  /** Cycles each module was busy executing an instruction (optional for targets that cannot tell). */
  busy?: Record<Module, number>;
}

/** An instruction that cannot proceed because a token queue is empty. */
export interface BlockedInsn {
  pc: number;
  module: Module;
  queue: DepQueue;
}

export interface RunResult {
  status: RunStatus;
  /** Human-readable reason for any status other than ok. */
  message?: string;
  /** For deadlock (and hang where known): what each stuck module waits for. */
  blocked?: BlockedInsn[];
  /** The bundle's output ranges as read back after the run (possibly partial on failure). */
  outputs: { name: string; addr: number; bytes: Uint8Array }[];
  counters: Counters;
}

/**
 * The wall-clock limit of a run whose caller gives none: every target applies it (fsim, tsim;
 * the board agent has the same default), so no run waits forever. `--timeout-ms` sets another.
 */
export const DEFAULT_RUN_TIMEOUT_MS = 30 * 60_000;

export interface RunLimits {
  /** A run still going after this many target cycles is a hang. */
  maxCycles?: number;
  /** Wall-clock limit for the run (default DEFAULT_RUN_TIMEOUT_MS); past it the status is timeout. */
  timeoutMs?: number;
}

export interface RunRequest {
  bundle: ProgramBundle;
  sink: EventSink;
  limits?: RunLimits;
  /**
   * When given, the caller's event loop must keep turning during the run (targets that compute on
   * the caller's thread pause every few milliseconds), and once it is aborted the run ends
   * promptly as `interrupted`. tracer/trace-run.ts gives one so that SIGINT / SIGTERM are heard.
   */
  signal?: AbortSignal;
}

/** Which design a run ran (recorded with it, docs/trace-schema.md): a label, its description file, a hash of its sources. */
export interface DesignRecord {
  label: string;
  /** The design description file, when the design came from one. */
  file?: string;
  /** sha256 over the sources and probe map the build compiled (rtl-source.ts rtlSourcesHash). */
  sourcesHash: string;
}

export interface Target {
  /** e.g. "fsim", "tsim", "fpga:board1". */
  readonly name: string;
  run(req: RunRequest): Promise<RunResult>;
  /**
   * Throws a VtaUserError when this target cannot run the bundle as asked (fsim with a seeded
   * fault aimed at an instruction the program does not have): called before a run is recorded.
   */
  check?(bundle: ProgramBundle): void;
  /**
   * Gets ready to run this bundle (a simulator target builds its model) and says which design
   * it runs. Called before a run is recorded, so a design that cannot be built is an error of the
   * command, not a crashed run.
   */
  prepareRun?(bundle: ProgramBundle): Promise<DesignRecord | undefined>;
  /**
   * True when the target reports what its LOADs read from DRAM (EventSink.read, the dram.load
   * stream); absent or false: it cannot (a board that sees no memory traffic), and the divergence
   * engine leaves the stream out of any comparison with it (docs/trace-schema.md §DRAM reads).
   */
  readonly recordsDramReads?: boolean;
  close(): Promise<void>;
}

export function emptyCounters(): Counters {
  return {
    cycles: 0,
    insns: { load: 0, compute: 0, store: 0 },
    bytes: { uop: 0, inp: 0, wgt: 0, acc: 0, out: 0 },
    gemmOps: 0,
    aluOps: 0,
  };
}

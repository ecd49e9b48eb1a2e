/**
 * The VCR counters a tsim run read after FINISH, by name: `cycles` (0x04) and `acc_row_writes`
 * (0x24), which the harness always reads, then the probe map's `counters`. Which of them count
 * what this tool means by the name is the design's to say (the probe map's `compareCounters`):
 * upstream's Chisel VCR has other counters at other offsets, so nothing is assumed.
 */
import type { Counters } from '../../runtime/contract/target.js';
import { MODULES, type Module } from '../../runtime/isa/insn.js';
import type { ProbeMap } from './probe-map.js';
import type { Done } from './protocol.js';

export interface VcrCounters {
  /** The harness's count of the run's cycles: from its first host write to the reply of the last read after done. */
  harnessCycles: number;
  /** Every counter read, by name. */
  values: Record<string, number>;
  /** The names the design declares comparable (probe map `compareCounters`). */
  compared: string[];
  /** Bytes a memory beat carries (the memory port's data width). */
  beatBytes: number;
  /** The configuration has the trace unit (then our compute path is a single pipe). */
  traceUnit: boolean;
}

export function vcrCountersOf(map: ProbeMap, done: Done, dataBits: number, traceUnit: boolean): VcrCounters {
  const values: Record<string, number> = { cycles: done.vcrCycles, acc_row_writes: done.accWrites };
  map.counters.forEach((c, i) => (values[c.name] = done.extra[i] ?? 0));
  return { harnessCycles: done.cycles, values, compared: [...(map.compareCounters ?? [])], beatBytes: dataBits / 8, traceUnit };
}

/**
 * Harness cycles outside the VCR's launch-to-FINISH count: its host writes before launch (8, or
 * 10 with a trace ring), the CTRL polls' latency, the counter reads after done and, with a trace
 * unit, the records still leaving after FINISH. Measured 23–25 cycles without and 29–31 with the
 * unit on random programs and builder workloads of the small configuration (2026-12-07, the
 * measurement in docs of targets/tsim/README.md §VCR counters); twice the most, rounded up.
 */
export const HARNESS_CYCLE_SLACK = 64;

/**
 * What a run's VCR counters must read, from fsim's run of the same bundle (its own counts, not the
 * RTL's): exact where fsim's count is the same quantity, bounds where the RTL's timing decides.
 * One message per counter that breaks its rule, naming the counter and both values; only counters
 * the design declares comparable are checked.
 */
export function vcrCounterProblems(vcr: VcrCounters, fsim: Counters): string[] {
  const problems: string[] = [];
  const has = (n: string) => vcr.compared.includes(n) && vcr.values[n] !== undefined;
  const v = (n: string) => vcr.values[n]!;
  const exact = (n: string, want: number | undefined, what: string) => {
    if (has(n) && want !== undefined && v(n) !== want) problems.push(`VCR counter ${n} reads ${v(n)}, fsim counts ${want} ${what}`);
  };
  exact('gemm_iterations', fsim.gemmOps, 'GEMM micro-op iterations (reset ones excluded)');
  exact('alu_iterations', fsim.aluOps, 'ALU micro-op iterations');
  exact('acc_row_writes', fsim.accRowWrites, 'ACC row writes by GEMM and ALU iterations');
  const atLeast = (n: string, low: number, why: string) => {
    if (has(n) && v(n) < low) problems.push(`VCR counter ${n} reads ${v(n)}, below ${low} (${why})`);
  };
  const atMost = (n: string, high: number, why: string) => {
    if (has(n) && v(n) > high) problems.push(`VCR counter ${n} reads ${v(n)}, above ${high} (${why})`);
  };
  if (has('cycles')) {
    atMost('cycles', vcr.harnessCycles, "the harness's own count of the run's cycles");
    atLeast('cycles', vcr.harnessCycles - HARNESS_CYCLE_SLACK, `the harness counted ${vcr.harnessCycles} cycles, at most ${HARNESS_CYCLE_SLACK} of them outside launch to FINISH`);
  }
  // A beat carries at most beatBytes bytes. Reads: every instruction is fetched (LOAD bytes are
  // not a bound: fsim's byte counts exceed the beats our RTL takes on some random programs, e.g.
  // random#1@small reads 99 beats where fsim counts 808 bytes, so they are left out).
  const beats = (bytes: number) => Math.ceil(bytes / vcr.beatBytes);
  const b = fsim.bytes;
  const fetched = (fsim.insns.load + fsim.insns.compute + fsim.insns.store) * 16;
  atLeast('read_beats', beats(fetched), `the ${fetched / 16} instructions fetched are ${fetched} bytes, ${vcr.beatBytes} a beat`);
  atLeast('write_beats', beats(b.out), `fsim stored ${b.out} bytes, ${vcr.beatBytes} a beat`);
  // Busy counters: within the run; compute is busy while it writes ACC rows (at most `pipes` a
  // cycle: two pipes unless TRACE_UNIT makes the compute path single), store while its bytes leave.
  const cycles = has('cycles') ? v('cycles') : undefined;
  const pipes = vcr.traceUnit ? 1 : 2;
  const busyLow: Partial<Record<Module, [number, string]>> = {
    compute: [Math.ceil((fsim.accRowWrites ?? 0) / pipes), `fsim wrote ${fsim.accRowWrites ?? 0} ACC rows, at most ${pipes} a cycle`],
    store: [beats(b.out), `fsim stored ${b.out} bytes, at most ${vcr.beatBytes} a cycle`],
  };
  for (const m of MODULES) {
    const n = `busy_${m}`;
    if (cycles !== undefined) atMost(n, cycles, 'the cycles counter: a module is busy only while the core runs');
    const low = busyLow[m];
    if (low) atLeast(n, low[0], low[1]);
  }
  return problems;
}

/** What every instruction executor needs: the instruction's fields, state, the event sink and the counters. */
import type { VtaParams } from '../../runtime/config/config.js';
import type { AluOp } from './alu-ops.js';
import type { EventSink } from '../../runtime/contract/events.js';
import type { Counters } from '../../runtime/contract/target.js';
import type { Dram } from './dram.js';
import type { Fault } from './faults.js';
import type { LoopNest } from './loop-nest.js';
import type { Scratchpads } from './sram.js';
import type { TouchedRows } from './touched-rows.js';
import type { UopFields } from './uop-fields.js';

export interface ExecContext {
  p: VtaParams;
  /** The executing instruction's fields (slots.ts), decoded into the same array for every instruction. */
  insn: Int32Array;
  sram: Scratchpads;
  /** Micro-op field positions, looked up once per run rather than once per instruction. */
  uop: UopFields;
  /** Scratch for the GEMM / ALU loop fields, reused by every instruction. */
  nest: LoopNest;
  /** The ACC rows the executing GEMM / ALU wrote, when events are wanted; reused by every instruction. */
  touched: TouchedRows;
  dram: Dram;
  sink: EventSink;
  counters: Counters;
  fault?: Fault;
  /** Fixed for the run, read once rather than per instruction: the sink wants ACC writes; it wants per-iteration records. */
  trackAcc: boolean;
  wantsIters: boolean;
  /** ALU opcode → operation for this configuration (undefined: not defined), after any seeded alu-op fault. */
  aluOps: readonly (AluOp | undefined)[];
}

/**
 * The trace event model shared by every target and the tracer (docs/trace-schema.md).
 *
 * Events belong to streams whose order is the same on every target; what is compared is the
 * payload, never the cycle. Buffer-write streams are canonical per instruction: one event per
 * (stream, address) holding the value the instruction left behind, in ascending address order.
 */
import type { Module } from '../isa/insn.js';
import type { WasmMemory } from '../wasm/api.js';

export const STREAMS = [
  'insn.load',
  'insn.compute',
  'insn.store',
  'sram.uop',
  'sram.inp',
  'sram.wgt',
  'sram.acc',
  'sram.out',
  'dram.store',
  'gemm.iter',
  'alu.iter',
  'dram.load',
] as const;
export type Stream = (typeof STREAMS)[number];
/** Numeric id of a stream (its index in STREAMS): stored in SQLite and hashed into digests. */
export const STREAM_ID: Readonly<Record<Stream, number>> = Object.fromEntries(STREAMS.map((s, i) => [s, i])) as Record<
  Stream,
  number
>;

export type WriteStream = 'sram.uop' | 'sram.inp' | 'sram.wgt' | 'sram.acc' | 'sram.out' | 'dram.store';
export type IterStream = 'gemm.iter' | 'alu.iter';
/**
 * What a LOAD read from DRAM (docs/trace-schema.md §DRAM reads). Targets report byte ranges as
 * they read them (read()); the recorder canonicalises them per instruction into the extents the
 * stream stores. Never digested: it explains a divergence of the buffer writes, it is not one.
 */
export type ReadStream = 'dram.load';
export type BufferName = 'uop' | 'inp' | 'wgt' | 'acc' | 'out';
export const BUFFER_NAMES: readonly BufferName[] = ['uop', 'inp', 'wgt', 'acc', 'out'];

export function retireStream(m: Module): Stream {
  return m === 'load' ? 'insn.load' : m === 'compute' ? 'insn.compute' : 'insn.store';
}

export interface TraceEvent {
  stream: Stream;
  /** Program index of the instruction the event belongs to. */
  pc: number;
  /** The target's cycle (fsim: its own step count). Recorded, never compared. */
  cycle: number;
  /**
   * sram.*: element index; dram.store: byte address; *.iter: iteration ordinal within the
   * instruction ((y·iter_in + x)·(uop_end − uop_bgn) + (u − uop_bgn)); insn.*: −1.
   */
  addr: number;
  /**
   * insn.*: the 16 instruction bytes; sram.*: the element's bytes; dram.store: the bytes written;
   * *.iter: u32 LE dst, src, wgt indices then the resulting ACC element bytes.
   */
  data: Uint8Array;
}

/**
 * What a target calls while it runs. A target reports every write of an instruction (any order,
 * repeats allowed: the last value of an address wins) before that instruction's retire.
 * Payloads need only stay valid during the call (a sink copies what it keeps), so a target may
 * hand views of its own memory instead of copies.
 */
export interface EventSink {
  /** False when nothing but outputs is wanted: targets may then skip reporting writes and retires. */
  readonly wantsEvents: boolean;
  /** False unless gemm.iter / alu.iter are wanted (they are expensive). */
  readonly wantsIters: boolean;
  write(stream: WriteStream, pc: number, cycle: number, addr: number, data: Uint8Array): void;
  /**
   * Optional, and only a faster spelling of `count` write calls: element k (k < count) at
   * address first + k·addrStep with payload bytes[k·elemLen, (k+1)·elemLen). Targets that write
   * whole rows of a buffer report them this way when the sink has it (one call instead of one per
   * element), and call `write` per element otherwise (`writeRun` below). `cycles`, when given,
   * holds each element's own cycle (a target that wrote the run over several cycles, as the RTL
   * does one element per cycle); `cycle` is then the first one's.
   */
  writeRun?(stream: WriteStream, pc: number, cycle: number, first: number, addrStep: number, count: number, elemLen: number, bytes: Uint8Array, cycles?: Float64Array): void;
  iter(stream: IterStream, pc: number, cycle: number, ordinal: number, data: Uint8Array): void;
  retire(pc: number, module: Module, cycle: number, insn: Uint8Array): void;
  /**
   * Optional: LOAD `pc` read DRAM bytes [addr, addr + bytes) (any order, repeats and overlaps
   * allowed; the recorder keeps their union). Targets that read through a bus report what the bus
   * read (whole beats); fsim reports each data row widened to whole beats of BUS_WIDTH_BYTES. Only
   * called when `wantsReads(sink)`.
   */
  read?(pc: number, cycle: number, addr: number, bytes: number): void;
  /** Optional: true when read() reports are kept (a mode that stores dram.load). */
  readonly wantsReads?: boolean;
  /**
   * Optional: false when writes of `stream` would be dropped (neither stored nor digested, e.g.
   * a buffer left out by --buffers), so a target may skip reporting them and the work of finding
   * them. Reporting them anyway is never wrong. Only asked when `wantsEvents`.
   */
  wants?(stream: WriteStream): boolean;
  /**
   * Optional, said once before the run's first event: the payload views the target hands over
   * (some or all of them) lie in this WebAssembly memory, and bytes [scratchAt, scratchAt +
   * scratchLen) of it are the sink's to use during any call (the target keeps nothing there), so
   * a sink may hash payloads where they are instead of copying them. The memory is the target's
   * only until the run ends; a sink must not touch it afterwards.
   */
  payloadMemory?(memory: WasmMemory, scratchAt: number, scratchLen: number): void;
}

/** Whether `sink` takes writes of `stream` (see EventSink.wants). */
export function wantsWrites(sink: EventSink, stream: WriteStream): boolean {
  return sink.wantsEvents && (sink.wants?.(stream) ?? true);
}

/** Whether `sink` takes DRAM read reports (EventSink.read). */
export function wantsReads(sink: EventSink): boolean {
  return sink.wantsEvents && sink.wantsReads === true && sink.read !== undefined;
}

/** Report a run of elements to any sink: one writeRun call when it has one, else one write per element. */
export function writeRun(
  sink: EventSink,
  stream: WriteStream,
  pc: number,
  cycle: number,
  first: number,
  addrStep: number,
  count: number,
  elemLen: number,
  bytes: Uint8Array,
  cycles?: Float64Array,
): void {
  if (sink.writeRun) {
    sink.writeRun(stream, pc, cycle, first, addrStep, count, elemLen, bytes, cycles);
    return;
  }
  for (let k = 0; k < count; k++) sink.write(stream, pc, cycles ? cycles[k]! : cycle, first + k * addrStep, bytes.subarray(k * elemLen, (k + 1) * elemLen));
}

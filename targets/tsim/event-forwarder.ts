/**
 * Turning the simulator's event batches (protocol.ts) into EventSink calls, shared by tsim and
 * by the fpga target (whose emulated board streams the same batches). The simulator reports
 * retires per module, not program indices: an event belongs to the instruction its module is
 * executing, found from the module's list of program indices (program-view.ts).
 */
import { MODULES, type Module } from '../../runtime/isa/insn.js';
import { STREAMS, type BufferName, type EventSink, type IterStream, type WriteStream } from '../../tracer/events.js';
import { BUFFER_OWNER } from './probe-map.js';
import { forEachEvent } from './protocol.js';
import type { ProgramView } from './program-view.js';

/** Which module's instruction an event of each stream belongs to (fixtures/probe-maps/README.md). */
const STREAM_OWNER: Module[] = STREAMS.map((s) =>
  s === 'dram.store' ? 'store' : s.startsWith('sram.') ? BUFFER_OWNER[s.slice(5) as BufferName] : 'compute',
);
const DRAM_STORE = STREAMS.indexOf('dram.store');

/**
 * A batch handler that forwards to `sink`, counting retires per module in `retired`.
 * `dramAddress` maps a DRAM store's address to the bundle's address space, or to undefined for a
 * write that is not the program's (a board's trace ring); by default addresses pass unchanged.
 */
export function eventForwarder(
  sink: EventSink,
  view: ProgramView,
  retired: Record<Module, number>,
  insnCount: number,
  dramAddress?: (addr: number) => number | undefined,
): (batch: Buffer) => void {
  const pcOf = (m: Module, k: number) => view.pcs[m][k] ?? insnCount + k;
  return (batch) =>
    forEachEvent(batch, (r) => {
      if (r.kind === 'retire') {
        const m = MODULES[r.module]!;
        sink.retire(pcOf(m, retired[m]++), m, r.cycle, r.insn);
        return;
      }
      const pc = pcOf(STREAM_OWNER[r.stream]!, retired[STREAM_OWNER[r.stream]!]);
      if (r.kind === 'iter') return sink.iter(STREAMS[r.stream] as IterStream, pc, r.cycle, r.ordinal, r.data);
      const addr = r.stream === DRAM_STORE && dramAddress ? dramAddress(r.addr) : r.addr;
      if (addr !== undefined) sink.write(STREAMS[r.stream] as WriteStream, pc, r.cycle, addr, r.data);
    });
}

/**
 * Turning the simulator's event batches (protocol.ts) into EventSink calls, shared by tsim and
 * by the fpga target (whose emulated board streams the same batches). The simulator reports
 * retires per module, not program indices: an event belongs to the instruction its module is
 * executing, found from the module's list of program indices (program-view.ts).
 */
import { MODULES, type Module } from '../../runtime/isa/insn.js';
import { STREAMS, type BufferName, type EventSink, type IterStream } from '../../runtime/contract/events.js';
import { BUFFER_OWNER } from './probe-map.js';
import { scanEvents } from './protocol.js';
import type { ProgramView } from './program-view.js';
import { WriteRuns } from './write-runs.js';

/** Which module's instruction an event of each stream belongs to (fixtures/probe-maps/README.md). */
const STREAM_OWNER: Module[] = STREAMS.map((s) =>
  s === 'dram.store' ? 'store' : s.startsWith('sram.') ? BUFFER_OWNER[s.slice(5) as BufferName] : 'compute',
);
const DRAM_STORE = STREAMS.indexOf('dram.store');

/**
 * A batch handler that forwards to `sink`, counting retires per module in `retired`.
 * `dramAddress` maps a DRAM store's address to the bundle's address space, or to undefined for a
 * write that is not the program's (a board's trace ring); by default addresses pass unchanged.
 * SRAM writes of one instruction at a constant address step reach the sink as runs (write-runs.ts).
 */
export function eventForwarder(
  sink: EventSink,
  view: ProgramView,
  retired: Record<Module, number>,
  insnCount: number,
  dramAddress?: (addr: number) => number | undefined,
): (batch: Buffer) => void {
  const pcOf = (m: Module, k: number) => view.pcs[m][k] ?? insnCount + k;
  const runs = new WriteRuns(sink);
  return (b) => {
    scanEvents(b, {
      retire(module, cycle, at) {
        runs.flush();
        const m = MODULES[module]!;
        sink.retire(pcOf(m, retired[m]++), m, cycle, b.subarray(at, at + 16));
      },
      write(stream, cycle, addr, at, len) {
        const pc = pcOf(STREAM_OWNER[stream]!, retired[STREAM_OWNER[stream]!]);
        if (stream !== DRAM_STORE) return runs.add(stream, pc, cycle, addr, b, at, len);
        runs.flush();
        const mapped = dramAddress ? dramAddress(addr) : addr;
        if (mapped !== undefined) sink.write('dram.store', pc, cycle, mapped, b.subarray(at, at + len));
      },
      read(module, cycle, addr, bytes) {
        runs.flush();
        const m = MODULES[module]!;
        const mapped = dramAddress ? dramAddress(addr) : addr;
        if (mapped !== undefined) sink.read?.(pcOf(m, retired[m]), cycle, mapped, bytes);
      },
      iter(stream, cycle, ordinal, at, len) {
        runs.flush();
        const pc = pcOf(STREAM_OWNER[stream]!, retired[STREAM_OWNER[stream]!]);
        sink.iter(STREAMS[stream] as IterStream, pc, cycle, ordinal, b.subarray(at, at + len));
      },
    });
    runs.flush();
  };
}

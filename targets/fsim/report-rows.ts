/**
 * Reporting written scratchpad rows to the event sink: a run of consecutive elements goes out as
 * one view of the scratchpad (no copy; the sink copies what it keeps), in one call when the sink
 * takes runs.
 */
import { writeRun, type WriteStream } from '../../runtime/contract/events.js';
import type { ExecContext } from './exec-context.js';
import type { SramBuffer } from './sram.js';

/** Elements [first, first + count) of `buffer`, with their current values, as events of instruction `pc`. */
export function reportRows(c: ExecContext, buffer: SramBuffer, pc: number, cycle: number, first: number, count: number): void {
  if (count <= 0) return;
  const stream: WriteStream = `sram.${buffer}`;
  writeRun(c.sink, stream, pc, cycle, first, 1, count, c.sram.elemBytes(buffer), c.sram.rows(buffer, first, count));
}

/** What every instruction executor needs: state, the event sink and the counters. */
import type { VtaParams } from '../../runtime/config/config.js';
import type { EventSink } from '../../tracer/events.js';
import type { Counters } from '../target.js';
import type { Dram } from './dram.js';
import type { Fault } from './faults.js';
import type { Scratchpads } from './sram.js';

export interface ExecContext {
  p: VtaParams;
  sram: Scratchpads;
  dram: Dram;
  sink: EventSink;
  counters: Counters;
  fault?: Fault;
}

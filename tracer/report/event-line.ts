/**
 * One event as one line of text: the form used by `vta-trace show`, by the context diff of a
 * report, and by the GNU-diff comparison of the benchmark. Cycles are left out on purpose: they
 * are never compared, and keeping them would make every line of two targets differ.
 */
import type { VtaParams } from '../../runtime/config/config.js';
import { insnHex } from '../../runtime/isa/codec.js';
import { laneLayout, lanesOf } from '../diverge/lanes.js';
import type { WindowEvent } from '../diverge/window-events.js';

export function formatEvent(params: VtaParams, e: WindowEvent): string {
  if (e.addr === -1) return `#${e.pc} ${e.stream} retire ${insnHex(e.data)}`;
  const where = e.stream === 'dram.store' ? `0x${e.addr.toString(16)}` : `@${e.addr}`;
  return `#${e.pc} ${e.stream} ${where} [${lanesOf(laneLayout(params, e.stream), e.data).join(' ')}]`;
}

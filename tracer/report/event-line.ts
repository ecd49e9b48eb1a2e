/**
 * One event as one line of text: the form used by `vta-trace show`, by the context diff of a
 * report, and by the GNU-diff comparison of the benchmark. Cycles are left out on purpose: they
 * are never compared, and keeping them would make every line of two targets differ.
 */
import type { VtaParams } from '../../runtime/config/config.js';
import { insnHex } from '../../runtime/isa/codec.js';
import { laneLayout, lanesOf } from '../diverge/lanes.js';
import type { WindowEvent } from '../diverge/window-events.js';
import { withGaps } from './lane-window.js';

/**
 * `shown`: print only these lanes, `…` for the rest (a report's wide rows, lane-window.ts); a
 * run that does not start at lane 0 names its first lane (`[… 5: 7 9 …]`). All lanes without it.
 */
export function formatEvent(params: VtaParams, e: WindowEvent, shown?: readonly number[]): string {
  if (e.addr === -1) return `#${e.pc} ${e.stream} retire ${insnHex(e.data)}`;
  if (e.stream === 'dram.load') {
    const [addr, bytes] = lanesOf(laneLayout(params, e.stream), e.data) as [number, number];
    const hex = (n: number) => `0x${n.toString(16).padStart(8, '0')}`;
    return `#${e.pc} dram.load extent ${e.addr} ${hex(addr)}–${hex(addr + bytes - 1)} (${bytes} bytes)`;
  }
  const where = e.stream === 'dram.store' ? `0x${e.addr.toString(16)}` : `@${e.addr}`;
  const lanes = lanesOf(laneLayout(params, e.stream), e.data);
  return `#${e.pc} ${e.stream} ${where} [${shown ? cutLanes(lanes, shown) : lanes.join(' ')}]`;
}

function cutLanes(lanes: number[], shown: readonly number[]): string {
  const inRow = shown.filter((i) => i < lanes.length);
  const cells = withGaps(lanes.length, inRow);
  return cells.map((c, k) => (c === null ? '…' : k > 0 && cells[k - 1] === null ? `${c}: ${lanes[c]}` : String(lanes[c]))).join(' ');
}

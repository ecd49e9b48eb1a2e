/**
 * A stored run's events as rows for browsing (`vta-trace show`): each event with its lanes, and a
 * retire with its instruction disassembled and its source-map entry; as text lines, JSON objects
 * or CSV (RFC 4180: a field with a comma, quote or line break is quoted, quotes doubled).
 */
import type { SourceMapEntry } from '../../runtime/bundle/bundle.js';
import type { VtaParams } from '../../runtime/config/config.js';
import { decodeInsn } from '../../runtime/isa/codec.js';
import { disassemble } from '../../runtime/isa/disasm.js';
import { laneLayout, lanesOf } from '../diverge/lanes.js';
import type { WindowEvent } from '../diverge/window-events.js';
import type { Stream } from '../../runtime/contract/events.js';
import { formatEvent } from './event-line.js';
import { sourceText } from './source-text.js';

export interface EventRow {
  pc: number;
  stream: Stream;
  /** Element index, byte address (dram.store), −1 for a retire. */
  addr: number;
  cycle: number;
  /** Payload lanes (lanes.ts); for a retire, the instruction's bytes. */
  lanes: number[];
  /** Retires only: the instruction disassembled, and its source-map entry. */
  disasm?: string;
  source?: SourceMapEntry | null;
}

export function eventRows(params: VtaParams, events: WindowEvent[], sourceOf: (pc: number) => SourceMapEntry | null): EventRow[] {
  return events.map((e) => {
    const row: EventRow = { pc: e.pc, stream: e.stream, addr: e.addr, cycle: e.cycle, lanes: lanesOf(laneLayout(params, e.stream), e.data) };
    if (e.addr === -1) {
      row.disasm = disasmOf(params, e.data, e.pc);
      row.source = sourceOf(e.pc);
    }
    return row;
  });
}

function disasmOf(params: VtaParams, bytes: Uint8Array, pc: number): string {
  try {
    return disassemble(params, decodeInsn(params, bytes, 0, pc));
  } catch (e) {
    return `(undecodable: ${(e as Error).message})`;
  }
}

/** The text line of `show`: the event as reports print it, its cycle, and for a retire the instruction and its source. */
export function rowLine(params: VtaParams, e: WindowEvent, row: EventRow): string {
  const base = `${formatEvent(params, e)}  (cycle ${row.cycle})`;
  return row.disasm === undefined ? base : `${base}  ${row.disasm}  ; ${sourceText(row.source ?? null)}`;
}

export const CSV_HEADER = ['pc', 'stream', 'addr', 'cycle', 'disasm', 'source', 'lanes'] as const;

function csvField(v: string | number): string {
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record per row; lanes space-separated in one field. */
export function csvLines(rows: EventRow[]): string[] {
  return [
    CSV_HEADER.join(','),
    ...rows.map((r) => [r.pc, r.stream, r.addr, r.cycle, r.disasm ?? '', r.disasm === undefined ? '' : sourceText(r.source ?? null), r.lanes.join(' ')].map(csvField).join(',')),
  ];
}

/**
 * How an event's payload splits into lanes for the report (vta-isa.md §5.1: lane k of an element
 * at bit offset k·width, little-endian). Buffers hold signed integers; micro-ops, instructions
 * and iteration indices are shown unsigned.
 */
import type { VtaParams } from '../../runtime/config/config.js';
import type { Stream } from '../../runtime/contract/events.js';

export interface LaneLayout {
  /** Bits per lane. */
  width: number;
  signed: boolean;
  /** Leading u32 fields before the lanes (iteration events: dst, src, wgt indices). */
  headerWords: number;
}

export function laneLayout(p: VtaParams, stream: Stream): LaneLayout {
  switch (stream) {
    case 'sram.inp':
      return { width: p.inpWidth, signed: true, headerWords: 0 };
    case 'sram.wgt':
      return { width: p.wgtWidth, signed: true, headerWords: 0 };
    case 'sram.acc':
      return { width: p.accWidth, signed: true, headerWords: 0 };
    case 'sram.out':
    case 'dram.store':
      return { width: p.outWidth, signed: true, headerWords: 0 };
    case 'sram.uop':
    case 'dram.load':
      // dram.load: the extent's first byte address and byte count.
      return { width: 32, signed: false, headerWords: 0 };
    case 'gemm.iter':
    case 'alu.iter':
      return { width: p.accWidth, signed: true, headerWords: 3 };
    default:
      return { width: 8, signed: false, headerWords: 0 };
  }
}

function readBits(data: Uint8Array, bitOffset: number, width: number): number {
  if ((bitOffset & 7) === 0 && (width & 7) === 0 && width <= 32) {
    // Whole bytes (the common 8- and 32-bit lanes): read them directly.
    let v = 0;
    const first = bitOffset >> 3;
    for (let b = (width >> 3) - 1; b >= 0; b--) v = v * 256 + data[first + b]!;
    return v;
  }
  let v = 0;
  for (let i = 0; i < width; i++) {
    const bit = bitOffset + i;
    if (data[bit >> 3]! & (1 << (bit & 7))) v += 2 ** i;
  }
  return v;
}

/** The lanes of a payload (header words first, as unsigned numbers). */
export function lanesOf(layout: LaneLayout, data: Uint8Array): number[] {
  const out: number[] = [];
  for (let h = 0; h < layout.headerWords && 4 * h + 4 <= data.length; h++) out.push(readBits(data, 32 * h, 32));
  const startBit = 32 * layout.headerWords;
  for (let bit = startBit; bit + layout.width <= data.length * 8; bit += layout.width) {
    const u = readBits(data, bit, layout.width);
    out.push(layout.signed && u >= 2 ** (layout.width - 1) ? u - 2 ** layout.width : u);
  }
  return out;
}

/** Indices of lanes whose values differ between two payloads (all lanes when one is absent). */
export function differingLanes(a: number[] | undefined, b: number[] | undefined): number[] {
  const n = Math.max(a?.length ?? 0, b?.length ?? 0);
  const out: number[] = [];
  for (let i = 0; i < n; i++) if (a?.[i] !== b?.[i]) out.push(i);
  return out;
}

/**
 * The DRAM image seen by fsim: the bundle's buffers copied (the bundle itself is never mutated),
 * found by physical address. An access outside every buffer is a program error.
 */
import type { DramBuffer } from '../../runtime/bundle/bundle.js';
import { FsimFault } from './fault-error.js';

interface Region {
  addr: number;
  end: number;
  bytes: Uint8Array;
}

export class Dram {
  private readonly regions: Region[];

  constructor(buffers: readonly DramBuffer[]) {
    this.regions = buffers
      .map((b) => ({ addr: b.addr, end: b.addr + b.bytes.length, bytes: new Uint8Array(b.bytes) }))
      .sort((a, b) => a.addr - b.addr);
  }

  /**
   * The bytes [addr, addr+len) as a view into the owning buffer, or undefined when no single
   * buffer holds them all. Executors ask once per row and fall back to element by element, so
   * that a row running off a buffer still fails at the exact element upstream would.
   */
  span(addr: number, len: number): Uint8Array | undefined {
    // Buffers are few; a linear scan keeps this simple (it runs once per row, not per lane).
    for (const r of this.regions) {
      if (addr >= r.addr && addr + len <= r.end) return r.bytes.subarray(addr - r.addr, addr - r.addr + len);
    }
    return undefined;
  }

  /** Like span, but an access outside every buffer is the program error of instruction `pc`. */
  view(addr: number, len: number, pc: number): Uint8Array {
    const v = this.span(addr, len);
    if (v) return v;
    throw new FsimFault(pc, `DRAM access [0x${addr.toString(16)}, 0x${(addr + len).toString(16)}) is outside every buffer of the bundle`);
  }

  read(addr: number, len: number): Uint8Array {
    return Uint8Array.from(this.view(addr, len, -1));
  }
}

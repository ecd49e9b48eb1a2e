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
      .map((b) => ({ addr: b.addr, end: b.addr + b.bytes.length, bytes: Uint8Array.from(b.bytes) }))
      .sort((a, b) => a.addr - b.addr);
  }

  /** The bytes [addr, addr+len) as a view into the owning buffer. */
  view(addr: number, len: number, pc: number): Uint8Array {
    // Buffers are few; a linear scan keeps this simple and is not the hot path (rows are).
    for (const r of this.regions) {
      if (addr >= r.addr && addr + len <= r.end) return r.bytes.subarray(addr - r.addr, addr - r.addr + len);
    }
    throw new FsimFault(pc, `DRAM access [0x${addr.toString(16)}, 0x${(addr + len).toString(16)}) is outside every buffer of the bundle`);
  }

  read(addr: number, len: number): Uint8Array {
    return Uint8Array.from(this.view(addr, len, -1));
  }
}

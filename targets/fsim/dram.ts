/**
 * The DRAM image seen by fsim: the bundle's buffers, found by physical address. The bundle itself
 * is never mutated: a buffer is copied the first time a STORE writes into it, so runs do not pay
 * for copying what they only read (the instruction stream, inputs, weights). An access outside
 * every buffer is a program error.
 */
import type { DramBuffer } from '../../runtime/bundle/bundle.js';
import { FsimFault } from './fault-error.js';

interface Region {
  addr: number;
  end: number;
  bytes: Uint8Array;
  /** True once `bytes` is this run's own copy. */
  own: boolean;
}

export class Dram {
  private readonly regions: Region[];

  constructor(buffers: readonly DramBuffer[]) {
    this.regions = buffers.map((b) => ({ addr: b.addr, end: b.addr + b.bytes.length, bytes: b.bytes, own: false })).sort((a, b) => a.addr - b.addr);
  }

  private find(addr: number, len: number): Region | undefined {
    // Buffers are few; a linear scan keeps this simple (it runs once per row, not per lane).
    for (const r of this.regions) if (addr >= r.addr && addr + len <= r.end) return r;
    return undefined;
  }

  /**
   * The bytes [addr, addr+len) as a view into the owning buffer, or undefined when no single
   * buffer holds them all. Executors ask once per row and fall back to element by element, so
   * that a row running off a buffer still fails at the exact element upstream would.
   * `write`: the caller will write into the view (the buffer is copied first if need be).
   */
  span(addr: number, len: number, write = false): Uint8Array | undefined {
    const r = this.find(addr, len);
    if (!r) return undefined;
    if (write && !r.own) {
      r.bytes = new Uint8Array(r.bytes); // a typed-array copy (never a shared Buffer slice)
      r.own = true;
    }
    return r.bytes.subarray(addr - r.addr, addr - r.addr + len);
  }

  /** Like span, but an access outside every buffer is the program error of instruction `pc`. */
  view(addr: number, len: number, pc: number, write = false): Uint8Array {
    const v = this.span(addr, len, write);
    if (v) return v;
    throw new FsimFault(pc, `DRAM access [0x${addr.toString(16)}, 0x${(addr + len).toString(16)}) is outside every buffer of the bundle`);
  }

  /** A copy of [addr, addr+len) (outputs are read back with it). */
  read(addr: number, len: number): Uint8Array {
    return new Uint8Array(this.view(addr, len, -1));
  }
}

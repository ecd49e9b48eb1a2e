/**
 * fsim's scratchpads as typed arrays: one flat array per buffer, element e at [e·lanes, (e+1)·lanes).
 * fsim has no OUT buffer: STORE reads ACC and narrows (vta-isa.md §5.1), as upstream fsim does.
 */
import type { VtaParams } from '../../runtime/config/config.js';
import { FsimFault } from './fault-error.js';

export type SramBuffer = 'uop' | 'inp' | 'wgt' | 'acc';

export class Scratchpads {
  readonly uop: Uint32Array;
  readonly inp: Int8Array;
  readonly wgt: Int8Array;
  readonly acc: Int32Array;
  readonly inpLanes: number;
  readonly wgtLanes: number;
  readonly accLanes: number;

  /** Elements per buffer, as plain fields: the GEMM and ALU loops compare against them directly. */
  readonly depth: Readonly<Record<SramBuffer, number>>;

  constructor(readonly p: VtaParams) {
    this.depth = { uop: p.uopDepth, inp: p.inpDepth, wgt: p.wgtDepth, acc: p.accDepth };
    this.inpLanes = p.batch * p.blockIn;
    this.wgtLanes = p.blockOut * p.blockIn;
    this.accLanes = p.batch * p.blockOut;
    this.uop = new Uint32Array(p.uopDepth);
    this.inp = new Int8Array(p.inpDepth * this.inpLanes);
    this.wgt = new Int8Array(p.wgtDepth * this.wgtLanes);
    this.acc = new Int32Array(p.accDepth * this.accLanes);
  }

  /** Throws unless every index in [first, first+count) is inside the buffer (upstream fsim aborts). */
  check(buffer: SramBuffer, first: number, count: number, pc: number): void {
    if (first < 0 || first + count > this.depth[buffer]) this.outOfRange(buffer, first + count - 1, pc);
  }

  /** The program error of instruction `pc` reaching element `index` of a buffer. */
  outOfRange(buffer: SramBuffer, index: number, pc: number): never {
    throw new FsimFault(pc, `${buffer.toUpperCase()} index ${index} is beyond the buffer depth ${this.depth[buffer]}`);
  }

  /** Copy of element `e` of a buffer as little-endian bytes (what trace events carry). */
  rowBytes(buffer: SramBuffer, e: number): Uint8Array {
    switch (buffer) {
      case 'uop':
        return new Uint8Array(this.uop.buffer.slice(e * 4, e * 4 + 4));
      case 'inp':
        return new Uint8Array(this.inp.buffer.slice(e * this.inpLanes, (e + 1) * this.inpLanes));
      case 'wgt':
        return new Uint8Array(this.wgt.buffer.slice(e * this.wgtLanes, (e + 1) * this.wgtLanes));
      case 'acc':
        return new Uint8Array(this.acc.buffer.slice(e * this.accLanes * 4, (e + 1) * this.accLanes * 4));
    }
  }
}

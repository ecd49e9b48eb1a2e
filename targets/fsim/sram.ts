/**
 * fsim's scratchpads as typed arrays: one flat array per buffer, element e at [e·lanes, (e+1)·lanes).
 * fsim has no OUT buffer: STORE reads ACC and narrows (vta-isa.md §5.1), as upstream fsim does.
 * All four live in one memory (sram-layout.ts): a WebAssembly memory when the configuration has
 * kernels, so kernels and JavaScript share the bytes; a plain ArrayBuffer otherwise.
 */
import type { VtaParams } from '../../runtime/config/config.js';
import { FsimFault } from './fault-error.js';
import type { EventSink } from '../../runtime/contract/events.js';
import { SCRATCH_BYTES, sramLayout, type SramLayout } from './sram-layout.js';
import { uopFields } from './uop-fields.js';
import { acquireKernels, releaseKernels, type KernelMemory, type Kernels } from './wasm/kernels.js';

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

  /** The WebAssembly kernels over these scratchpads, when the configuration has them. */
  readonly kernels: Kernels | undefined;
  /** Where a kernel leaves the index that failed its bounds check. */
  readonly failedIndex: Int32Array;

  private wasm: KernelMemory | undefined;
  private readonly layout: SramLayout;

  /** `useKernels: false` keeps everything in JavaScript (tests compare the two paths). */
  constructor(
    readonly p: VtaParams,
    useKernels = true,
  ) {
    this.depth = { uop: p.uopDepth, inp: p.inpDepth, wgt: p.wgtDepth, acc: p.accDepth };
    this.inpLanes = p.batch * p.blockIn;
    this.wgtLanes = p.blockOut * p.blockIn;
    this.accLanes = p.batch * p.blockOut;
    const layout = sramLayout(p);
    this.layout = layout;
    const wasm = useKernels ? acquireKernels(p, layout, uopFields(p)) : undefined;
    this.wasm = wasm;
    this.kernels = wasm?.kernels;
    const buffer = wasm ? wasm.memory.buffer : new ArrayBuffer(layout.bytes);
    this.failedIndex = new Int32Array(buffer, 0, SCRATCH_BYTES / 4);
    this.uop = new Uint32Array(buffer, layout.uop, p.uopDepth);
    this.inp = new Int8Array(buffer, layout.inp, p.inpDepth * this.inpLanes);
    this.wgt = new Int8Array(buffer, layout.wgt, p.wgtDepth * this.wgtLanes);
    this.acc = new Int32Array(buffer, layout.acc, p.accDepth * this.accLanes);
  }

  /**
   * Tell `sink` that the rows reported as views of these scratchpads lie in a WebAssembly memory
   * it may hash them in (EventSink.payloadMemory), when they do.
   */
  shareWith(sink: EventSink): void {
    if (this.wasm && sink.payloadMemory) sink.payloadMemory(this.wasm.memory, this.layout.sink, this.layout.sinkBytes);
  }

  /** The run is over: the kernels' memory may serve another run, so these arrays must not be used. */
  release(): void {
    if (this.wasm) releaseKernels(this.wasm);
    this.wasm = undefined;
  }

  /** Throws unless every index in [first, first+count) is inside the buffer (upstream fsim aborts). */
  check(buffer: SramBuffer, first: number, count: number, pc: number): void {
    if (first < 0 || first + count > this.depth[buffer]) this.outOfRange(buffer, first + count - 1, pc);
  }

  /** The program error of instruction `pc` reaching element `index` of a buffer. */
  outOfRange(buffer: SramBuffer, index: number, pc: number): never {
    throw new FsimFault(pc, `${buffer.toUpperCase()} index ${index} is beyond the buffer depth ${this.depth[buffer]}`);
  }

  /** Bytes of one element of a buffer (what a trace event's payload holds). */
  elemBytes(buffer: SramBuffer): number {
    switch (buffer) {
      case 'uop':
        return 4;
      case 'inp':
        return this.inpLanes;
      case 'wgt':
        return this.wgtLanes;
      case 'acc':
        return this.accLanes * 4;
    }
  }

  /**
   * Elements [first, first + count) of a buffer as little-endian bytes: a view of the scratchpad
   * itself (the host is little-endian in practice), valid until the buffer is next written — long
   * enough for an event sink, which copies what it keeps.
   */
  rows(buffer: SramBuffer, first: number, count: number): Uint8Array {
    const a = this[buffer];
    const n = count * this.elemBytes(buffer);
    return new Uint8Array(a.buffer, a.byteOffset + first * this.elemBytes(buffer), n);
  }
}

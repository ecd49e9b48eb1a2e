/**
 * The program bundle: everything a target needs to run one program, and nothing
 * target-specific. Built by the runtime, consumed by every target, saved to disk by
 * `bundle-file.ts` (format in docs/bundle-format.md).
 */
import type { VtaParams } from '../config/config.js';

export type BufferRole = 'insn' | 'uop' | 'inp' | 'wgt' | 'acc' | 'out' | 'other';
export const BUFFER_ROLES: readonly BufferRole[] = ['insn', 'uop', 'inp', 'wgt', 'acc', 'out', 'other'];

/** One named region of the DRAM image at a physical byte address. */
export interface DramBuffer {
  name: string;
  role: BufferRole;
  /** Physical byte address (page-aligned when allocated by the runtime's allocator). */
  addr: number;
  bytes: Uint8Array;
}

/** A DRAM range whose contents after the run are the program's result. */
export interface OutputRange {
  name: string;
  addr: number;
  size: number;
}

/** Where one instruction came from: the workload operation and its loop position. */
export interface SourceMapEntry {
  /** Workload operation, e.g. "conv2d[0]" or "gemm tile". */
  op: string;
  /** Loop position, e.g. { oc: 1, ic: 0, vthread: 1 }. */
  loop?: Record<string, number>;
  /** Free text, e.g. "double-buffer sync". */
  note?: string;
}

export interface ProgramBundle {
  params: VtaParams;
  /** Physical address of the instruction stream (the first byte of the `insn` buffer). */
  insnAddr: number;
  /** Number of 128-bit instructions. */
  insnCount: number;
  /** The DRAM image. Exactly one buffer has role `insn` and holds the instruction stream at insnAddr. */
  buffers: DramBuffer[];
  outputs: OutputRange[];
  /** One entry (or null) per instruction. */
  sourceMap: (SourceMapEntry | null)[];
  /** The workload that produced this bundle, for reproduction commands. */
  workload?: { name: string; params?: Record<string, unknown>; seed?: number };
  /** Expected bytes of output ranges, from the golden reference (by output name). */
  expected?: Record<string, Uint8Array>;
}

/** The instruction stream bytes of a bundle. */
export function insnBytes(b: ProgramBundle): Uint8Array {
  const buf = b.buffers.find((x) => x.role === 'insn');
  if (!buf) throw new Error('bundle has no insn buffer');
  const off = b.insnAddr - buf.addr;
  return buf.bytes.subarray(off, off + b.insnCount * 16);
}

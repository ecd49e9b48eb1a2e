/**
 * Where each scratchpad lives in the one memory that holds them all. The WebAssembly kernels see
 * the scratchpads at these byte offsets (baked into their code as constants) while JavaScript
 * sees the same bytes through typed-array views, so nothing is copied between the two.
 */
import type { VtaParams } from '../../runtime/config/config.js';

export interface SramLayout {
  /** Bytes [0, SCRATCH_BYTES) are the kernels' scratch: the index that failed a bounds check. */
  acc: number;
  inp: number;
  wgt: number;
  uop: number;
  /**
   * Bytes [sink, sink + sinkBytes) belong to the event sink (EventSink.payloadMemory): room for
   * the tracer's digest kernel to hash a run of rows where they lie, 16 bytes per element of the
   * deepest buffer.
   */
  sink: number;
  sinkBytes: number;
  /** Total bytes. */
  bytes: number;
}

export const SCRATCH_BYTES = 64;

/** Offsets aligned to 64 bytes: vector loads of a row never straddle a cache line needlessly. */
const align = (n: number) => Math.ceil(n / 64) * 64;

export function sramLayout(p: VtaParams): SramLayout {
  const acc = SCRATCH_BYTES;
  const inp = align(acc + p.accDepth * p.batch * p.blockOut * 4);
  const wgt = align(inp + p.inpDepth * p.batch * p.blockIn);
  const uop = align(wgt + p.wgtDepth * p.blockOut * p.blockIn);
  const sink = align(uop + p.uopDepth * 4);
  const sinkBytes = align(64 + 16 * Math.max(p.uopDepth, p.inpDepth, p.wgtDepth, p.accDepth));
  return { acc, inp, wgt, uop, sink, sinkBytes, bytes: sink + sinkBytes };
}

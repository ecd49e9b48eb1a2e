/**
 * A program that keeps a board busy for a known, long time: LOAD UOP (one micro-op), one GEMM of
 * iterOut × iterIn iterations, FINISH. For runs that must still be in flight when something
 * happens to them, and for timing the network path on a long run.
 */
import type { ProgramBundle } from '../../../runtime/bundle/bundle.js';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import { encodeUops } from '../../../runtime/isa/codec.js';
import { bundleOf, finishInsn, gemmInsn, memInsn } from './bundles.js';

export function longGemm(config: string, iterOut: number, iterIn: number): ProgramBundle {
  const p = resolveConfig(config);
  const b = bundleOf(p, [memInsn(0, 0, { dram_base: 0x2000 / 4, x_size: 1 }), gemmInsn({ iter_out: iterOut, iter_in: iterIn }), finishInsn()]);
  b.buffers.push({ name: 'uop', role: 'uop', addr: 0x2000, bytes: encodeUops(p, [{ dst_idx: 0, src_idx: 0, wgt_idx: 0 }]) });
  return b;
}

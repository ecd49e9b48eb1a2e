/**
 * Where a run sits on the roofline of its configuration. Operations are GEMM multiply-accumulates
 * (each non-reset micro-op iteration is BATCH × BLOCK_IN × BLOCK_OUT of them; ALU work is left
 * out, as in the VTA paper's roofline); DRAM bytes are every byte the run's loads and stores moved
 * (the counters: uop, inp, wgt, acc loaded, out stored; padding not counted). The roof: the GEMM
 * core retires one micro-op iteration per cycle (peak BATCH × BLOCK_IN × BLOCK_OUT MAC/cycle) and
 * the memory bus moves BUS_WIDTH_BYTES per cycle.
 */
import type { VtaParams } from '../../runtime/config/config.js';
import type { Counters } from '../../runtime/contract/target.js';

export interface RooflinePoint {
  runId: number;
  target: string;
  macs: number;
  dramBytes: number;
  cycles: number;
  /** macs / dramBytes (null without DRAM traffic). */
  intensity: number | null;
  /** macs / cycles (null without cycles). */
  achieved: number | null;
}

export interface Roof {
  /** MAC per cycle. */
  peak: number;
  /** DRAM bytes per cycle. */
  bandwidth: number;
  /** peak / bandwidth: the intensity where the run stops being memory bound. */
  ridge: number;
}

export function roofOf(p: VtaParams): Roof {
  const peak = p.batch * p.blockIn * p.blockOut;
  return { peak, bandwidth: p.busBytes, ridge: peak / p.busBytes };
}

export function rooflinePoint(p: VtaParams, run: { id: number; target: string; counters: Counters | null }): RooflinePoint | null {
  const c = run.counters;
  if (!c) return null;
  const macs = c.gemmOps * p.batch * p.blockIn * p.blockOut;
  const dramBytes = c.bytes.uop + c.bytes.inp + c.bytes.wgt + c.bytes.acc + c.bytes.out;
  return {
    runId: run.id,
    target: run.target,
    macs,
    dramBytes,
    cycles: c.cycles,
    intensity: dramBytes > 0 ? macs / dramBytes : null,
    achieved: c.cycles > 0 ? macs / c.cycles : null,
  };
}

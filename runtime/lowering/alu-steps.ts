/**
 * ALU sequences every lowering shares, on runs of consecutive ACC elements: requantisation
 * (arithmetic shift right, then clip to int8 with MAX and MIN, relu clipping at 0 instead of
 * −128), and zeroing.
 */
import type { ProgramBuilder } from '../builder/index.js';
import { flatChunks } from './flat-range.js';

/** An immediate ALU op over ACC elements [base, base + n). */
export function aluImmRun(b: ProgramBuilder, op: 'shr' | 'max' | 'min' | 'add', base: number, n: number, imm: number): void {
  for (const c of flatChunks(b.params, n)) b.alu(op, { uops: [{ dst: base + c.start }], loops: c.loops }, { imm });
}

/** int32 → int8 the way TVM's VTA graphs requantise: >> shift, then clip (at 0 with relu). */
export function requantRun(b: ProgramBuilder, base: number, n: number, shift: number, relu: boolean): void {
  if (shift) aluImmRun(b, 'shr', base, n, shift);
  aluImmRun(b, 'max', base, n, relu ? 0 : -128);
  aluImmRun(b, 'min', base, n, 127);
}

/** ACC[dst + k] += ACC[src + k] for k < n: the ALU's tensor add. */
export function addAccRun(b: ProgramBuilder, dst: number, src: number, n: number): void {
  for (const c of flatChunks(b.params, n)) b.alu('add', { uops: [{ dst: dst + c.start, src: src + c.start }], loops: c.loops });
}

/** Set ACC elements [base, base + n) to zero (a GEMM reset, the runtime's way of clearing ACC). */
export function zeroRun(b: ProgramBuilder, base: number, n: number): void {
  for (const c of flatChunks(b.params, n, false)) b.gemm({ uops: [{ dst: base + c.start }], loops: c.loops }, { reset: true });
}

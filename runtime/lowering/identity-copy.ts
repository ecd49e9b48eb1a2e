/**
 * Moving int8 activations from INP into ACC exactly: a GEMM against the identity weight block.
 * Layers store int8 tensors (STORE keeps the low byte), LOAD ACC reads 32-bit elements and the
 * int8-to-ACC load exists in fsim only, so this is how an ALU layer gets its operands.
 * Requires BLOCK_IN = BLOCK_OUT (one INP element then maps onto one ACC element).
 */
import type { DramBuffer } from '../bundle/bundle.js';
import type { ProgramBuilder } from '../builder/index.js';
import { zeroRun } from './alu-steps.js';
import { flatChunks } from './flat-range.js';
import { LoweringError } from './lowering-error.js';

/** WGT index the identity block is loaded at by `loadIdentity`. */
export const IDENTITY_WGT = 0;

const identityBuffers = new WeakMap<ProgramBuilder, DramBuffer>();

function identityBuffer(b: ProgramBuilder): DramBuffer {
  let buf = identityBuffers.get(b);
  if (!buf) {
    const n = b.params.blockOut;
    const bytes = new Uint8Array(n * n);
    for (let i = 0; i < n; i++) bytes[i * n + i] = 1;
    buf = b.alloc('identity', 'wgt', bytes);
    identityBuffers.set(b, buf);
  }
  return buf;
}

export function requireSquareBlocks(b: ProgramBuilder, layer: string): void {
  const p = b.params;
  if (p.blockIn !== p.blockOut) throw new LoweringError(`${layer}: ALU layers copy INP elements into ACC elements and need BLOCK_IN = BLOCK_OUT (config ${p.bitstream})`);
}

/** LOAD the identity block into WGT at `wgt` (load module). */
export function loadIdentity(b: ProgramBuilder, wgt = IDENTITY_WGT): void {
  b.load('wgt', wgt, { buffer: identityBuffer(b), rows: 1, cols: 1 });
}

/** ACC[acc + k] = INP[inp + k] for k < n (compute module). */
export function copyInpToAcc(b: ProgramBuilder, acc: number, inp: number, n: number): void {
  zeroRun(b, acc, n);
  addInpToAcc(b, acc, inp, n);
}

/** ACC[acc + k] += INP[inp + k] for k < n: the identity GEMM (block at WGT `wgt`) without the reset (compute module). */
export function addInpToAcc(b: ProgramBuilder, acc: number, inp: number, n: number, wgt = IDENTITY_WGT): void {
  for (const c of flatChunks(b.params, n)) b.gemm({ uops: [{ dst: acc + c.start, src: inp + c.start, wgt }], loops: c.loops });
}

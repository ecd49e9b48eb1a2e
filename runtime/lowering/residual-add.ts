/**
 * Residual add: the GEMM adds for us — ACC is zeroed once and both int8 operands are
 * accumulated into it through the identity weight block, which saves the second reset and the
 * ALU ADD pass of copying each operand and adding them; the sum is then clipped back to int8
 * (at 0 with relu) on the ALU and stored. The tensors are walked as flat runs of elements, which
 * is exact because both have the same blocked layout.
 */
import type { ProgramBuilder } from '../builder/index.js';
import { requantRun } from './alu-steps.js';
import { addInpToAcc, copyInpToAcc, loadIdentity, requireSquareBlocks } from './identity-copy.js';
import type { DramTensor } from './network-lower.js';
import { runTiles, threadsFor } from './tile-runner.js';

export function lowerResidualAdd(b: ProgramBuilder, op: string, a: DramTensor, c: DramTensor, out: DramTensor, relu: boolean): void {
  requireSquareBlocks(b, op);
  const p = b.params;
  const total = (out.n / p.batch) * (out.c / p.blockOut) * out.h * out.w;
  const threads = threadsFor((t) => Math.floor(p.inpDepth / (2 * t)) >= 1 && Math.floor(p.accDepth / t) >= 1);
  // Per thread: operand A at [0, m), B at [m, 2m) of its part of INP; the sum at [0, m) of ACC.
  const m = Math.min(total, Math.floor(p.inpDepth / (2 * threads)), Math.floor(p.accDepth / threads));
  const tiles = Math.ceil(total / m);
  const size = (i: number) => Math.min(m, total - i * m);
  const inpBase = (slot: number) => slot * 2 * m;
  const accBase = (slot: number) => slot * m;
  runTiles(b, tiles, threads, {
    load: (i, slot) => {
      b.at(op, { tile: i, vthread: slot }, 'load operands');
      if (i === 0) loadIdentity(b);
      b.load('inp', inpBase(slot), { buffer: a.buffer, offset: i * m, rows: 1, cols: size(i) });
      b.load('inp', inpBase(slot) + m, { buffer: c.buffer, offset: i * m, rows: 1, cols: size(i) });
    },
    compute: (i, slot) => {
      b.at(op, { tile: i, vthread: slot }, 'sum into ACC');
      copyInpToAcc(b, accBase(slot), inpBase(slot), size(i));
      addInpToAcc(b, accBase(slot), inpBase(slot) + m, size(i));
    },
    // The clip reads only ACC: the operands' INP slot is free for the next tile's loads by then.
    finish: (i, slot) => {
      b.at(op, { tile: i, vthread: slot }, 'clip');
      requantRun(b, accBase(slot), size(i), 0, relu);
    },
    store: (i, slot) => {
      b.at(op, { tile: i, vthread: slot }, 'store');
      b.store(accBase(slot), { buffer: out.buffer, offset: i * m, rows: 1, cols: size(i) });
    },
  });
}

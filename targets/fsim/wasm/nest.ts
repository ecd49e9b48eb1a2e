/**
 * The loop nest every GEMM and ALU kernel shares: y < iter_out, x < iter_in, u in
 * [uop_bgn, uop_end), with the micro-op word loaded for the body and the per-(y, x) row offsets of
 * dst, src and wgt computed once per (y, x). Kernels take the nest's ten fields as their first ten
 * parameters, then their own.
 */
import type { SramLayout } from '../sram-layout.js';
import { Code, I32, OP } from '../../../runtime/wasm/emit.js';

/** Parameter indices of the nest's fields. */
export const P = { uopBgn: 0, uopEnd: 1, iterOut: 2, iterIn: 3, dstOut: 4, dstIn: 5, srcOut: 6, srcIn: 7, wgtOut: 8, wgtIn: 9 } as const;
export const NEST_PARAMS = 10;

/** Hands out local indices after the parameters and remembers their types. */
export class Locals {
  readonly types: number[] = [];
  constructor(private readonly params: number) {}
  add(type: number): number {
    this.types.push(type);
    return this.params + this.types.length - 1;
  }
}

export interface Nest {
  c: Code;
  /** The current micro-op word, and y·factor_out + x·factor_in for dst, src and wgt. */
  word: number;
  dstRow: number;
  srcRow: number;
  wgtRow: number;
  /**
   * local = ((word >>> shift) & mask) + row; when local ≥ depth, store it at byte 0 and return
   * `code` (the bounds check of upstream fsim, in the order the body calls it).
   */
  index(local: number, shift: number, mask: number, row: number, depth: number, code: number): void;
}

/** Emit the nest around `body`, then `return 0`. The caller guarantees at least one iteration. */
export function emitNest(c: Code, layout: SramLayout, locals: Locals, body: (n: Nest) => void): void {
  const [y, x, u, word, dstRow, srcRow, wgtRow] = [0, 0, 0, 0, 0, 0, 0].map(() => locals.add(I32)) as [number, number, number, number, number, number, number];
  const row = (local: number, outFactor: number, inFactor: number) => {
    c.get(y).get(outFactor).op(OP.i32Mul).get(x).get(inFactor).op(OP.i32Mul).op(OP.i32Add).set(local);
  };
  /** local += 1; loop again while local < bound. */
  const next = (local: number, bound: number) => {
    c.get(local).i32(1).op(OP.i32Add).set(local);
    c.get(local).get(bound).op(OP.i32LtU).op(OP.brIf, 0);
  };
  const index: Nest['index'] = (local, shift, mask, rowLocal, depth, code) => {
    c.get(word).i32(shift).op(OP.i32ShrU).i32(mask).op(OP.i32And).get(rowLocal).op(OP.i32Add).set(local);
    c.get(local).i32(depth).op(OP.i32GeU).op(OP.if, OP.voidType);
    c.i32(0).get(local).mem(OP.i32Store, 0).i32(code).op(OP.return);
    c.op(OP.end);
  };

  c.i32(0).set(y).op(OP.loop, OP.voidType);
  c.i32(0).set(x).op(OP.loop, OP.voidType);
  row(dstRow, P.dstOut, P.dstIn);
  row(srcRow, P.srcOut, P.srcIn);
  row(wgtRow, P.wgtOut, P.wgtIn);
  c.get(P.uopBgn).set(u).op(OP.loop, OP.voidType);
  c.get(u).i32(4).op(OP.i32Mul).mem(OP.i32Load, layout.uop).set(word);
  body({ c, word, dstRow, srcRow, wgtRow, index });
  next(u, P.uopEnd);
  c.op(OP.end);
  next(x, P.iterIn);
  c.op(OP.end);
  next(y, P.iterOut);
  c.op(OP.end);
  c.i32(0);
}

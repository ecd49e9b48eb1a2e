/**
 * ALU loop nests as WebAssembly SIMD functions, one per (operation, immediate or tensor form),
 * generated for one configuration shape: each ACC row is processed four int32 lanes at a time with
 * the operation's i32x4 instruction, with bounds checked in the same order (dst, then src) as the
 * JavaScript loop in exec-compute.ts.
 *
 * Parameters: the nest's ten (nest.ts), then B — the immediate, or the shift amount for the
 * immediate shifts (the caller turns upstream's out-of-range shift rule into SHR by 0..31, SHL by
 * 1..31, or MOV 0). Returns 0, or 1 when a dst or src ACC index is out of range (index at byte 0).
 * A tensor shift shifts each lane by its own amount, which i32x4 has no instruction for: it has no
 * kernel and runs in JavaScript.
 */
import type { VtaParams } from '../../../runtime/config/config.js';
import { AluOp } from '../alu-ops.js';
import type { SramLayout } from '../sram-layout.js';
import type { UopFields } from '../uop-fields.js';
import { Code, I32, OP, SIMD, V128, type FunctionSpec } from '../../../runtime/wasm/emit.js';
import { emitNest, Locals, NEST_PARAMS } from './nest.js';

/** Kernel operation numbers: the AluOp values, plus a left shift for negative immediate shifts. */
export const SHL = 8;
const B = NEST_PARAMS;

export function aluKernelName(op: number, imm: boolean, one = false): string {
  return `alu_${imm ? 'imm' : 'tensor'}_${op}${one ? '_one' : ''}`;
}

/** Every (operation, form) that has a kernel. */
export function aluKernelOps(): { op: number; imm: boolean }[] {
  const out: { op: number; imm: boolean }[] = [];
  for (const op of [...Object.values(AluOp), SHL]) {
    out.push({ op, imm: true });
    if (op !== AluOp.Shr && op !== SHL) out.push({ op, imm: false });
  }
  return out;
}

/** Emit op(A, B) for one vector of four lanes; `a` and `b` push the operands. */
function emitOp(c: Code, op: number, a: () => void, b: () => void, bParam: number): void {
  const sext8 = () => c.i32(24).simd(SIMD.i32x4Shl).i32(24).simd(SIMD.i32x4ShrS);
  switch (op) {
    case AluOp.Min:
      a(); b(); c.simd(SIMD.i32x4MinS);
      return;
    case AluOp.Max:
      a(); b(); c.simd(SIMD.i32x4MaxS);
      return;
    case AluOp.Add:
      a(); b(); c.simd(SIMD.i32x4Add);
      return;
    case AluOp.Mul:
      a(); b(); c.simd(SIMD.i32x4Mul);
      return;
    case AluOp.Mov:
      b();
      return;
    case AluOp.Clp: // max(min(a, b), −b), as ALU_FNS defines it
      a(); b(); c.simd(SIMD.i32x4MinS);
      b(); c.simd(SIMD.i32x4Neg).simd(SIMD.i32x4MaxS);
      return;
    case AluOp.Mul8:
      a(); sext8(); b(); sext8(); c.simd(SIMD.i32x4Mul);
      return;
    case AluOp.Shr:
      a(); c.get(bParam).simd(SIMD.i32x4ShrS);
      return;
    case SHL:
      a(); c.get(bParam).simd(SIMD.i32x4Shl);
      return;
  }
  throw new Error(`no ALU kernel for operation ${op}`);
}

/** Emit the body for ACC rows at byte addresses dAddr (and sAddr for the tensor form): op on every lane. */
function emitRow(c: Code, layout: SramLayout, lanes: number, op: number, imm: boolean, dAddr: number, sAddr: number, splat: number, bParam: number): void {
  for (let k = 0; k < lanes; k += 4) {
    const offset = layout.acc + k * 4;
    c.get(dAddr);
    emitOp(
      c,
      op,
      () => c.get(dAddr).simdMem(SIMD.load, offset),
      () => (imm ? c.get(splat) : c.get(sAddr).simdMem(SIMD.load, offset)),
      bParam,
    );
    c.simdMem(SIMD.store, offset);
  }
}

/**
 * The single-iteration form (one micro-op, iter_out = iter_in = 1, the commonest ALU instruction
 * in recorded programs): parameters (micro-op index, B), no loop nest, the same checks and
 * result codes as the nest kernel. Two parameters instead of eleven and no loops made the call
 * about half as costly.
 */
export function aluKernelOne(p: VtaParams, layout: SramLayout, uf: UopFields, op: number, imm: boolean): FunctionSpec {
  const lanes = p.batch * p.blockOut;
  const c = new Code();
  const U = 0;
  const locals = new Locals(2);
  const [word, d, s, dAddr, sAddr] = [0, 0, 0, 0, 0].map(() => locals.add(I32)) as [number, number, number, number, number];
  const splat = locals.add(V128);
  if (imm) c.get(B1).simd(SIMD.i32x4Splat).set(splat);
  c.get(U).i32(4).op(OP.i32Mul).mem(OP.i32Load, layout.uop).set(word);
  const index = (local: number, shift: number, mask: number) => {
    c.get(word).i32(shift).op(OP.i32ShrU).i32(mask).op(OP.i32And).set(local);
    c.get(local).i32(p.accDepth).op(OP.i32GeU).op(OP.if, OP.voidType);
    c.i32(0).get(local).mem(OP.i32Store, 0).i32(1).op(OP.return);
    c.op(OP.end);
  };
  index(d, uf.dstShift, uf.dstMask);
  c.get(d).i32(lanes * 4).op(OP.i32Mul).set(dAddr);
  if (!imm) {
    index(s, uf.srcShift, uf.srcMask);
    c.get(s).i32(lanes * 4).op(OP.i32Mul).set(sAddr);
  }
  emitRow(c, layout, lanes, op, imm, dAddr, sAddr, splat, B1);
  c.i32(0);
  return { name: aluKernelName(op, imm, true), params: [I32, I32], results: [I32], locals: locals.types, body: c };
}
/** B's parameter index in the single-iteration form. */
const B1 = 1;

export function aluKernel(p: VtaParams, layout: SramLayout, uf: UopFields, op: number, imm: boolean): FunctionSpec {
  const lanes = p.batch * p.blockOut;
  const c = new Code();
  const locals = new Locals(NEST_PARAMS + 1);
  const [d, s, dAddr, sAddr] = [0, 0, 0, 0].map(() => locals.add(I32)) as [number, number, number, number];
  const splat = locals.add(V128);
  if (imm) c.get(B).simd(SIMD.i32x4Splat).set(splat);
  emitNest(c, layout, locals, (n) => {
    n.index(d, uf.dstShift, uf.dstMask, n.dstRow, p.accDepth, 1);
    c.get(d).i32(lanes * 4).op(OP.i32Mul).set(dAddr);
    if (!imm) {
      n.index(s, uf.srcShift, uf.srcMask, n.srcRow, p.accDepth, 1);
      c.get(s).i32(lanes * 4).op(OP.i32Mul).set(sAddr);
    }
    emitRow(c, layout, lanes, op, imm, dAddr, sAddr, splat, B);
  });
  return { name: aluKernelName(op, imm), params: new Array<number>(NEST_PARAMS + 1).fill(I32), results: [I32], locals: locals.types, body: c };
}

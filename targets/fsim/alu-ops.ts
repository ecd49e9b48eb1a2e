/**
 * ALU operations on signed 32-bit lanes. The scalar functions are the definition; the row loops
 * apply one operation to a whole ACC element with the operation chosen once per row rather than
 * called through a function value per lane (a call V8 cannot inline once several operations
 * have been seen at the same site).
 */
import type { VtaParams } from '../../runtime/config/config.js';

/** One ALU operation on signed 32-bit lanes, for the configuration's opcode set. */
export type AluFn = (a: number, b: number) => number;

/** Operations by meaning; the opcode → operation map depends on ALU_OPCODES. */
export const AluOp = { Min: 0, Max: 1, Add: 2, Shr: 3, Mul: 4, Clp: 5, Mov: 6, Mul8: 7 } as const;
export type AluOp = (typeof AluOp)[keyof typeof AluOp];

const UPSTREAM: AluOp[] = [AluOp.Min, AluOp.Max, AluOp.Add, AluOp.Shr, AluOp.Mul];
const FORK: AluOp[] = [AluOp.Min, AluOp.Max, AluOp.Add, AluOp.Shr, AluOp.Clp, AluOp.Mov, AluOp.Mul8];

/** The operation an opcode means for this configuration, or undefined when it is not defined. */
export function aluOpOf(p: VtaParams, opcode: number): AluOp | undefined {
  return (p.aluOpcodes === 'fork' ? FORK : UPSTREAM)[opcode];
}

/** Shift right by b (left by −b); out-of-range amounts saturate (targets/fsim/README.md). */
const shr: AluFn = (a, b) => (b >= 0 ? a >> Math.min(b, 31) : b <= -32 ? 0 : (a << -b) | 0);

export const ALU_FNS: Readonly<Record<AluOp, AluFn>> = {
  [AluOp.Min]: (a, b) => Math.min(a, b),
  [AluOp.Max]: (a, b) => Math.max(a, b),
  [AluOp.Add]: (a, b) => (a + b) | 0,
  [AluOp.Shr]: shr,
  [AluOp.Mul]: (a, b) => Math.imul(a, b),
  [AluOp.Clp]: (a, b) => Math.max(Math.min(a, b), -b | 0), // CLP as the fork's fsim computes it
  [AluOp.Mov]: (_a, b) => b,
  [AluOp.Mul8]: (a, b) => Math.imul((a << 24) >> 24, (b << 24) >> 24),
};

/** acc[d+k] = op(acc[d+k], imm) for k < lanes. */
export function aluRowImm(op: AluOp, acc: Int32Array, d: number, lanes: number, imm: number): void {
  const end = d + lanes;
  switch (op) {
    case AluOp.Min:
      for (let k = d; k < end; k++) acc[k] = Math.min(acc[k]!, imm);
      return;
    case AluOp.Max:
      for (let k = d; k < end; k++) acc[k] = Math.max(acc[k]!, imm);
      return;
    case AluOp.Add:
      for (let k = d; k < end; k++) acc[k] = acc[k]! + imm;
      return;
    case AluOp.Mov:
      acc.fill(imm, d, end);
      return;
    default: {
      // Shifts, multiplies and clips by an immediate are rarer: one definition for all.
      const fn = ALU_FNS[op];
      for (let k = d; k < end; k++) acc[k] = fn(acc[k]!, imm);
    }
  }
}

/** acc[d+k] = op(acc[d+k], acc[s+k]) for k < lanes (d and s are whole, equal or disjoint rows). */
export function aluRowTensor(op: AluOp, acc: Int32Array, d: number, s: number, lanes: number): void {
  switch (op) {
    case AluOp.Min:
      for (let k = 0; k < lanes; k++) acc[d + k] = Math.min(acc[d + k]!, acc[s + k]!);
      return;
    case AluOp.Max:
      for (let k = 0; k < lanes; k++) acc[d + k] = Math.max(acc[d + k]!, acc[s + k]!);
      return;
    case AluOp.Add:
      for (let k = 0; k < lanes; k++) acc[d + k] = acc[d + k]! + acc[s + k]!;
      return;
    default: {
      const fn = ALU_FNS[op];
      for (let k = 0; k < lanes; k++) acc[d + k] = fn(acc[d + k]!, acc[s + k]!);
    }
  }
}

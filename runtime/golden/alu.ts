/**
 * The ALU operations on signed 32-bit lanes, as the behavioural reference defines them
 * (vta-isa.md §5.5 and targets/fsim/README.md): results wrap modulo 2^32; SHR shifts right
 * (arithmetic) for a non-negative amount and left for a negative one; amounts ≥ 32 shift right by
 * 31, amounts ≤ −32 give 0. The fork's opcodes (CLP, MOV, MUL8) are included for fork configs.
 */
import { clip, lowInt8, wrapInt32 } from './int.js';

export type AluOpName = 'min' | 'max' | 'add' | 'shr' | 'mul' | 'clp' | 'mov' | 'mul8';
export const ALU_OP_NAMES: readonly AluOpName[] = ['min', 'max', 'add', 'shr', 'mul', 'clp', 'mov', 'mul8'];

function shr(a: number, b: number): number {
  if (b >= 0) return Math.floor(a / 2 ** Math.min(b, 31));
  if (b <= -32) return 0;
  return wrapInt32(BigInt(a) << BigInt(-b));
}

const OPS: Record<AluOpName, (a: number, b: number) => number> = {
  min: (a, b) => Math.min(a, b),
  max: (a, b) => Math.max(a, b),
  add: (a, b) => wrapInt32(a + b),
  shr,
  mul: (a, b) => wrapInt32(BigInt(a) * BigInt(b)),
  // The fork's clip: B bounds A to [−B, B] (min first, then max, as its reference computes it).
  clp: (a, b) => Math.max(Math.min(a, b), wrapInt32(-b)),
  mov: (_a, b) => b,
  mul8: (a, b) => lowInt8(a) * lowInt8(b),
};

/** One lane: op(A, B). */
export function aluScalar(op: AluOpName, a: number, b: number): number {
  return OPS[op](a, b);
}

/** Every lane of `a` combined with the same lane of `b` (tensor form) or with the immediate `b`. */
export function aluApply(op: AluOpName, a: Int32Array, b: Int32Array | number): Int32Array {
  const f = OPS[op];
  return Int32Array.from(a, (x, i) => f(x, typeof b === 'number' ? b : b[i]!));
}

/** max(x, 0) on every lane. */
export function relu(a: Int32Array): Int32Array {
  return Int32Array.from(a, (x) => Math.max(x, 0));
}

/** Every lane limited to [lo, hi]. */
export function clipAll(a: Int32Array, lo: number, hi: number): Int32Array {
  return Int32Array.from(a, (x) => clip(x, lo, hi));
}

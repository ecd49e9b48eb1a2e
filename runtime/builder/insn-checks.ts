/**
 * Checks of one instruction as it is emitted: every field fits its bit width in this
 * configuration, and every scratchpad index it reaches is below that scratchpad's depth.
 */
import type { VtaParams } from '../config/config.js';
import { encodeInsn, encodeUop } from '../isa/codec.js';
import { InsnError } from '../errors.js';
import type { Insn, Uop } from '../isa/insn.js';

export type Scratchpad = 'uop' | 'inp' | 'wgt' | 'acc';

export function depthOf(p: VtaParams, pad: Scratchpad): number {
  return { uop: p.uopDepth, inp: p.inpDepth, wgt: p.wgtDepth, acc: p.accDepth }[pad];
}

/** Reason the fields do not fit, or null. */
export function fieldProblem(p: VtaParams, insn: Insn): string | null {
  try {
    encodeInsn(p, insn);
    return null;
  } catch (e) {
    if (e instanceof InsnError) return e.message;
    throw e;
  }
}

/** Reason a micro-op's indices do not fit the micro-op fields, or null. */
export function uopFieldProblem(p: VtaParams, uop: Uop): string | null {
  try {
    encodeUop(p, uop);
    return null;
  } catch (e) {
    if (e instanceof InsnError) return `micro-op ${e.message}`;
    throw e;
  }
}

/** Reason [first, first + count) does not fit the scratchpad, or null. */
export function rangeProblem(p: VtaParams, pad: Scratchpad, first: number, count: number, what: string): string | null {
  const depth = depthOf(p, pad);
  if (first < 0) return `${what} starts at ${pad.toUpperCase()} index ${first}`;
  if (first + count > depth) {
    return `${pad.toUpperCase()} scratchpad overflow: ${what} reaches index ${first + count - 1}, depth is ${depth}`;
  }
  return null;
}

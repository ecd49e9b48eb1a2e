/**
 * Whether a seeded fault can change anything in a given program. A fault aimed at an instruction
 * the program does not have, or at one of another kind (a lane flip on a LOAD, a dropped token on
 * an instruction that pushes none), never fires: the run then agrees with a clean one and the
 * diff says "values agree", which reads as the engine missing the bug. So a target carrying such
 * a fault refuses the program before anything is recorded (FaultSpecError, exit 2 in the CLI).
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { insnBytes } from '../../runtime/bundle/bundle.js';
import { decodeInsn } from '../../runtime/isa/codec.js';
import { mnemonic } from '../../runtime/isa/disasm.js';
import type { Insn, MemInsn } from '../../runtime/isa/insn.js';
import { MEM_ID } from '../../runtime/isa/layout.js';
import { FaultSpecError, faultText, type Fault } from './faults.js';

/** Throws FaultSpecError naming why `fault` cannot fire in `bundle`'s program. */
export function checkFaultReaches(fault: Fault, bundle: ProgramBundle): void {
  const why = faultMisses(fault, bundle);
  if (why) throw new FaultSpecError(`fault ${faultText(fault)}: ${why}`);
}

/** Why `fault` cannot fire in the program, or undefined when it can. */
function faultMisses(fault: Fault, bundle: ProgramBundle): string | undefined {
  const p = bundle.params;
  if (fault.pc >= bundle.insnCount) return `the program has ${bundle.insnCount} instructions (#0–#${bundle.insnCount - 1})`;
  const insn = decodeInsn(p, insnBytes(bundle), fault.pc * 16, fault.pc);
  const isLoad = (i: Insn): i is MemInsn => i.opcode === 0;
  const computes = (i: Insn) => i.opcode === 2 || i.opcode === 4;
  const wrong = (wants: string) => `instruction #${fault.pc} is ${mnemonic(p, insn)}; ${fault.kind} needs ${wants}`;
  switch (fault.kind) {
    case 'alu-op':
      return insn.opcode === 4 ? undefined : wrong('an ALU instruction');
    case 'gemm-lane': {
      if (insn.opcode !== 2 || insn.reset_reg) return wrong('a GEMM that accumulates (not a reset)');
      const lanes = p.batch * p.blockOut;
      return fault.lane < lanes ? undefined : `an ACC element has ${lanes} lanes (0–${lanes - 1}), not lane ${fault.lane}`;
    }
    case 'wgt-row': {
      if (!isLoad(insn) || insn.memory_type !== MEM_ID.WGT) return wrong('a LOAD WGT');
      const elements = insn.y_size * insn.x_size;
      return fault.row < elements ? undefined : `LOAD #${fault.pc} writes ${elements} WGT elements (rows 0–${elements - 1}), not row ${fault.row}`;
    }
    case 'pad-off-by-one':
      return isLoad(insn) && insn.x_size > 0 && insn.y_size > 0 ? undefined : wrong('a LOAD that loads data');
    case 'drop-token':
      return insn.push_prev_dep || insn.push_next_dep ? undefined : wrong('an instruction that pushes a token');
    case 'acc-offset':
      return fault.by === 0 ? 'by=0 changes nothing' : computes(insn) ? undefined : wrong('a GEMM or ALU');
    case 'acc-negate':
    case 'acc-stale':
    case 'acc-scramble':
      return computes(insn) ? undefined : wrong('a GEMM or ALU');
    case 'acc-truncate':
      return fault.bits < 1 || fault.bits > 31 ? `bits=${fault.bits} must be 1–31` : computes(insn) ? undefined : wrong('a GEMM or ALU');
    case 'acc-shift':
      return fault.by < 1 || fault.by > 31 ? `by=${fault.by} must be 1–31` : computes(insn) ? undefined : wrong('a GEMM or ALU');
    case 'acc-rotate': {
      const lanes = p.batch * p.blockOut;
      return fault.by % lanes === 0 ? `by=${fault.by} is a multiple of the ${lanes} ACC lanes and changes nothing` : computes(insn) ? undefined : wrong('a GEMM or ALU');
    }
    case 'load-offset': {
      if (!isLoad(insn) || insn.x_size === 0 || insn.y_size === 0) return wrong('a LOAD that loads data');
      const elements = (insn.y_pad_0 + insn.y_size + insn.y_pad_1) * (insn.x_pad_0 + insn.x_size + insn.x_pad_1);
      return fault.by % elements === 0 ? `LOAD #${fault.pc} writes ${elements} elements; by=${fault.by} wraps to itself` : undefined;
    }
    case 'load-row':
      if (fault.by === 0) return 'by=0 changes nothing';
      return isLoad(insn) && insn.x_size > 0 && insn.y_size > 0 ? undefined : wrong('a LOAD that loads data');
  }
}


/**
 * The ALU instruction when nothing watches it (no events, no per-iteration records, no seeded
 * fault): one generated function per configuration reads the fields it needs straight from the
 * instruction's four words into locals (every shift and mask a constant), picks the WebAssembly
 * kernel and calls it — no slot array, no loop-nest object, no executor preamble. On a stream of
 * one-micro-op instructions this was most of what was left per instruction. A single iteration
 * (one micro-op, both loop counts 1) calls the kernel without a loop nest (alu-kernel.ts
 * aluKernelOne): two arguments instead of eleven, from a function small enough (under V8's 460
 * bytes of bytecode) to be inlined into the scheduler's loop; anything else goes to the general form.
 *
 * It returns the instruction's cycle estimate (cost.ts: iterations · (1 immediate, 2 tensor) + 4),
 * or NOT_HANDLED before touching any state when the general path must run it (an undefined
 * opcode, a micro-op range past the buffer, an operation without a kernel: the general path
 * reports or runs those exactly as before), or KERNEL_FAILED when the kernel stopped at an index
 * out of range (the index is in Scratchpads.failedIndex; the writes before it are done, as with
 * the general path).
 */
import type { VtaParams } from '../../runtime/config/config.js';
import type { Counters } from '../../runtime/contract/target.js';
import { layoutOf } from '../../runtime/isa/layout.js';
import { AluOp, aluOpOf } from './alu-ops.js';
import { fieldSource } from './decoded.js';
import { SHL } from './wasm/alu-kernel.js';
import type { Kernels } from './wasm/kernels.js';

export const NOT_HANDLED = -1;
export const KERNEL_FAILED = -2;

/** Runs the ALU instruction at word `w` of `words`; its cycle estimate, NOT_HANDLED or KERNEL_FAILED. */
export type FastAlu = (words: Uint32Array, w: number, kernels: Kernels, counters: Counters) => number;

const cache = new WeakMap<VtaParams, FastAlu>();

export function fastAluOf(p: VtaParams): FastAlu {
  let f = cache.get(p);
  if (f) return f;
  const l = layoutOf(p).ALU;
  const field = (name: string) => fieldSource(l.get(name)!, (k) => `w${k}`);
  // Opcode → operation for this configuration, -1 where it is undefined.
  const ops = Array.from({ length: 2 ** l.get('alu_opcode')!.width }, (_, op) => aluOpOf(p, op) ?? -1);
  // The general form (any micro-op range and loop counts; the nest kernels).
  const nest = `function fastAluNest(words, w, kernels, counters) {
      const w0 = words[w], w1 = words[w + 1], w2 = words[w + 2], w3 = words[w + 3];
      const op = OPS[${field('alu_opcode')}];
      if (op < 0) return ${NOT_HANDLED};
      const uopBgn = ${field('uop_bgn')};
      const uopEnd = ${field('uop_end')};
      const iterOut = ${field('iter_out')};
      const iterIn = ${field('iter_in')};
      const useImm = ${field('use_imm')} !== 0;
      const uops = uopEnd > uopBgn ? uopEnd - uopBgn : 0;
      const iterations = uops * iterOut * iterIn;
      const cycles = iterations * (useImm ? 1 : 2) + 4;
      // Reversed micro-op ranges and zero loop counts do nothing (targets/fsim/README.md).
      if (iterations === 0) return cycles;
      if (uopEnd > ${p.uopDepth}) return ${NOT_HANDLED};
      const imm = ${field('imm')};
      let k = op, arg = imm;
      if (useImm && op === ${AluOp.Shr}) { k = SHIFT_KERNEL(imm); arg = SHIFT_ARG(imm); }
      const kernel = useImm ? kernels.aluImm[k] : kernels.aluTensor[k];
      if (kernel === undefined) return ${NOT_HANDLED};
      if (kernel(uopBgn, uopEnd, iterOut, iterIn, ${field('dst_factor_out')}, ${field('dst_factor_in')}, ${field('src_factor_out')}, ${field('src_factor_in')}, 0, 0, arg) !== 0) return ${KERNEL_FAILED};
      counters.aluOps += iterations;
      return cycles;
    }`;
  // The commonest instruction, one micro-op and one iteration, on its own: the kernel without a
  // loop nest (alu-kernel.ts aluKernelOne, whose result does not depend on the factors), and a
  // function small enough for V8 to inline into the scheduler (under 460 bytes of bytecode).
  const src = `
    const OPS = Int8Array.of(${ops.join(', ')});
    // Upstream's shift rule as exec-compute.ts's aluKernelFor / aluKernelArg turn it into kernels.
    const SHIFT_KERNEL = (imm) => (imm >= 0 ? ${AluOp.Shr} : imm <= -32 ? ${AluOp.Mov} : ${SHL});
    const SHIFT_ARG = (imm) => (imm >= 0 ? (imm < 31 ? imm : 31) : imm <= -32 ? 0 : -imm);
    ${nest}
    return function fastAlu(words, w, kernels, counters) {
      // Which word holds which field depends on the configuration: all four are read.
      const w0 = words[w], w1 = words[w + 1], w2 = words[w + 2], w3 = words[w + 3];
      const uopBgn = ${field('uop_bgn')};
      if (${field('uop_end')} !== uopBgn + 1 || ${field('iter_out')} !== 1 || ${field('iter_in')} !== 1 || uopBgn >= ${p.uopDepth}) return fastAluNest(words, w, kernels, counters);
      const op = OPS[${field('alu_opcode')}];
      if (op < 0) return ${NOT_HANDLED};
      const imm = ${field('imm')};
      let kernel;
      if (${field('use_imm')} === 0) kernel = kernels.aluTensorOne[op];
      else if (op !== ${AluOp.Shr}) kernel = kernels.aluImmOne[op];
      else return kernels.aluImmOne[SHIFT_KERNEL(imm)](uopBgn, SHIFT_ARG(imm)) !== 0 ? ${KERNEL_FAILED} : (counters.aluOps++, 5);
      if (kernel === undefined) return ${NOT_HANDLED};
      if (kernel(uopBgn, imm) !== 0) return ${KERNEL_FAILED};
      counters.aluOps++;
      return ${field('use_imm')} === 0 ? 6 : 5;
    };`;
  // Built only from the layout's integers and constants, never from program data.
  f = new Function(src)() as FastAlu;
  cache.set(p, f);
  return f;
}

/**
 * fsim's WebAssembly kernels: compiled once per configuration shape, instantiated over a memory
 * that holds one run's scratchpads (reused by later runs of the same shape). Without WebAssembly (or for a shape no
 * kernel covers) there are no kernels and fsim runs its JavaScript loops, which give the same
 * results.
 */
import type { VtaParams } from '../../../runtime/config/config.js';
import type { SramLayout } from '../sram-layout.js';
import type { UopFields } from '../uop-fields.js';
import { aluKernel, aluKernelName, aluKernelOne, aluKernelOps, SHL } from './alu-kernel.js';
import { moduleBytes } from '../../../runtime/wasm/emit.js';
import { wasm, WASM_PAGE, type WasmMemory, type WasmModule } from '../../../runtime/wasm/api.js';
import { gemmKernel } from './gemm-kernel.js';

/** A kernel over the loop nest (nest.ts) plus one more argument; 0 or a failure code. */
export type NestKernel = (uopBgn: number, uopEnd: number, iterOut: number, iterIn: number, dstOut: number, dstIn: number, srcOut: number, srcIn: number, wgtOut: number, wgtIn: number, extra: number) => number;

export interface Kernels {
  /** GEMM (gemm-kernel.ts); extra = reset_reg. 0, or 1/2/3 for an ACC/INP/WGT index out of range. */
  gemm: NestKernel;
  /** ALU kernels by operation (alu-kernel.ts), immediate and tensor forms; undefined = none. */
  aluImm: readonly (NestKernel | undefined)[];
  aluTensor: readonly (NestKernel | undefined)[];
  /** The same for a single iteration (alu-kernel.ts aluKernelOne): (micro-op index, B). */
  aluImmOne: readonly (OneKernel | undefined)[];
  aluTensorOne: readonly (OneKernel | undefined)[];
}

/** A single-iteration ALU kernel: the micro-op's index and B; 0 or 1 (an ACC index out of range, at byte 0). */
export type OneKernel = (uop: number, b: number) => number;

/**
 * Configurations the kernels cover: BLOCK_IN and BLOCK_OUT multiples of 4, and indices that
 * cannot wrap in 32-bit arithmetic (index + y·factor + x·factor stays below 2³¹, so a bad index
 * is reported with the same value JavaScript computes). The rest run the JavaScript loops.
 */
export function kernelsFit(p: VtaParams): boolean {
  const widest = Math.max(p.logAccDepth, p.logInpDepth, p.logWgtDepth);
  return p.blockIn % 4 === 0 && p.blockOut % 4 === 0 && p.iterWidth + widest + 2 <= 31;
}

/** Everything a module's code depends on, as a string (worked out once per configuration object). */
const shapeKeys = new WeakMap<VtaParams, string>();
function shapeKey(p: VtaParams, layout: SramLayout, uf: UopFields): string {
  let key = shapeKeys.get(p);
  if (key === undefined) shapeKeys.set(p, (key = JSON.stringify([p.batch, p.blockIn, p.blockOut, p.accDepth, p.inpDepth, p.wgtDepth, layout, uf])));
  return key;
}

/** Compiled modules by shape; null when the shape has no kernels or compiling failed. */
const modules = new Map<string, WasmModule | null>();

function moduleFor(p: VtaParams, layout: SramLayout, uf: UopFields): WasmModule | null {
  if (!wasm || !kernelsFit(p)) return null;
  const key = shapeKey(p, layout, uf);
  let m = modules.get(key);
  if (m === undefined) {
    const fns = [gemmKernel(p, layout, uf), ...aluKernelOps().flatMap(({ op, imm }) => [aluKernel(p, layout, uf, op, imm), aluKernelOne(p, layout, uf, op, imm)])];
    try {
      m = new wasm.Module(moduleBytes(fns));
    } catch {
      // A runtime without SIMD rejects the module: the JavaScript loops take over.
      m = null;
    }
    modules.set(key, m);
  }
  return m;
}

/** A memory for one run's scratchpads, with kernels instantiated over it. */
export interface KernelMemory {
  readonly memory: WasmMemory;
  readonly kernels: Kernels;
  readonly shape: string;
}

/**
 * Memories whose run has ended, by shape. Instantiating the module costs about 0.1 ms, as much as
 * running a short recorded program, so a finished run's memory is zeroed and handed to the next.
 */
const idle = new Map<string, KernelMemory[]>();

/** A zeroed memory with kernels for this configuration, or undefined when there are none. */
export function acquireKernels(p: VtaParams, layout: SramLayout, uf: UopFields): KernelMemory | undefined {
  const m = moduleFor(p, layout, uf);
  if (!m || !wasm) return undefined;
  const shape = shapeKey(p, layout, uf);
  const reused = idle.get(shape)?.pop();
  if (reused) {
    // The event sink's bytes at the end need no zeroing (it writes before it reads there).
    new Uint8Array(reused.memory.buffer, 0, layout.sink).fill(0);
    return reused;
  }
  const memory = new wasm.Memory({ initial: Math.ceil(layout.bytes / WASM_PAGE) });
  const exports = new wasm.Instance(m, { env: { mem: memory } }).exports;
  const alu = <K>(imm: boolean, one: boolean) => Array.from({ length: SHL + 1 }, (_, op) => exports[aluKernelName(op, imm, one)] as K | undefined);
  const kernels: Kernels = { gemm: exports.gemm as NestKernel, aluImm: alu(true, false), aluTensor: alu(false, false), aluImmOne: alu(true, true), aluTensorOne: alu(false, true) };
  return { memory, shape, kernels };
}

/** Give back a memory whose run has ended (nothing may use it afterwards). */
export function releaseKernels(k: KernelMemory): void {
  const list = idle.get(k.shape) ?? [];
  if (list.length < 2) list.push(k); // a couple per shape covers sequential runs; the rest are collected
  idle.set(k.shape, list);
}

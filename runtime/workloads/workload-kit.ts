/**
 * What the builder-based workloads share: seeded data, parameter parsing, identity weights (to
 * read INP contents back through the GEMM unit), and the last step that attaches the golden
 * expectations and the reproduction record to a bundle.
 */
import type { ProgramBundle } from '../bundle/bundle.js';
import type { VtaParams } from '../config/config.js';
import type { ProgramBuilder } from '../builder/program-builder.js';
import type { UopKernel } from '../builder/uop-kernel.js';
import { WorkloadError } from './errors.js';
import { prng } from './random-program.js';

export type Rand = (n: number) => number;

/** A workload built on the program builder. */
export interface BuilderWorkload {
  name: string;
  description: string;
  build(p: VtaParams, seed: number, params: Record<string, unknown>): ProgramBundle;
}

export function seededRand(seed: number): Rand {
  return prng(seed);
}

/** n int8 values, uniform over −128..127. */
export function randomInt8(rand: Rand, n: number): Int8Array {
  return Int8Array.from({ length: n }, () => rand(256) - 128);
}

/** n int32 values, uniform over lo..hi (inclusive, |lo|, |hi| ≤ 2^31). */
export function randomInt32(rand: Rand, n: number, lo = -(2 ** 31), hi = 2 ** 31 - 1): Int32Array {
  const span = hi - lo + 1;
  // Two 16-bit draws give 32 bits: enough for any span of the int32 range.
  return Int32Array.from({ length: n }, () => lo + ((rand(65536) * 65536 + rand(65536)) % span));
}

/** The bytes of an int8 or int32 array, little-endian. */
export function bytesOf(a: Int8Array | Int32Array): Uint8Array {
  if (a instanceof Int8Array) return new Uint8Array(a.buffer, a.byteOffset, a.byteLength).slice();
  const out = new Uint8Array(a.length * 4);
  const view = new DataView(out.buffer);
  a.forEach((x, i) => view.setInt32(i * 4, x, true));
  return out;
}

/** An integer workload parameter in lo..hi, or its default. */
export function intParam(params: Record<string, unknown>, key: string, dflt: number, lo: number, hi: number, workload: string): number {
  const v = params[key] ?? dflt;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
    throw new WorkloadError(`workload ${workload}: parameter ${key} must be an integer in ${lo}..${hi}, got ${JSON.stringify(v)}`);
  }
  return v;
}

/** A boolean workload parameter, or its default. */
export function boolParam(params: Record<string, unknown>, key: string, dflt: boolean, workload: string): boolean {
  const v = params[key] ?? dflt;
  if (typeof v !== 'boolean') throw new WorkloadError(`workload ${workload}: parameter ${key} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * One WGT element holding the identity: W[o][i] = 1 when o = i. A GEMM with it copies INP lane
 * (b, i) to ACC lane (b, i) (lanes o ≥ BLOCK_IN stay 0), so stored outputs show what INP held.
 */
export function identityWeights(p: VtaParams): Uint8Array {
  const w = new Uint8Array(p.blockOut * p.blockIn);
  for (let o = 0; o < Math.min(p.blockOut, p.blockIn); o++) w[o * p.blockIn + o] = 1;
  return w;
}

/** Requantise ACC elements in place: SHR by `shift`, optional relu, clip to int8 (MIN 127, MAX −128). */
export function emitRequant(b: ProgramBuilder, kernel: UopKernel, shift: number, relu = false): void {
  b.alu('shr', kernel, { imm: shift });
  if (relu) b.alu('max', kernel, { imm: 0 });
  b.alu('min', kernel, { imm: 127 });
  b.alu('max', kernel, { imm: -128 });
}

/** Finish the program and attach what is needed to check and to reproduce it. */
export function finishWorkload(
  b: ProgramBuilder,
  workload: { name: string; seed: number; params: Record<string, unknown> },
  expected: Record<string, Uint8Array>,
): ProgramBundle {
  const bundle = b.finish();
  bundle.workload = { name: workload.name, params: workload.params, seed: workload.seed };
  bundle.expected = expected;
  for (const o of bundle.outputs) {
    if (expected[o.name]?.length !== o.size) throw new Error(`workload ${workload.name}: expected bytes for output ${o.name} do not match its size`);
  }
  return bundle;
}

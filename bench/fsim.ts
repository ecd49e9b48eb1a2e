/**
 * fsim throughput: MAC/s on one long GEMM (default 1×16×16 config, 256 MAC per micro-op
 * iteration) and instructions/s on a stream of one-uop ALU instructions, untraced, plus peak
 * memory. With VTA_UPSTREAM_TVM_VTA set (bench/upstream-fsim.ts), upstream's C++ fsim runs the same
 * two bundles in the same run and the ratios are printed; without it, only fsim's own figures.
 *
 * Each figure is the best of several runs (the first ones also warm the JIT), in wall-clock time
 * and in CPU time: the machine is shared, and CPU time is what other processes disturb least.
 * The GEMM is also timed with fsim's JavaScript loops (WebAssembly kernels off), side by side, and
 * both are timed as traced runs go: with a signal, so that fsim pauses for the event loop.
 */
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import type { VtaParams } from '../runtime/config/config.js';
import { resolveConfig } from '../runtime/config/fixtures.js';
import { encodeProgram, encodeUop } from '../runtime/isa/codec.js';
import { NO_DEPS, type Insn } from '../runtime/isa/insn.js';
import { createFsimTarget, type FsimOptions } from '../targets/fsim/fsim-target.js';
import type { EventSink } from '../runtime/contract/events.js';
import { upstreamFsim } from './upstream-fsim.js';

const RUNS = Number(process.env.VTA_BENCH_FSIM_RUNS ?? 7);
const quiet: EventSink = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };
const mem = { ...NO_DEPS, is_pad_min_value: 0, y_pad_0: 0, y_pad_1: 0, x_pad_0: 0, x_pad_1: 0 };
const FINISH: Insn = { ...NO_DEPS, opcode: 3 };
/** The uop buffer's address: on the page after an `insnCount`-instruction stream at 0x1000, as upstream's allocator would place it. */
const uopAddrAfter = (insnCount: number) => 0x1000 + Math.ceil((insnCount * 16) / 4096) * 4096;

/** A bundle around an encoded instruction stream, with 16 micro-ops (dst = src = wgt = i). */
function bundleOf(p: VtaParams, insnBytes: Uint8Array): ProgramBundle {
  const insnCount = insnBytes.length / 16;
  const uops = new Uint32Array(16);
  for (let i = 0; i < 16; i++) uops[i] = encodeUop(p, { dst_idx: i, src_idx: i, wgt_idx: i });
  return {
    params: p,
    insnAddr: 0x1000,
    insnCount,
    buffers: [
      { name: 'insn', role: 'insn', addr: 0x1000, bytes: insnBytes },
      { name: 'uop', role: 'uop', addr: uopAddrAfter(insnCount), bytes: new Uint8Array(uops.buffer) },
    ],
    outputs: [],
    sourceMap: Array.from({ length: insnCount }, () => null),
  };
}

/** The LOAD of the 16 micro-ops in a program of `insnCount` instructions. */
const loadUops = (insnCount: number) => ({ ...mem, opcode: 0, memory_type: 0, sram_base: 0, dram_base: uopAddrAfter(insnCount) / 4, y_size: 1, x_size: 16, x_stride: 16 }) as Insn;

interface Timing {
  wall: number;
  cpu: number;
}

/** Best wall-clock and best CPU seconds over RUNS runs. */
async function timeRun(b: ProgramBundle, opts: FsimOptions = {}, signal?: AbortSignal): Promise<Timing> {
  const best = { wall: Infinity, cpu: Infinity };
  const target = createFsimTarget(opts);
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const c0 = process.cpuUsage();
    const r = await target.run({ bundle: b, sink: quiet, signal });
    const c = process.cpuUsage(c0);
    if (r.status !== 'ok') throw new Error(`bench program ended with ${r.status}: ${r.message}`);
    best.wall = Math.min(best.wall, Number(process.hrtime.bigint() - t0) / 1e9);
    best.cpu = Math.min(best.cpu, (c.user + c.system) / 1e6);
  }
  return best;
}

/** One long GEMM on the default config (16 micro-ops × iterOut × 64), shared with the tracer bench. */
export function largeGemmBundle(iterOut: number): ProgramBundle {
  const p = resolveConfig('default');
  const gemm = { ...NO_DEPS, opcode: 2, reset_reg: 0, uop_bgn: 0, uop_end: 16, iter_out: iterOut, iter_in: 64, dst_factor_out: 0, dst_factor_in: 16, src_factor_out: 0, src_factor_in: 16, wgt_factor_out: 0, wgt_factor_in: 0 } as Insn;
  return bundleOf(p, encodeProgram(p, [loadUops(3), gemm, FINISH]));
}

/** LOAD of the micro-ops, n copies of one instruction, FINISH; the copy is encoded once. */
function streamBundle(p: VtaParams, insn: Insn, n: number): ProgramBundle {
  const bytes = new Uint8Array((n + 2) * 16);
  bytes.set(encodeProgram(p, [loadUops(n + 2)]), 0);
  const one = encodeProgram(p, [insn]);
  for (let i = 1; i <= n; i++) bytes.set(one, i * 16);
  bytes.set(encodeProgram(p, [FINISH]), (n + 1) * 16);
  return bundleOf(p, bytes);
}

/** One-micro-op ALU instruction (ADD immediate 1 to ACC row 0): the per-instruction cost. */
const ONE_UOP_ALU = { ...NO_DEPS, opcode: 4, reset_reg: 0, uop_bgn: 0, uop_end: 1, iter_out: 1, iter_in: 1, dst_factor_out: 0, dst_factor_in: 0, src_factor_out: 0, src_factor_in: 0, alu_opcode: 2, use_imm: 1, imm: 1 } as Insn;

/** LOAD of the micro-ops, n one-micro-op ALU instructions, FINISH, on the default config. */
export function oneUopStreamBundle(n: number): ProgramBundle {
  return streamBundle(resolveConfig('default'), ONE_UOP_ALU, n);
}

export async function benchFsim(): Promise<Record<string, number | string>> {
  const p = resolveConfig('default');
  const macsOf = (iterOut: number) => iterOut * 64 * 16 * p.batch * p.blockIn * p.blockOut;
  const iterOut = Number(process.env.VTA_BENCH_FSIM_ITER ?? 2000);
  const gemm = await timeRun(largeGemmBundle(iterOut));
  // The JavaScript loops are ~30× slower: a shorter GEMM keeps this figure's run time similar.
  const jsIterOut = Math.max(1, Math.round(iterOut / 20));
  const gemmJs = await timeRun(largeGemmBundle(jsIterOut), { kernels: false });

  const n = Number(process.env.VTA_BENCH_FSIM_INSNS ?? 200_000);
  const stream = await timeRun(oneUopStreamBundle(n));
  // With a signal, as every traced run has (tracer/trace-run.ts): fsim pauses for the event loop at each clock check.
  const paused = await timeRun(oneUopStreamBundle(n), {}, new AbortController().signal);
  const gemmPaused = await timeRun(largeGemmBundle(iterOut), {}, new AbortController().signal);

  const macPerS = macsOf(iterOut) / gemm.wall;
  const insnPerS = (n + 2) / stream.wall;
  const upstream = upstreamFsim(p);
  const beside: Record<string, number | string> = {};
  if (typeof upstream === 'string') {
    beside['upstream C++ fsim'] = upstream;
  } else {
    const upGemm = upstream.time(largeGemmBundle(iterOut), RUNS);
    const upStream = upstream.time(oneUopStreamBundle(n), RUNS);
    Object.assign(beside, {
      'upstream C++ fsim -O2, same run: gemm MAC/s': macsOf(iterOut) / upGemm.wall,
      'upstream: gemm MAC/s (CPU time)': macsOf(iterOut) / upGemm.cpu,
      'upstream: instructions/s': (n + 2) / upStream.wall,
      'upstream: instructions/s (CPU time)': (n + 2) / upStream.cpu,
      'gemm MAC/s: fsim / upstream': upGemm.wall / gemm.wall,
      'gemm MAC/s: fsim / upstream (CPU time)': upGemm.cpu / gemm.cpu,
      'ns per instruction: fsim / upstream': `${((1e9 * stream.wall) / (n + 2)).toFixed(1)} / ${((1e9 * upStream.wall) / (n + 2)).toFixed(1)}`,
      'ns per instruction (CPU time): fsim / upstream': `${((1e9 * stream.cpu) / (n + 2)).toFixed(1)} / ${((1e9 * upStream.cpu) / (n + 2)).toFixed(1)}`,
      'instructions/s: fsim / upstream': upStream.wall / stream.wall,
      'instructions/s: fsim / upstream (CPU time)': upStream.cpu / stream.cpu,
    });
  }
  return {
    'gemm MACs': macsOf(iterOut),
    'gemm MAC/s': macPerS,
    'gemm MAC/s (CPU time)': macsOf(iterOut) / gemm.cpu,
    'gemm MAC/s, pausing for signals': macsOf(iterOut) / gemmPaused.wall,
    'gemm MAC/s, JavaScript loops': macsOf(jsIterOut) / gemmJs.wall,
    'gemm MAC/s, JavaScript loops (CPU time)': macsOf(jsIterOut) / gemmJs.cpu,
    'one-uop instructions': n + 2,
    'instructions/s': insnPerS,
    'instructions/s (CPU time)': (n + 2) / stream.cpu,
    'instructions/s, pausing for signals': (n + 2) / paused.wall,
    ...beside,
    'peak RSS MiB': process.resourceUsage().maxRSS / 1024,
  };
}

/**
 * fsim throughput: MAC/s on one long GEMM (default 1×16×16 config, 256 MAC per micro-op
 * iteration) and instructions/s on a stream of one-uop ALU instructions, untraced, plus peak
 * memory. Upstream's C++ fsim reaches about 5.0e9 MAC/s and 1.6e7 insn/s on this machine class.
 */
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import type { VtaParams } from '../runtime/config/config.js';
import { resolveConfig } from '../runtime/config/fixtures.js';
import { encodeProgram, encodeUop } from '../runtime/isa/codec.js';
import { NO_DEPS, type Insn } from '../runtime/isa/insn.js';
import { createFsimTarget } from '../targets/fsim/fsim-target.js';
import type { EventSink } from '../tracer/events.js';

const UPSTREAM_MACS = 5.0e9;
const UPSTREAM_INSNS = 1.6e7;
const quiet: EventSink = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };
const mem = { ...NO_DEPS, is_pad_min_value: 0, y_pad_0: 0, y_pad_1: 0, x_pad_0: 0, x_pad_1: 0 };

function bundleOf(p: VtaParams, insns: Insn[]): ProgramBundle {
  const uops = new Uint32Array(16);
  for (let i = 0; i < 16; i++) uops[i] = encodeUop(p, { dst_idx: i, src_idx: i, wgt_idx: i });
  return {
    params: p,
    insnAddr: 0x1000,
    insnCount: insns.length,
    buffers: [
      { name: 'insn', role: 'insn', addr: 0x1000, bytes: encodeProgram(p, insns) },
      { name: 'uop', role: 'uop', addr: 0x1000 + Math.ceil((insns.length * 16) / 4096) * 4096, bytes: new Uint8Array(uops.buffer) },
    ],
    outputs: [],
    sourceMap: [],
  };
}

function loadUops(b: ProgramBundle): Insn {
  return { ...mem, opcode: 0, memory_type: 0, sram_base: 0, dram_base: b.buffers[1]!.addr / 4, y_size: 1, x_size: 16, x_stride: 16 } as Insn;
}

/** Best of three runs (the first also warms the JIT): the machine is shared and noisy. */
async function timeRun(b: ProgramBundle): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = process.hrtime.bigint();
    const r = await createFsimTarget().run({ bundle: b, sink: quiet });
    if (r.status !== 'ok') throw new Error(`bench program ended with ${r.status}: ${r.message}`);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e9);
  }
  return best;
}

/** One long GEMM on the default config (16 micro-ops × iterOut × 64), shared with the tracer bench. */
export function largeGemmBundle(iterOut: number): ProgramBundle {
  const p = resolveConfig('default');
  const gemm = (b: ProgramBundle): Insn[] => [
    loadUops(b),
    { ...NO_DEPS, opcode: 2, reset_reg: 0, uop_bgn: 0, uop_end: 16, iter_out: iterOut, iter_in: 64, dst_factor_out: 0, dst_factor_in: 16, src_factor_out: 0, src_factor_in: 16, wgt_factor_out: 0, wgt_factor_in: 0 } as Insn,
    { ...NO_DEPS, opcode: 3 },
  ];
  // Built twice: the uop buffer's address depends on the instruction stream's size.
  return bundleOf(p, gemm(bundleOf(p, gemm(bundleOf(p, [{ ...NO_DEPS, opcode: 3 }])))));
}

export async function benchFsim(): Promise<Record<string, number | string>> {
  const p = resolveConfig('default');
  const iterOut = Number(process.env.VTA_BENCH_FSIM_ITER ?? 400);
  const gb = largeGemmBundle(iterOut);
  const macs = iterOut * 64 * 16 * p.batch * p.blockIn * p.blockOut;
  const gemmSeconds = await timeRun(gb);

  const n = Number(process.env.VTA_BENCH_FSIM_INSNS ?? 200_000);
  const oneUop = { ...NO_DEPS, opcode: 4, reset_reg: 0, uop_bgn: 0, uop_end: 1, iter_out: 1, iter_in: 1, dst_factor_out: 0, dst_factor_in: 0, src_factor_out: 0, src_factor_in: 0, alu_opcode: 2, use_imm: 1, imm: 1 } as Insn;
  const stream = (b: ProgramBundle): Insn[] => [
    loadUops(b),
    // One shared object: the bench measures the run, not building 200k objects.
    ...new Array<Insn>(n).fill(oneUop),
    { ...NO_DEPS, opcode: 3 } as Insn,
  ];
  let sb = bundleOf(p, stream(bundleOf(p, [])));
  sb = bundleOf(p, stream(sb));
  const streamSeconds = await timeRun(sb);

  const macPerS = macs / gemmSeconds;
  const insnPerS = (n + 2) / streamSeconds;
  return {
    'gemm MACs': macs,
    'gemm MAC/s': macPerS,
    'gemm MAC/s vs upstream C++ fsim (5.0e9)': macPerS / UPSTREAM_MACS,
    'one-uop instructions': n + 2,
    'instructions/s': insnPerS,
    'instructions/s vs upstream C++ fsim (1.6e7)': insnPerS / UPSTREAM_INSNS,
    'peak RSS MiB': process.resourceUsage().maxRSS / 1024,
  };
}

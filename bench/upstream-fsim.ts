/**
 * Upstream's C++ fsim beside ours, in the same run: when VTA_UPSTREAM_TVM_VTA names an
 * apache/tvm-vta checkout, its sim sources are compiled with g++ -O2 together with a small driver
 * of our own (bench/upstream-fsim/driver.cc, plus our stand-ins for the two TVM/dmlc headers it
 * includes) into .cache/bench/; nothing of upstream's is copied into this repository. Without the
 * variable the bench quotes only fsim's own figures.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import type { VtaParams } from '../runtime/config/config.js';

export const UPSTREAM_ENV = 'VTA_UPSTREAM_TVM_VTA';
const UPSTREAM_SOURCES = ['src/sim/sim_driver.cc', 'src/sim/sim_tlpp.cc', 'src/vmem/virtual_memory.cc'];
/** Our driver and header stand-ins, from the bench's source folder (bench/ → dist/bench/ after tsc). */
const OURS = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bench', 'upstream-fsim');
const OUR_SOURCES = ['driver.cc', 'shim/tvm/runtime/registry.h', 'shim/dmlc/logging.h'];

export interface UpstreamFsim {
  /** Best wall-clock and best CPU seconds of one run of the bundle over `runs` runs. */
  time(b: ProgramBundle, runs: number): { wall: number; cpu: number };
}

/** The -D definitions upstream's config/pkg_config.py would derive for this configuration. */
function defines(p: VtaParams): string[] {
  const d: Record<string, number> = {
    LOG_INP_WIDTH: p.logInpWidth,
    LOG_WGT_WIDTH: p.logWgtWidth,
    LOG_ACC_WIDTH: p.logAccWidth,
    LOG_OUT_WIDTH: p.logOutWidth,
    LOG_BATCH: p.logBatch,
    LOG_BLOCK: p.logBlockIn,
    LOG_BLOCK_IN: p.logBlockIn,
    LOG_BLOCK_OUT: p.logBlockOut,
    LOG_UOP_BUFF_SIZE: p.logUopBuffSize,
    LOG_INP_BUFF_SIZE: p.logInpBuffSize,
    LOG_WGT_BUFF_SIZE: p.logWgtBuffSize,
    LOG_ACC_BUFF_SIZE: p.logAccBuffSize,
    LOG_OUT_BUFF_SIZE: p.logOutBuffSize,
    LOG_BUS_WIDTH: p.logBusWidth,
  };
  return Object.entries(d).map(([k, v]) => `-DVTA_${k}=${v}`);
}

/** The program image driver.cc reads: buffers in address order, then the instruction address and count. */
function programImage(b: ProgramBundle): Uint8Array {
  const sorted = [...b.buffers].sort((x, y) => x.addr - y.addr);
  const parts: Buffer[] = [u32(sorted.length)];
  for (const x of sorted) parts.push(u32(x.addr), u32(x.bytes.length), Buffer.from(x.bytes));
  parts.push(u32(b.insnAddr), u32(b.insnCount));
  return Buffer.concat(parts);
}

function u32(v: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(v);
  return out;
}

/** Upstream's fsim for `p`, built (once per source and configuration) — or why it is not available. */
export function upstreamFsim(p: VtaParams): UpstreamFsim | string {
  const root = process.env[UPSTREAM_ENV];
  if (!root) return `not measured: set ${UPSTREAM_ENV} to an apache/tvm-vta checkout to build it beside fsim`;
  const checkout = resolve(root);
  const missing = UPSTREAM_SOURCES.find((f) => !existsSync(join(checkout, f)));
  if (missing) return `not measured: ${UPSTREAM_ENV}=${root} has no ${missing}`;
  const h = createHash('sha256').update(defines(p).join(' '));
  for (const f of [...UPSTREAM_SOURCES.map((s) => join(checkout, s)), ...OUR_SOURCES.map((s) => join(OURS, s))]) h.update(readFileSync(f));
  const dir = resolve('.cache', 'bench', `upstream-fsim-${h.digest('hex').slice(0, 16)}`);
  const exe = join(dir, 'driver');
  if (!existsSync(exe)) {
    mkdirSync(dir, { recursive: true });
    try {
      const args = ['-O2', '-std=c++17', '-I', join(checkout, 'include'), '-I', join(OURS, 'shim'), ...defines(p), ...UPSTREAM_SOURCES.map((s) => join(checkout, s)), join(OURS, 'driver.cc'), '-o', exe];
      execFileSync('g++', args, { stdio: 'pipe' });
    } catch (e) {
      return `not measured: building upstream's fsim failed: ${String((e as { stderr?: Buffer }).stderr ?? e).split('\n').find((l) => /error/.test(l)) ?? 'g++ failed'}`;
    }
  }
  return {
    time(b, runs) {
      const image = join(dir, `program-${process.pid}.bin`);
      writeFileSync(image, programImage(b));
      const [wall, cpu] = execFileSync(exe, [image, String(runs)], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split(' ').map(Number);
      rmSync(image, { force: true });
      return { wall: wall!, cpu: cpu! };
    },
  };
}

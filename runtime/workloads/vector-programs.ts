/**
 * The recorded upstream-fsim programs (fixtures/vectors/programs-default.json, a copy of the shared
 * behavioural vectors) as workloads named `vec:<name>`. Each becomes a bundle with its buffers at
 * their recorded physical addresses and the recorded output bytes as the expected result.
 */
import { readFileSync } from 'node:fs';
import type { VtaParams } from '../config/config.js';
import { deriveParams } from '../config/config.js';
import type { BufferRole, ProgramBundle } from '../bundle/bundle.js';
import { repoPath } from '../repo.js';
import { WorkloadError } from './errors.js';
import { didYouMean } from '../suggest.js';

export interface VectorProgram {
  name: string;
  category: string;
  description: string;
  config: Record<string, unknown>;
  insn_count: number;
  insns: string[];
  buffers: { name: string; role: BufferRole; phy_addr: number; size: number; hex: string }[];
  output: { buffer: string; phy_addr: number; size: number; hex: string };
  profiler: Record<string, number | string>;
  matches_naive_reference: boolean;
  implementation_defined: boolean;
  note?: string;
}

let cache: VectorProgram[] | undefined;

export function vectorPrograms(): VectorProgram[] {
  cache ??= JSON.parse(readFileSync(repoPath('fixtures', 'vectors', 'programs-default.json'), 'utf8')) as VectorProgram[];
  return cache;
}

const fromHex = (hex: string) => Uint8Array.from(Buffer.from(hex, 'hex'));

export function vectorBundle(name: string, config?: VtaParams): ProgramBundle {
  const prog = vectorPrograms().find((v) => v.name === name);
  if (!prog) throw new WorkloadError(`no recorded program "vec:${name}"${didYouMean(`vec:${name}`, vectorPrograms().map((v) => `vec:${v.name}`))}; see \`vta-trace workloads\``);
  const params = deriveParams(prog.config);
  if (config && config.hash !== params.hash) {
    throw new WorkloadError(`vec:${name} was recorded for the default configuration only (got ${config.bitstream})`);
  }
  const insnBuf = prog.buffers.find((b) => b.role === 'insn')!;
  return {
    params,
    insnAddr: insnBuf.phy_addr,
    insnCount: prog.insn_count,
    buffers: prog.buffers.map((b) => ({ name: b.name, role: b.role, addr: b.phy_addr, bytes: fromHex(b.hex) })),
    outputs: [{ name: prog.output.buffer, addr: prog.output.phy_addr, size: prog.output.size }],
    sourceMap: Array.from({ length: prog.insn_count }, () => ({ op: `vec:${name}`, note: prog.description })),
    workload: { name: `vec:${name}` },
    expected: { [prog.output.buffer]: fromHex(prog.output.hex) },
  };
}

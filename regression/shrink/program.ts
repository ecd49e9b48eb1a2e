/**
 * The program being shrunk, held decoded: its instructions (each with the index it had in the
 * original bundle, so a seeded fault aimed at instruction K can follow it), their source-map
 * entries and the DRAM image. `toBundle` encodes it back; the instruction buffer keeps its
 * length (the program at its start, zeros after), so every buffer keeps its address and the
 * page rule of docs/bundle-format.md still holds.
 */
import type { DramBuffer, ProgramBundle, SourceMapEntry } from '../../runtime/bundle/bundle.js';
import { insnBytes } from '../../runtime/bundle/bundle.js';
import type { VtaParams } from '../../runtime/config/config.js';
import { decodeInsn, encodeProgram } from '../../runtime/isa/codec.js';
import { dependencyNop } from '../../runtime/builder/dependency-nop.js';
import { moduleOf, type DepFlags, type Insn, type MemInsn, type Module } from '../../runtime/isa/insn.js';

export const FLAGS: (keyof DepFlags)[] = ['pop_prev_dep', 'pop_next_dep', 'push_prev_dep', 'push_next_dep'];

export interface ShrinkInsn {
  insn: Insn;
  source: SourceMapEntry | null;
  /** Index in the original bundle; -1 for a NOP the shrinker made to keep a removed instruction's tokens. */
  origin: number;
}

export interface ShrinkProgram {
  params: VtaParams;
  insns: ShrinkInsn[];
  buffers: DramBuffer[];
  base: ProgramBundle;
}

export function fromBundle(b: ProgramBundle): ShrinkProgram {
  const raw = insnBytes(b);
  const insns = Array.from({ length: b.insnCount }, (_, pc) => ({ insn: decodeInsn(b.params, raw, pc * 16, pc), source: b.sourceMap[pc] ?? null, origin: pc }));
  return { params: b.params, insns, buffers: b.buffers.map((x) => ({ ...x, bytes: x.bytes.slice() })), base: b };
}

/**
 * The bundle of a program. It has no expected outputs (the golden result was the whole
 * program's) and no workload record (no workload regenerates it): it lives as a bundle file.
 */
export function toBundle(p: ShrinkProgram): ProgramBundle {
  const code = encodeProgram(p.params, p.insns.map((x) => x.insn));
  const insnBuf = p.base.buffers.find((x) => x.role === 'insn')!;
  const buffers = p.buffers.map((x) => {
    if (x.name !== insnBuf.name) return x;
    const bytes = new Uint8Array(Math.max(x.bytes.length, code.length + (p.base.insnAddr - x.addr)));
    bytes.set(code, p.base.insnAddr - x.addr);
    return { ...x, bytes };
  });
  return { params: p.params, insnAddr: p.base.insnAddr, insnCount: p.insns.length, buffers, outputs: p.base.outputs, sourceMap: p.insns.map((x) => x.source) };
}

/** A memory instruction that moves nothing: the upstream NOP, which only carries tokens. */
export function isNop(insn: Insn): boolean {
  return (insn.opcode === 0 || insn.opcode === 1) && insn.x_size === 0;
}

export function hasFlags(insn: Insn): boolean {
  return FLAGS.some((f) => insn[f]);
}

/** The upstream NOP of a module with these flags (the same NOP the builder's queue makes). */
export function nopOf(module: Module, flags: DepFlags): MemInsn {
  return dependencyNop(module, flags);
}

export function flagsOf(insn: Insn): DepFlags {
  return { pop_prev_dep: insn.pop_prev_dep, pop_next_dep: insn.pop_next_dep, push_prev_dep: insn.push_prev_dep, push_next_dep: insn.push_next_dep };
}

export { moduleOf };

/** A copy with other instructions (the DRAM image is shared until a reduction changes it). */
export function withInsns(p: ShrinkProgram, insns: ShrinkInsn[]): ShrinkProgram {
  return { ...p, insns };
}

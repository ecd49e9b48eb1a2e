/**
 * A small reading of a known-differences file (docs/known-differences.md, format
 * vta-trace.known-differences/1) for tests that sort many workloads by their first difference
 * (testing/first-difference.ts): which entry, if any, explains it. It implements the signature
 * keys and the named conditions the upstream Chisel file uses, on its own — the tracer's matcher
 * is the one `diff` and `regress` use; this one lets the env-gated upstream test count agree /
 * known / new without them, and is independent of them.
 */
import { readFileSync } from 'node:fs';
import type { ProgramBundle } from '../../../runtime/bundle/bundle.js';
import { insnBytes } from '../../../runtime/bundle/bundle.js';
import { decodeProgram, decodeUop } from '../../../runtime/isa/codec.js';
import { mnemonic } from '../../../runtime/isa/disasm.js';
import type { Insn, Uop } from '../../../runtime/isa/insn.js';
import type { RunStatus } from '../../../runtime/contract/target.js';
import type { Difference } from './first-difference.js';

type FieldForm = number | number[] | { min?: number; max?: number } | { not: FieldForm };

export interface KnownEntry {
  id: string;
  reason: string;
  link?: string;
  match: {
    insn?: string;
    module?: string;
    fields?: Record<string, FieldForm>;
    stream?: string | string[];
    kind?: 'value' | 'missing';
    status?: RunStatus | RunStatus[];
    condition?: string;
  };
}

export function loadKnown(path: string): KnownEntry[] {
  const json = JSON.parse(readFileSync(path, 'utf8')) as { format: string; entries: KnownEntry[] };
  if (json.format !== 'vta-trace.known-differences/1') throw new Error(`${path}: not a known-differences file`);
  return json.entries;
}

function fieldHolds(v: number | undefined, f: FieldForm): boolean {
  if (v === undefined) return false;
  if (typeof f === 'number') return v === f;
  if (Array.isArray(f)) return f.includes(v);
  if ('not' in f) return !fieldHolds(v, f.not);
  return (f.min === undefined || v >= f.min) && (f.max === undefined || v <= f.max);
}

const oneOf = <T>(v: T, want: T | T[] | undefined): boolean => want === undefined || (Array.isArray(want) ? want.includes(v) : want === v);

/** The uop buffer as the LOAD UOP instructions before `pc` left it (pads are zero uops). */
function uopsBefore(bundle: ProgramBundle, insns: Insn[], pc: number): Map<number, Uop> {
  const p = bundle.params;
  const uops = new Map<number, Uop>();
  const word = (addr: number): number => {
    for (const b of bundle.buffers) {
      if (addr >= b.addr && addr + 4 <= b.addr + b.bytes.length) {
        const o = addr - b.addr;
        return (b.bytes[o]! | (b.bytes[o + 1]! << 8) | (b.bytes[o + 2]! << 16) | (b.bytes[o + 3]! << 24)) >>> 0;
      }
    }
    return 0;
  };
  for (const i of insns.slice(0, pc)) {
    if (i.opcode !== 0 || i.memory_type !== 0 || i.x_size === 0) continue;
    const rowLen = i.x_pad_0 + i.x_size + i.x_pad_1;
    const rows = i.y_pad_0 + i.y_size + i.y_pad_1;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < rowLen; c++) {
        const y = r - i.y_pad_0;
        const x = c - i.x_pad_0;
        const inside = y >= 0 && y < i.y_size && x >= 0 && x < i.x_size;
        const w = inside ? word(((i.dram_base >>> 0) + y * i.x_stride + x) * 4) : 0;
        uops.set((i.sram_base + r * rowLen + c) % p.uopDepth, decodeUop(p, w));
      }
    }
  }
  return uops;
}

/** Each iteration of a GEMM/ALU, in execution order: its dst and src ACC rows. */
function iterations(bundle: ProgramBundle, insn: Insn, uops: Map<number, Uop>): { dst: number; src: number }[] {
  const out: { dst: number; src: number }[] = [];
  if (insn.opcode !== 2 && insn.opcode !== 4) return out;
  const accDepth = bundle.params.accDepth;
  for (let i = 0; i < insn.iter_out; i++) {
    for (let j = 0; j < insn.iter_in; j++) {
      for (let u = insn.uop_bgn; u < insn.uop_end; u++) {
        const uop = uops.get(u % bundle.params.uopDepth) ?? { dst_idx: 0, src_idx: 0, wgt_idx: 0 };
        const dst = (uop.dst_idx + i * insn.dst_factor_out + j * insn.dst_factor_in) % accDepth;
        const srcF = insn.opcode === 4 ? i * insn.src_factor_out + j * insn.src_factor_in : 0;
        out.push({ dst, src: (uop.src_idx + srcF) % accDepth });
      }
    }
  }
  return out;
}

/** The rows of ACC each instruction before `pc` wrote, and by what kind of write. */
function lastWriters(bundle: ProgramBundle, insns: Insn[], pc: number): Map<number, 'load' | 'reset' | 'compute'> {
  const rows = new Map<number, 'load' | 'reset' | 'compute'>();
  insns.slice(0, pc).forEach((i, k) => {
    if (i.opcode === 0 && (i.memory_type === 3 || i.memory_type === 5) && i.x_size > 0) {
      const n = (i.y_pad_0 + i.y_size + i.y_pad_1) * (i.x_pad_0 + i.x_size + i.x_pad_1);
      for (let r = 0; r < n; r++) rows.set(i.sram_base + r, 'load');
    } else if (i.opcode === 2 || i.opcode === 4) {
      const how = i.opcode === 2 && i.reset_reg ? 'reset' : 'compute';
      for (const it of iterations(bundle, i, uopsBefore(bundle, insns, k))) rows.set(it.dst, how);
    }
  });
  return rows;
}

function conditionHolds(name: string, bundle: ProgramBundle, insns: Insn[], pc: number, uopDepth: number | undefined): boolean {
  const insn = insns[pc]!;
  const alu = insn.opcode === 4 ? insn : undefined;
  switch (name) {
    case 'alu-imm-src-ne-dst':
      return !!alu?.use_imm && iterations(bundle, insn, uopsBefore(bundle, insns, pc)).some((it) => it.src !== it.dst);
    case 'alu-reads-earlier-write': {
      if (!alu) return false;
      const written = new Set<number>();
      for (const it of iterations(bundle, insn, uopsBefore(bundle, insns, pc))) {
        if (written.has(it.dst) || (!alu.use_imm && written.has(it.src))) return true;
        written.add(it.dst);
      }
      return false;
    }
    case 'shr-amount-out-of-range':
      return !!alu && alu.alu_opcode === 3 && alu.use_imm === 1 && (alu.imm < -31 || alu.imm > 31);
    case 'store-reads-row-not-computed': {
      if (insn.opcode !== 1) return false;
      const writers = lastWriters(bundle, insns, pc);
      for (let r = 0; r < insn.y_size * insn.x_size; r++) if (writers.get(insn.sram_base + r) !== 'compute') return true;
      return false;
    }
    case 'uop-range-empty':
      return (insn.opcode === 2 || insn.opcode === 4) && insn.uop_end <= insn.uop_bgn;
    case 'uop-index-beyond': {
      if (uopDepth === undefined) return false;
      if (insn.opcode === 2 || insn.opcode === 4) return insn.uop_end > uopDepth;
      if (insn.opcode === 0 && insn.memory_type === 0) return insn.sram_base + (insn.y_pad_0 + insn.y_size + insn.y_pad_1) * (insn.x_pad_0 + insn.x_size + insn.x_pad_1) > uopDepth;
      return false;
    }
    default:
      throw new Error(`known-differences condition "${name}" is not implemented here`);
  }
}

/** The first entry that explains the difference, or undefined. */
export function explain(entries: KnownEntry[], bundle: ProgramBundle, d: Difference, statuses: RunStatus[], uopDepth?: number): KnownEntry | undefined {
  const insns = decodeProgram(bundle.params, insnBytes(bundle));
  const name = mnemonic(bundle.params, d.insn);
  const module = d.insn.opcode === 1 ? 'store' : d.insn.opcode === 0 && (d.insn.memory_type === 1 || d.insn.memory_type === 2) ? 'load' : 'compute';
  return entries.find(({ match: m }) => {
    if (m.insn !== undefined && name !== m.insn && !name.startsWith(`${m.insn} `)) return false;
    if (m.module !== undefined && m.module !== module) return false;
    const fields = d.insn as unknown as Record<string, number>;
    if (m.fields && !Object.entries(m.fields).every(([k, f]) => fieldHolds(fields[k], f))) return false;
    if (!oneOf(d.stream, m.stream) && !(d.kind === 'missing' && m.stream === undefined)) return false;
    if (m.kind !== undefined && m.kind !== d.kind) return false;
    if (m.status !== undefined && !statuses.some((s) => oneOf(s, m.status))) return false;
    return m.condition === undefined || conditionHolds(m.condition, bundle, insns, d.pc, uopDepth);
  });
}

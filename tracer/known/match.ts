/**
 * Whether a divergence is one of the known differences: the first entry (in file order) whose
 * every given key holds explains it (docs/known-differences.md).
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import type { Insn, Module, Uop } from '../../runtime/isa/insn.js';
import type { Stream } from '../../runtime/contract/events.js';
import { holds } from './conditions.js';
import type { KnownEntry, ValueForm } from './known-file.js';

export interface DivergenceFacts {
  insn: Insn;
  /** As disassemble prints it first: "LOAD ACC_8BIT", "ALU SHR", "GEMM RESET"… */
  mnemonic: string;
  module: Module;
  stream?: Stream;
  kind?: 'value' | 'missing';
  /** Statuses of the compared runs. */
  statuses: string[];
  uops?: (Uop | undefined)[];
  uopDepth?: number;
  /** The program and the divergent instruction's index, for conditions over what ran before it. */
  bundle?: ProgramBundle;
  pc?: number;
}

export interface KnownVerdict {
  entry?: KnownEntry;
  /** Entries whose condition could not be checked (what it needs was not at hand). */
  unchecked: string[];
}

export function valueMatches(form: ValueForm, v: number): boolean {
  if (typeof form === 'number') return v === form;
  if (Array.isArray(form)) return form.includes(v);
  if ('not' in form) return !valueMatches(form.not, v);
  return (form.min === undefined || v >= form.min) && (form.max === undefined || v <= form.max);
}

function mnemonicMatches(want: string, got: string): boolean {
  return got === want || got.startsWith(`${want} `);
}

export function matchKnown(entries: readonly KnownEntry[], f: DivergenceFacts): KnownVerdict {
  const unchecked: string[] = [];
  for (const e of entries) {
    const m = e.match;
    if (m.insn !== undefined && !mnemonicMatches(m.insn, f.mnemonic)) continue;
    if (m.module !== undefined && m.module !== f.module) continue;
    if (m.stream !== undefined && (f.stream === undefined || !m.stream.includes(f.stream))) continue;
    if (m.kind !== undefined && m.kind !== f.kind) continue;
    if (m.status !== undefined && !f.statuses.some((s) => m.status!.includes(s))) continue;
    if (m.fields !== undefined) {
      const fields = f.insn as unknown as Record<string, number | undefined>;
      if (!Object.entries(m.fields).every(([name, form]) => fields[name] !== undefined && valueMatches(form, fields[name]!))) continue;
    }
    if (m.condition !== undefined) {
      const r = holds(m.condition, {
        insn: f.insn,
        ...(f.uops ? { uops: f.uops } : {}),
        ...(f.uopDepth !== undefined ? { uopDepth: f.uopDepth } : {}),
        ...(f.bundle && f.pc !== undefined ? { bundle: f.bundle, pc: f.pc } : {}),
      });
      if (r === 'unchecked') unchecked.push(e.id);
      if (r !== true) continue;
    }
    return { entry: e, unchecked };
  }
  return { unchecked };
}

/**
 * A divergence's signature as shrinking keeps it: the stream of the first divergent event, the
 * module and mnemonic (opcode, memory type or ALU operation) of its instruction, whether values
 * differ or an event is missing, and how each run ended. Taken from the tracer's first-divergence
 * report, so "still diverges the same way" means what `vta-trace diff` would say.
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { insnBytes } from '../../runtime/bundle/bundle.js';
import { decodeInsn } from '../../runtime/isa/codec.js';
import { mnemonic } from '../../runtime/isa/disasm.js';
import type { DivergenceReport } from '../../tracer/diverge/divergence.js';

export interface DivergenceSignature {
  module: string;
  /** e.g. "GEMM", "ALU ADD", "LOAD INP". */
  insn: string;
  stream: string;
  kind: string;
  /** Each run's status, in target order. */
  statuses: string[];
}

export function mnemonicAt(b: ProgramBundle, pc: number): string {
  return mnemonic(b.params, decodeInsn(b.params, insnBytes(b), pc * 16, pc));
}

/** The signature of a report, or undefined when the values agree or no event was located. */
export function signatureOf(report: DivergenceReport, bundle: ProgramBundle): DivergenceSignature | undefined {
  const f = report.first;
  if (report.values !== 'diverge' || !f || !f.located) return undefined;
  return { module: f.module ?? '?', insn: mnemonicAt(bundle, f.pc), stream: f.stream ?? '?', kind: f.kind ?? '?', statuses: report.runs.map((r) => r.status) };
}

export function sameSignature(a: DivergenceSignature, b: DivergenceSignature): boolean {
  return a.module === b.module && a.insn === b.insn && a.stream === b.stream && a.kind === b.kind && a.statuses.join() === b.statuses.join();
}

export function signatureText(s: DivergenceSignature): string {
  return `${s.insn} (${s.module}) ${s.stream} ${s.kind}`;
}

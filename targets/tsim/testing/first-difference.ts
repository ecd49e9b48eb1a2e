/**
 * The first instruction (in program order) at which two recorded runs differ: its SRAM/DRAM
 * writes, or whether it retired at all. A plain, independent comparison for tests that sort many
 * workloads into agree / differ without going through the tracer's divergence engine.
 */
import type { ProgramBundle } from '../../../runtime/bundle/bundle.js';
import { insnBytes } from '../../../runtime/bundle/bundle.js';
import { decodeProgram } from '../../../runtime/isa/codec.js';
import { disassemble } from '../../../runtime/isa/disasm.js';
import type { Insn } from '../../../runtime/isa/insn.js';
import type { RecordingSink } from './bundles.js';

export interface Difference {
  pc: number;
  insn: Insn;
  text: string;
  /** `missing`: one run never retired the instruction; `value`: its writes differ. */
  kind: 'value' | 'missing';
  /** The stream of the first differing write (value), or `insn.<module>` (missing). */
  stream: string;
  addr?: number;
}

function writesByPc(sink: RecordingSink): Map<number, string[]> {
  const m = new Map<number, string[]>();
  for (const e of sink.events) {
    if (e.kind !== 'write') continue;
    const list = m.get(e.pc) ?? [];
    list.push(`${e.stream} ${e.addr.toString().padStart(10, '0')} ${Buffer.from(e.data).toString('hex')}`);
    m.set(e.pc, list);
  }
  for (const l of m.values()) l.sort();
  return m;
}

function retired(sink: RecordingSink): Set<number> {
  return new Set(sink.events.filter((e) => e.kind === 'retire').map((e) => e.pc));
}

export function firstDifference(bundle: ProgramBundle, actual: RecordingSink, expected: RecordingSink): Difference | undefined {
  const p = bundle.params;
  const insns = decodeProgram(p, insnBytes(bundle));
  const [wa, we] = [writesByPc(actual), writesByPc(expected)];
  const [ra, re] = [retired(actual), retired(expected)];
  for (let pc = 0; pc < insns.length; pc++) {
    const insn = insns[pc]!;
    const base = { pc, insn, text: disassemble(p, insn).trim() };
    // An instruction one run never retired differs by being missing, whatever it wrote.
    if (ra.has(pc) !== re.has(pc)) {
      const module = insn.opcode === 1 ? 'store' : insn.opcode === 0 && (insn.memory_type === 1 || insn.memory_type === 2) ? 'load' : 'compute';
      return { ...base, kind: 'missing', stream: `insn.${module}` };
    }
    const a = wa.get(pc) ?? [];
    const e = we.get(pc) ?? [];
    const n = Math.max(a.length, e.length);
    for (let i = 0; i < n; i++) {
      if (a[i] === e[i]) continue;
      const line = (a[i] ?? e[i])!;
      const [stream, addr] = line.split(' ');
      return { ...base, kind: 'value', stream: stream!, addr: Number(addr) };
    }
  }
  return undefined;
}

/**
 * Whether a program bundle is one a target can run and a report can describe: every range inside
 * the 32-bit DRAM address space, buffers disjoint and not empty, exactly one instruction buffer
 * holding the program, outputs inside one buffer each, expected outputs matching the outputs by
 * name and size, one source-map entry per instruction, names unique. Reading a bundle file runs
 * it (after the file-level checks of bundle-file.ts), and so can writing one: a bundle that
 * fails it would make targets disagree about nothing — the same target twice "diverging" on an
 * output range that no buffer holds — instead of being refused with the section at fault.
 */
import { shown } from '../errors.js';
import type { ProgramBundle } from './bundle.js';
import { BundleError } from './bundle-error.js';

/** Physical addresses are 32-bit (the DRAM allocator and every target's address fields). */
export const DRAM_BYTES = 2 ** 32;
/** Bytes of one instruction. */
const INSN_BYTES = 16;

const hex = (v: number) => `0x${v.toString(16)}`;
const range = (addr: number, length: number) => `[${hex(addr)}, +${length})`;

/** Throws BundleError(file, "<section>: <problem>") for the first problem found. */
export function checkBundle(b: ProgramBundle, file: string): void {
  const fail = (section: string, problem: string): never => {
    throw new BundleError(file, `${section}: ${problem}`);
  };
  if (!b.buffers.length) fail('buffers', 'none: a bundle needs at least its instruction buffer');
  const names = new Set<string>();
  b.buffers.forEach((x, i) => {
    const section = `buffers[${i}] ${shown(x.name, 40)}`;
    if (names.has(x.name)) fail(section, 'a second buffer of this name');
    names.add(x.name);
    if (x.bytes.length === 0) fail(section, 'empty');
    if (x.addr + x.bytes.length > DRAM_BYTES) fail(section, `${range(x.addr, x.bytes.length)} ends beyond the 32-bit DRAM address space`);
  });
  const byAddr = b.buffers.map((x, i) => ({ x, i })).sort((p, q) => p.x.addr - q.x.addr);
  for (let k = 1; k < byAddr.length; k++) {
    const prev = byAddr[k - 1]!;
    const cur = byAddr[k]!;
    if (cur.x.addr < prev.x.addr + prev.x.bytes.length) {
      fail(`buffers[${cur.i}] ${shown(cur.x.name, 40)}`, `${range(cur.x.addr, cur.x.bytes.length)} overlaps buffers[${prev.i}] ${shown(prev.x.name, 40)} ${range(prev.x.addr, prev.x.bytes.length)}`);
    }
  }

  const insn = b.buffers.filter((x) => x.role === 'insn');
  if (insn.length !== 1) fail('buffers', `${insn.length} buffers have role insn, expected exactly 1`);
  const ib = insn[0]!;
  if (b.insnAddr < ib.addr || b.insnAddr + b.insnCount * INSN_BYTES > ib.addr + ib.bytes.length) {
    fail('insnAddr/insnCount', `${b.insnCount} instructions at ${hex(b.insnAddr)} do not lie inside the insn buffer ${shown(ib.name, 40)} ${range(ib.addr, ib.bytes.length)}`);
  }
  if (b.sourceMap.length !== b.insnCount) fail('sourceMap', `${b.sourceMap.length} entries for ${b.insnCount} instructions`);

  const outputs = new Map<string, number>();
  b.outputs.forEach((o, i) => {
    const section = `outputs[${i}] ${shown(o.name, 40)}`;
    if (outputs.has(o.name)) fail(section, 'a second output of this name');
    outputs.set(o.name, o.size);
    if (o.size === 0) fail(section, 'empty (size 0)');
    if (o.addr + o.size > DRAM_BYTES) fail(section, `${range(o.addr, o.size)} ends beyond the 32-bit DRAM address space`);
    if (!b.buffers.some((x) => o.addr >= x.addr && o.addr + o.size <= x.addr + x.bytes.length)) fail(section, `${range(o.addr, o.size)} does not lie inside one buffer`);
  });
  for (const [name, bytes] of Object.entries(b.expected ?? {})) {
    const section = `expected ${shown(name, 40)}`;
    const size = outputs.get(name);
    if (size === undefined) fail(section, 'names no output');
    if (bytes.length !== size) fail(section, `${bytes.length} bytes for an output of ${size}`);
  }
}

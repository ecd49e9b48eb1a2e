/**
 * MCY's one build for all mutants: every selected Yosys mutant applied with `mutate -ctrl`, so
 * a selector wire chooses which one is on (0: none). Yosys carries the selector up the hierarchy
 * as a port of each module on the way; at the top it is turned back into a register that the
 * simulator's command line sets (`+vta_mutant=K`, as our own instrumented design reads it,
 * targets/tsim/mutation/instrument.ts), so the design keeps its ports and its harness.
 * Also what the results database and the report say of a Yosys mutant: key, file, line, change.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { MUTANT_PLUSARG } from './instrument.js';
import { firstError, prep, quote, readAll, yosys, YosysError, type YosysDesign, type YosysMutant } from './yosys-mutants.js';

const SEL = 'vta_mutant_sel';

/** Bits of the selector: enough for every id (MCY's `mutsel` is 8 wide; more mutants need more). */
export function selectorWidth(count: number): number {
  return Math.max(8, Math.ceil(Math.log2(count + 1)));
}

/** The design with all `mutants` in it (mutant k on when the selector is k), written to `out`. */
export function writeYosysMutantsDesign(design: YosysDesign, mutants: YosysMutant[], out: string): void {
  const width = selectorWidth(mutants.length);
  const apply = mutants.map((m) => m.command.replace(/^mutate /, `mutate -ctrl ${SEL} ${width} ${m.id} `));
  const script = [readAll(design), prep(design), ...apply, `delete -port ${design.top}/${SEL}`, `write_verilog -noattr ${quote(out)}`].join('; ');
  const r = yosys(script, 'writing the mutants');
  if (!r.ok) throw new YosysError(`yosys cannot apply the ${mutants.length} mutants: ${firstError(r.output)}`);
  const text = readFileSync(out, 'utf8');
  // The top's selector is now a wire nothing drives: make it the register the command line sets.
  const top = new RegExp(`^module ${design.top}\\(`, 'm').exec(text);
  const decl = `  wire [${width - 1}:0] ${SEL};\n`;
  const at = top ? text.indexOf(decl, top.index) : -1;
  if (at < 0) throw new YosysError(`yosys wrote no selector ${SEL} in module ${design.top} (${out})`);
  const reg = `  // Added by vta-trace mutate: which Yosys mutant this run turns on (0: none).\n  reg [${width - 1}:0] ${SEL};\n  initial if (!$value$plusargs("${MUTANT_PLUSARG}=%d", ${SEL})) ${SEL} = 0;\n`;
  writeFileSync(out, text.slice(0, at) + reg + text.slice(at + decl.length));
}

/**
 * `file:line.col-…` → file name and line of the mutated cell: its first source tag (with
 * `-wire`, Yosys lists the wire's declaration first, then the cell's tags).
 */
function firstSource(m: YosysMutant): { file: string; line: number } {
  const tags = / -wire /.test(m.command) && m.src.length > 1 ? m.src.slice(1) : m.src;
  for (const s of tags) {
    const r = /^(.*):(\d+)\.\d+-\d+\.\d+$/.exec(s);
    if (r) return { file: basename(r[1]!), line: Number(r[2]) };
  }
  return { file: '?', line: 0 };
}

const MODES: Record<string, string> = { inv: 'inverted', const0: 'stuck at 0', const1: 'stuck at 1' };

/** What the results database keeps of a Yosys mutant (regression/mutation/mutation-db.ts's row). */
export function describeYosysMutant(m: YosysMutant): { key: string; file: string; module: string; line: number; operator: string; original: string; replacement: string; command: string } {
  // Where the files are (folders in -src tags and in cell names such as `$ne$<path>:24$8`) is left
  // out of the key and the report: the same sources elsewhere give the same mutant.
  const portable = m.command.replace(/[^\s$]*\/([^/\s$]+)(?=:\d)/g, '$1');
  const opt = (name: string) => new RegExp(`-${name} (\\S+)`).exec(portable)?.[1];
  const { file, line } = firstSource(m);
  const key = `yosys:${createHash('sha256').update(portable).digest('hex').slice(0, 20)}`;
  // cnot0 / cnot1: a conditional NOT, the bit inverted when another bit of the same port is 0 / 1.
  const cnot = /^cnot[01]$/.test(m.mode) ? `inverted when bit ${opt('ctrlbit') ?? '?'} is ${m.mode.slice(-1)}` : (MODES[m.mode] ?? m.mode);
  const bit = `${opt('cell') ?? '?'}.${opt('port') ?? '?'}[${opt('portbit') ?? '?'}]`;
  return { key, file, module: m.module, line, operator: m.mode, original: bit, replacement: cnot, command: portable };
}

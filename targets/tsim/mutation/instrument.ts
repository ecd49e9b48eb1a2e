/**
 * MCY's trick at source level: one design holding every selected mutant, each written where it
 * applies as `(vta_mutant_sel == K) ? (mutated) : (original)`, so one Verilator build serves
 * them all. Each mutated module gets `vta_mutant_sel`, read from the simulator's command line
 * (`+vta_mutant=K`, which the harness hands to Verilator) at time zero; 0 is the original design.
 * Also: one mutant as a unified diff against the source (createTwoFilesPatch of the `diff` package).
 */
import { createTwoFilesPatch } from 'diff';
import type { ModuleInfo } from './sv-logic.js';
import type { SourceMutant } from './sv-mutants.js';

export const MUTANT_PLUSARG = 'vta_mutant';
const SEL = 'vta_mutant_sel';

export interface NumberedMutant extends SourceMutant {
  /** 1, 2, …: the value of +vta_mutant that turns it on. */
  id: number;
}

interface Group {
  start: number;
  end: number;
  mutants: NumberedMutant[];
  children: Group[];
}

/** The selected mutants' spans as a tree (spans of one parse are nested or disjoint). */
function spanTree(mutants: NumberedMutant[]): Group[] {
  const bySpan = new Map<string, Group>();
  for (const m of mutants) {
    const k = `${m.start}:${m.end}`;
    const g = bySpan.get(k) ?? { start: m.start, end: m.end, mutants: [], children: [] };
    g.mutants.push(m);
    bySpan.set(k, g);
  }
  // Outer spans first: a span that starts earlier, or at the same place and ends later.
  const groups = [...bySpan.values()].sort((a, b) => a.start - b.start || b.end - a.end);
  const roots: Group[] = [];
  const stack: Group[] = [];
  for (const g of groups) {
    while (stack.length && stack[stack.length - 1]!.end <= g.start) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent && g.end > parent.end) throw new Error(`mutant spans overlap: ${parent.start}-${parent.end} and ${g.start}-${g.end}`);
    (parent ? parent.children : roots).push(g);
    stack.push(g);
  }
  return roots;
}

/** src[from, to) with the groups inside it rendered as multiplexers. */
function render(src: string, from: number, to: number, groups: Group[]): string {
  let out = '';
  let at = from;
  for (const g of groups) {
    out += src.slice(at, g.start);
    let text = render(src, g.start, g.end, g.children);
    for (const m of [...g.mutants].reverse()) text = `(${SEL} == 32'd${m.id}) ? (${m.replacement}) : (${text})`;
    out += `(${text})`;
    at = g.end;
  }
  return out + src.slice(at, to);
}

/** The declaration added at the top of each module body. */
function selectorDecl(): string {
  return `\n  // Added by vta-trace mutate: which mutant this run turns on (0: none).\n  int unsigned ${SEL};\n  initial begin\n    if (!$value$plusargs("${MUTANT_PLUSARG}=%d", ${SEL})) ${SEL} = 0;\n  end\n`;
}

/** One file with its selected mutants; modules with none are left as they are. */
export function instrumentFile(src: string, modules: ModuleInfo[], mutants: NumberedMutant[]): string {
  if (mutants.length === 0) return src;
  let body = render(src, 0, src.length, spanTree(mutants));
  // Declarations go in back to front so earlier offsets stay valid; the rendered text only grew
  // after each module's header, so header offsets are found again by module order.
  const starts = modules.map((m) => m.bodyStart);
  const shift = (offset: number) => {
    // Growth from multiplexers before `offset` (all are after some header, so count them).
    let grown = 0;
    for (const g of spanTree(mutants)) if (g.end <= offset) grown += render(src, g.start, g.end, [g]).length - (g.end - g.start);
    return offset + grown;
  };
  for (const s of starts.map(shift).sort((a, b) => b - a)) body = body.slice(0, s) + selectorDecl() + body.slice(s);
  return body;
}

/** The mutant applied to its file's text. */
export function applyMutant(src: string, m: SourceMutant): string {
  return src.slice(0, m.start) + m.replacement + src.slice(m.end);
}

/** The mutant as a unified diff, paths relative to the repository (a/… b/…), three lines of context. */
export function mutantPatch(src: string, m: SourceMutant, repoRelativePath: string): string {
  return createTwoFilesPatch(`a/${repoRelativePath}`, `b/${repoRelativePath}`, src, applyMutant(src, m), '', '', { context: 3 });
}

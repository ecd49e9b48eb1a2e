/**
 * The mutation operators over the logic sites of a file (sv-logic.ts). Each mutant is one edit
 * of the source text — replace [start, end) by `replacement` — so it can be written as a patch
 * (mutant-patch.ts) and, with the others, as one instrumented design (instrument.ts).
 */
import type { Expr } from './sv-expr.js';
import { findLogic, type LogicSite, type ModuleInfo } from './sv-logic.js';
import { tokenize } from './sv-lexer.js';

export type MutationOperator = 'swap' | 'off-by-one' | 'invert' | 'drop-term' | 'stuck-enable' | 'skip-stage';
export const MUTATION_OPERATORS: readonly MutationOperator[] = ['swap', 'off-by-one', 'invert', 'drop-term', 'stuck-enable', 'skip-stage'];

export interface SourceMutant {
  file: string;
  module: string;
  line: number;
  operator: MutationOperator;
  start: number;
  end: number;
  original: string;
  replacement: string;
  /** Stable across runs of the same sources: file, offset, operator and replacement. */
  key: string;
}

/** Operator swaps: each operator to the ones a slip of the hand or of the mind gives. */
const SWAPS: Record<string, string[]> = {
  '+': ['-'],
  '-': ['+'],
  '&': ['|'],
  '|': ['&'],
  '^': ['|'],
  '&&': ['||'],
  '||': ['&&'],
  '==': ['!='],
  '!=': ['=='],
  '<': ['<='],
  '<=': ['<'],
  '>': ['>='],
  '>=': ['>'],
  '>>': ['>>>'],
  '>>>': ['>>'],
  '<<': ['>>'],
  '*': ['+'],
};
/** Binary operators whose operands are terms that can be dropped (keeping the left one, or either). */
const DROP_BOTH = new Set(['+', '&', '|', '^', '&&', '||']);
const DROP_LEFT_ONLY = new Set(['-']);
/** An assignment target whose name says it enables or validates something. */
const ENABLE_NAME = /(^|_)(we|wen|en|enable|valid|vld|push|pop|wr|fire|start|go|req)(_[a-z]{1,2})?$/i;

interface NumberLiteral {
  width?: number;
  signed: boolean;
  base: 'b' | 'o' | 'd' | 'h' | undefined;
  value: bigint;
}

function parseNumber(text: string): NumberLiteral | undefined {
  const t = text.replace(/_/g, '').replace(/\s+/g, '');
  if (/^\d+$/.test(t)) return { signed: true, base: undefined, value: BigInt(t) };
  const m = /^(\d+)?'([sS]?)([bBoOdDhH])([0-9a-fA-F]+)$/.exec(t);
  if (!m) return undefined; // x/z digits, unbased '0 '1, reals: not counted numbers
  const base = m[3]!.toLowerCase() as 'b' | 'o' | 'd' | 'h';
  const radix = { b: 2, o: 8, d: 10, h: 16 }[base];
  let value = 0n;
  for (const ch of m[4]!.toLowerCase()) {
    const d = parseInt(ch, radix);
    if (Number.isNaN(d)) return undefined;
    value = value * BigInt(radix) + BigInt(d);
  }
  return { ...(m[1] ? { width: Number(m[1]) } : {}), signed: m[2] !== '', base, value };
}

function renderNumber(n: NumberLiteral, value: bigint): string {
  if (n.base === undefined) return value.toString();
  const digits = value.toString({ b: 2, o: 8, d: 10, h: 16 }[n.base]);
  return `${n.width ?? ''}'${n.signed ? 's' : ''}${n.base}${digits}`;
}

/** The numbers one off from a literal, within its width. */
function offByOne(text: string): string[] {
  const n = parseNumber(text);
  if (!n) return [];
  const mod = n.width !== undefined ? 1n << BigInt(n.width) : undefined;
  const out = new Set<string>();
  for (const v of [n.value + 1n, n.value - 1n]) {
    if (v < 0n && mod === undefined) continue;
    const w = mod !== undefined ? ((v % mod) + mod) % mod : v;
    if (w !== n.value) out.add(renderNumber(n, w));
  }
  return [...out];
}

interface Edit {
  operator: MutationOperator;
  start: number;
  end: number;
  replacement: string;
}

/** The edits of one expression tree (not descending into atoms). `condition`: the tree is an if's condition. */
function exprEdits(src: string, e: Expr, out: Edit[]): void {
  const text = (a: number, b: number) => src.slice(a, b);
  switch (e.kind) {
    case 'binary': {
      for (const to of SWAPS[e.op] ?? []) {
        out.push({ operator: 'swap', start: e.start, end: e.end, replacement: text(e.start, e.opToken.start) + to + text(e.opToken.end, e.end) });
      }
      if (DROP_BOTH.has(e.op) || DROP_LEFT_ONLY.has(e.op)) out.push({ operator: 'drop-term', start: e.start, end: e.end, replacement: text(e.left.start, e.left.end) });
      if (DROP_BOTH.has(e.op)) out.push({ operator: 'drop-term', start: e.start, end: e.end, replacement: text(e.right.start, e.right.end) });
      // A comparison against a constant also gets the constant moved by one (offByOne below) — the
      // "off-by-one in comparisons" of the issue — through the number leaf.
      exprEdits(src, e.left, out);
      exprEdits(src, e.right, out);
      return;
    }
    case 'unary':
      // Dropping a negation is an inverted condition; other unary operators only recurse.
      if (e.op === '!' || e.op === '~') out.push({ operator: 'invert', start: e.start, end: e.end, replacement: text(e.arg.start, e.arg.end) });
      exprEdits(src, e.arg, out);
      return;
    case 'ternary':
      out.push({ operator: 'invert', start: e.start, end: e.end, replacement: `${text(e.cond.start, e.cond.end)} ? ${text(e.else.start, e.else.end)} : ${text(e.then.start, e.then.end)}` });
      exprEdits(src, e.cond, out);
      exprEdits(src, e.then, out);
      exprEdits(src, e.else, out);
      return;
    case 'paren':
      exprEdits(src, e.inner, out);
      return;
    case 'number':
      for (const r of offByOne(e.token.text)) out.push({ operator: 'off-by-one', start: e.start, end: e.end, replacement: r });
      return;
    case 'atom':
      return;
  }
}

const isConstant = (e: Expr): boolean => e.kind === 'number' || (e.kind === 'paren' && isConstant(e.inner)) || (e.kind === 'atom' && e.first.kind === 'num');

/**
 * "A register that skips a stage": `b_q <= a_q` where `a_q` is itself a register loaded from
 * `a_d` in a clocked block of the same module (its only nonblocking assignment) becomes
 * `b_q <= a_d`, one cycle early.
 */
function skipStageEdits(src: string, sites: LogicSite[], out: Edit[]): void {
  const loads = new Map<string, LogicSite[]>();
  for (const s of sites) if (s.kind === 'nonblocking' && s.clocked && s.target !== undefined && s.targetText === s.target) {
    const k = `${s.module}\0${s.target}`;
    loads.set(k, [...(loads.get(k) ?? []), s]);
  }
  for (const s of sites) {
    if (s.kind !== 'nonblocking' || !s.clocked || s.expr.kind !== 'atom') continue;
    const name = src.slice(s.expr.start, s.expr.end);
    if (!/^[A-Za-z_]\w*$/.test(name)) continue;
    const from = loads.get(`${s.module}\0${name}`);
    if (from?.length !== 1) continue;
    const e = from[0]!.expr;
    // Only a plain signal: an expression of the earlier stage could name that block's locals.
    if (e.kind !== 'atom' || !/^[A-Za-z_]\w*$/.test(src.slice(e.start, e.end))) continue;
    out.push({ operator: 'skip-stage', start: s.expr.start, end: s.expr.end, replacement: src.slice(e.start, e.end) });
  }
}

export interface FileMutants {
  modules: ModuleInfo[];
  mutants: SourceMutant[];
}

/** Every mutant of one file, in source order. */
export function fileMutants(file: string, src: string): FileMutants {
  const { modules, sites } = findLogic(tokenize(src));
  const edits: (Edit & { site: LogicSite })[] = [];
  for (const site of sites) {
    const local: Edit[] = [];
    if (site.kind === 'if') local.push({ operator: 'invert', start: site.expr.start, end: site.expr.end, replacement: `!(${src.slice(site.expr.start, site.expr.end)})` });
    exprEdits(src, site.expr, local);
    if (site.kind !== 'if' && site.target !== undefined && ENABLE_NAME.test(site.target) && !isConstant(site.expr)) {
      for (const v of ["1'b0", "1'b1"]) local.push({ operator: 'stuck-enable', start: site.expr.start, end: site.expr.end, replacement: v });
    }
    for (const e of local) edits.push({ ...e, site });
  }
  const stage: Edit[] = [];
  skipStageEdits(src, sites, stage);
  for (const e of stage) edits.push({ ...e, site: sites.find((s) => s.expr.start <= e.start && e.end <= s.expr.end)! });
  const lineAt = (offset: number) => src.slice(0, offset).split('\n').length;
  const seen = new Set<string>();
  const mutants: SourceMutant[] = [];
  for (const e of edits.sort((a, b) => a.start - b.start || a.end - b.end)) {
    const original = src.slice(e.start, e.end);
    if (e.replacement === original) continue;
    const key = `${file}:${e.start}-${e.end}:${e.operator}:${e.replacement}`;
    if (seen.has(key)) continue;
    seen.add(key);
    mutants.push({ file, module: e.site.module, line: lineAt(e.start), operator: e.operator, start: e.start, end: e.end, original, replacement: e.replacement, key });
  }
  return { modules, mutants };
}

/**
 * Expressions of SystemVerilog, parsed by precedence climbing (IEEE 1800 table 11-2) into a tree
 * whose nodes keep their source offsets. Selects (`a[i]`, `a[7:0]`), calls, casts and
 * concatenations are atoms: their insides are constant expressions (widths, replication counts)
 * or indices the mutator leaves alone, so nothing inside them is mutated.
 */
import type { Token } from './sv-lexer.js';

export type Expr =
  | { kind: 'binary'; op: string; opToken: Token; left: Expr; right: Expr; start: number; end: number }
  | { kind: 'unary'; op: string; arg: Expr; start: number; end: number }
  | { kind: 'ternary'; cond: Expr; then: Expr; else: Expr; start: number; end: number }
  | { kind: 'paren'; inner: Expr; start: number; end: number }
  | { kind: 'number'; token: Token; start: number; end: number }
  | { kind: 'atom'; start: number; end: number; first: Token };

export class SvParseError extends Error {
  override name = 'SvParseError';
}

/** Binary operators by binding strength, weakest first (the ternary is below all of them). */
const LEVELS: string[][] = [
  ['||'],
  ['&&'],
  ['|'],
  ['^', '~^', '^~'],
  ['&'],
  ['==', '!=', '===', '!==', '==?', '!=?'],
  ['<', '<=', '>', '>=', 'inside'],
  ['<<', '>>', '<<<', '>>>'],
  ['+', '-'],
  ['*', '/', '%'],
  ['**'],
];
const PRECEDENCE = new Map<string, number>(LEVELS.flatMap((ops, k) => ops.map((o) => [o, k + 1] as [string, number])));
const UNARY = new Set(['!', '~', '-', '+', '&', '|', '^', '~&', '~|', '~^', '^~']);
const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}', "'{": '}' };

/** Index of the token that closes the bracket opened at `i`. */
export function matching(toks: Token[], i: number): number {
  const open = toks[i]!.text;
  const stack: string[] = [OPEN[open]!];
  for (let k = i + 1; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.kind !== 'op') continue;
    if (OPEN[t.text]) stack.push(OPEN[t.text]!);
    else if (t.text === stack[stack.length - 1]) {
      stack.pop();
      if (stack.length === 0) return k;
    } else if (t.text === ')' || t.text === ']' || t.text === '}') {
      throw new SvParseError(`line ${t.line}: "${t.text}" does not close "${open}" of line ${toks[i]!.line}`);
    }
  }
  throw new SvParseError(`line ${toks[i]!.line}: "${open}" is never closed`);
}

/** Parses toks[from, to) as one expression; throws if tokens are left over. */
export function parseExpr(toks: Token[], from: number, to: number): Expr {
  let pos = from;
  const peek = (): Token | undefined => (pos < to ? toks[pos] : undefined);
  const isOp = (t: Token | undefined, text: string) => t !== undefined && t.kind === 'op' && t.text === text;
  const fail = (what: string): never => {
    const t = peek() ?? toks[to - 1] ?? toks[from]!;
    throw new SvParseError(`line ${t.line}: ${what} at "${peek()?.text ?? '(end)'}"`);
  };

  /** After a primary: selects, member access, casts `x'(…)` — all stay part of one atom. */
  const postfix = (e: Expr, first: Token): Expr => {
    let end = e.end;
    let atom = e.kind === 'atom';
    for (;;) {
      const t = peek();
      if (isOp(t, '[')) {
        const close = matching(toks, pos);
        if (close >= to) fail('unclosed select');
        end = toks[close]!.end;
        pos = close + 1;
        atom = true;
      } else if (isOp(t, '.') && toks[pos + 1]?.kind === 'id') {
        end = toks[pos + 1]!.end;
        pos += 2;
        atom = true;
      } else if (isOp(t, "'") && isOp(toks[pos + 1], '(')) {
        const close = matching(toks, pos + 1);
        end = toks[close]!.end;
        pos = close + 1;
        atom = true;
      } else break;
    }
    return atom ? { kind: 'atom', start: e.start, end, first } : e;
  };

  const primary = (): Expr => {
    const t = peek();
    if (!t) return fail('expression expected');
    if (t.kind === 'op' && UNARY.has(t.text)) {
      pos++;
      const arg = primary();
      return { kind: 'unary', op: t.text, arg, start: t.start, end: arg.end };
    }
    if (isOp(t, '(')) {
      const close = matching(toks, pos);
      if (close >= to) fail('unclosed parenthesis');
      const inner = parseExpr(toks, pos + 1, close);
      pos = close + 1;
      return postfix({ kind: 'paren', inner, start: t.start, end: toks[close]!.end }, t);
    }
    if (isOp(t, '{') || isOp(t, "'{")) {
      const close = matching(toks, pos);
      pos = close + 1;
      return postfix({ kind: 'atom', start: t.start, end: toks[close]!.end, first: t }, t);
    }
    if (t.kind === 'num') {
      pos++;
      const n: Expr = { kind: 'number', token: t, start: t.start, end: t.end };
      return postfix(n, t);
    }
    if (t.kind === 'sys' || t.kind === 'id' || t.kind === 'str') {
      pos++;
      let end = t.end;
      // Package scope: pkg::name.
      while (isOp(peek(), '::') && toks[pos + 1]?.kind === 'id') {
        end = toks[pos + 1]!.end;
        pos += 2;
      }
      if (isOp(peek(), '(')) {
        const close = matching(toks, pos);
        end = toks[close]!.end;
        pos = close + 1;
      }
      return postfix({ kind: 'atom', start: t.start, end, first: t }, t);
    }
    return fail('expression expected');
  };

  const binary = (minLevel: number): Expr => {
    let left = primary();
    for (;;) {
      const t = peek();
      const level = t && (t.kind === 'op' || t.text === 'inside') ? PRECEDENCE.get(t.text) : undefined;
      if (t === undefined || level === undefined || level < minLevel) break;
      pos++;
      if (t.text === 'inside') {
        // `x inside {…}`: the set is constant; the whole test is one atom.
        if (!isOp(peek(), '{')) fail('"inside" needs a set');
        const close = matching(toks, pos);
        pos = close + 1;
        left = { kind: 'atom', start: left.start, end: toks[close]!.end, first: toks[from]! };
        continue;
      }
      // ** is right-associative; the rest associate to the left.
      const right = binary(t.text === '**' ? level : level + 1);
      left = { kind: 'binary', op: t.text, opToken: t, left, right, start: left.start, end: right.end };
    }
    return left;
  };

  const ternary = (): Expr => {
    const cond = binary(1);
    if (!isOp(peek(), '?')) return cond;
    pos++;
    const then = ternary();
    if (!isOp(peek(), ':')) fail('":" of a conditional expected');
    pos++;
    const els = ternary();
    return { kind: 'ternary', cond, then, else: els, start: cond.start, end: els.end };
  };

  const e = ternary();
  if (pos !== to) fail('end of expression expected');
  return e;
}

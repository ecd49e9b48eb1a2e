/**
 * A SystemVerilog tokenizer for the mutator (sv-mutants.ts): enough of IEEE 1800's lexical rules
 * for our RTL — comments and strings are skipped whole (an operator inside them is never
 * mutated), based numbers are one token, operators are matched longest first. Every token keeps
 * its character offsets, so a mutation is an edit of the source text at an exact place.
 */

export type TokenKind = 'id' | 'num' | 'op' | 'str' | 'sys' | 'directive';

export interface Token {
  kind: TokenKind;
  text: string;
  /** Offsets into the source: [start, end). */
  start: number;
  end: number;
  /** 1-based line of the first character. */
  line: number;
}

export class SvLexError extends Error {
  override name = 'SvLexError';
}

/** Longest first within each starting character (the scan tries them in this order). */
const OPERATORS = [
  '<<<=', '>>>=',
  '<<<', '>>>', '===', '!==', '==?', '!=?', '<->', '<<=', '>>=',
  '<=', '>=', '==', '!=', '&&', '||', '<<', '>>', '**', '~&', '~|', '~^', '^~', '->', '::', '+:', '-:', '++', '--',
  '+=', '-=', '*=', '/=', '%=', '&=', '|=', '^=', "'{",
  '+', '-', '*', '/', '%', '<', '>', '=', '!', '~', '&', '|', '^', '?', ':', ';', ',', '.', '(', ')', '[', ']', '{', '}', '@', '#', "'", '$',
];

const ID_START = /[A-Za-z_]/;
const ID_CHAR = /[A-Za-z0-9_$]/;
/** `[size]'[s]base digits`, or an unbased `'0 '1 'x 'z`. */
const BASED = /^(\d[\d_]*)?\s*'[sS]?[bBoOdDhH]\s*[0-9a-fA-FxXzZ_?]+/;
const UNBASED = /^'[01xXzZ](?![A-Za-z0-9_])/;
const DECIMAL = /^\d[\d_]*(\.\d[\d_]*)?([eE][+-]?\d+)?/;

export function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  let line = 1;
  const advance = (to: number) => {
    for (let k = i; k < to; k++) if (src.charCodeAt(k) === 10) line++;
    i = to;
  };
  const push = (kind: TokenKind, end: number) => {
    out.push({ kind, text: src.slice(i, end), start: i, end, line });
    advance(end);
  };
  while (i < src.length) {
    const c = src[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') {
      advance(i + 1);
      continue;
    }
    if (c === '/' && src[i + 1] === '/') {
      const nl = src.indexOf('\n', i);
      advance(nl < 0 ? src.length : nl);
      continue;
    }
    if (c === '/' && src[i + 1] === '*') {
      const close = src.indexOf('*/', i + 2);
      if (close < 0) throw new SvLexError(`line ${line}: unterminated block comment`);
      advance(close + 2);
      continue;
    }
    if (c === '"') {
      let k = i + 1;
      while (k < src.length && src[k] !== '"') k += src[k] === '\\' ? 2 : 1;
      if (k >= src.length) throw new SvLexError(`line ${line}: unterminated string`);
      push('str', k + 1);
      continue;
    }
    if (c === '`') {
      // A compiler directive: the rest of its line is its own (`define, `include, `ifdef …).
      let k = i + 1;
      while (k < src.length && ID_CHAR.test(src[k]!)) k++;
      push('directive', k);
      continue;
    }
    if (ID_START.test(c) || (c === '$' && ID_START.test(src[i + 1] ?? ''))) {
      let k = i + 1;
      while (k < src.length && ID_CHAR.test(src[k]!)) k++;
      push(c === '$' ? 'sys' : 'id', k);
      continue;
    }
    const rest = src.slice(i, i + 80);
    const based = BASED.exec(rest) ?? (c === "'" ? UNBASED.exec(rest) : null);
    if (based && (/\d/.test(c) || c === "'")) {
      push('num', i + based[0].length);
      continue;
    }
    if (/\d/.test(c)) {
      push('num', i + DECIMAL.exec(rest)![0].length);
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new SvLexError(`line ${line}: unexpected character ${JSON.stringify(c)}`);
    push('op', i + op.length);
  }
  return out;
}

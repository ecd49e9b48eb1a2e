/**
 * Finds the places of a SystemVerilog file that carry logic — continuous assigns, blocking and
 * nonblocking assignments in always blocks, if conditions there — by walking module items and
 * statements (a small recursive-descent parser over sv-lexer's tokens), and parses each one's
 * expression (sv-expr.ts). Declarations, parameters, instances, case labels, loop headers,
 * initial blocks and functions are skipped: their expressions are constants or not logic.
 */
import { matching, parseExpr, SvParseError, type Expr } from './sv-expr.js';
import type { Token } from './sv-lexer.js';

export interface LogicSite {
  kind: 'assign' | 'blocking' | 'nonblocking' | 'if' | 'return';
  module: string;
  /** The assigned signal's base name (assignments), for the stuck-enable and skip-stage operators. */
  target?: string;
  /** The whole target text (`mem_q[i]`), for messages. */
  targetText?: string;
  expr: Expr;
  line: number;
  /** Inside an always_ff (or always @(posedge …)) block. */
  clocked: boolean;
}

export interface ModuleInfo {
  name: string;
  /** Offset just after the `;` that ends the module header: where declarations may be added. */
  bodyStart: number;
  line: number;
}

export interface FileLogic {
  modules: ModuleInfo[];
  sites: LogicSite[];
}

const ASSIGN_OPS = new Set(['=', '<=']);
const STMT_KEYWORDS_SKIP = new Set(['return', 'break', 'continue', 'disable', 'assert', 'assume', 'cover', 'wait', 'force', 'release']);
const DECL_KEYWORDS = new Set(['logic', 'bit', 'byte', 'int', 'integer', 'shortint', 'longint', 'reg', 'wire', 'automatic', 'static', 'var', 'const', 'genvar', 'localparam', 'parameter', 'typedef', 'real']);

/** Names used in parameter declarations: a function among them is a constant function, never mutated. */
function constantNames(toks: Token[]): Set<string> {
  const out = new Set<string>();
  for (let k = 0; k < toks.length; k++) {
    if (toks[k]!.kind !== 'id' || (toks[k]!.text !== 'localparam' && toks[k]!.text !== 'parameter')) continue;
    for (let j = k + 1; j < toks.length && toks[j]!.text !== ';'; j++) if (toks[j]!.kind === 'id') out.add(toks[j]!.text);
  }
  return out;
}

export function findLogic(toks: Token[]): FileLogic {
  const constants = constantNames(toks);
  const modules: ModuleInfo[] = [];
  const sites: LogicSite[] = [];
  let pos = 0;
  let module = '';
  const t = (k = pos) => toks[k];
  const isOp = (k: number, text: string) => toks[k]?.kind === 'op' && toks[k]!.text === text;
  const isId = (k: number, text: string) => toks[k]?.kind === 'id' && toks[k]!.text === text;
  const fail = (what: string): never => {
    throw new SvParseError(`line ${t()?.line ?? toks[toks.length - 1]?.line ?? 0}: ${what}`);
  };

  /** Index of the next `;` at bracket depth 0 from k. */
  const semicolon = (k: number): number => {
    for (let j = k; j < toks.length; j++) {
      const tok = toks[j]!;
      if (tok.kind === 'op' && (tok.text === '(' || tok.text === '[' || tok.text === '{' || tok.text === "'{")) j = matching(toks, j);
      else if (tok.kind === 'op' && tok.text === ';') return j;
    }
    return fail('";" expected');
  };
  /** Index of the first assignment operator at depth 0 in [k, end), or -1. */
  const assignOp = (k: number, end: number): number => {
    for (let j = k; j < end; j++) {
      const tok = toks[j]!;
      if (tok.kind === 'op' && (tok.text === '(' || tok.text === '[' || tok.text === '{' || tok.text === "'{")) j = matching(toks, j);
      else if (tok.kind === 'op' && (ASSIGN_OPS.has(tok.text) || /^[-+*/%&|^]=$|^<<=$|^>>=$/.test(tok.text))) return j;
    }
    return -1;
  };
  const baseName = (from: number) => (toks[from]?.kind === 'id' ? toks[from]!.text : undefined);
  const textOf = (from: number, to: number) => toks.slice(from, to).map((x) => x.text).join('');

  const skipLabel = () => {
    if (isOp(pos, ':') && t(pos + 1)?.kind === 'id') pos += 2;
  };

  /** One procedural statement; `emit` false inside initial/final blocks and functions. */
  const statement = (emit: boolean, clocked: boolean): void => {
    if ((isId(pos, 'unique') || isId(pos, 'unique0') || isId(pos, 'priority')) && (isId(pos + 1, 'if') || /^case[zx]?$/.test(t(pos + 1)?.text ?? ''))) pos++;
    const tok = t();
    if (!tok) fail('statement expected');
    if (tok!.kind === 'op' && tok!.text === ';') return void pos++;
    if (isId(pos, 'begin')) {
      pos++;
      skipLabel();
      while (!isId(pos, 'end')) {
        if (pos >= toks.length) fail('"end" expected');
        statement(emit, clocked);
      }
      pos++;
      skipLabel();
      return;
    }
    if (isId(pos, 'if')) {
      pos++;
      if (!isOp(pos, '(')) fail('"(" after if expected');
      const close = matching(toks, pos);
      if (emit) sites.push({ kind: 'if', module, expr: parseExpr(toks, pos + 1, close), line: toks[pos]!.line, clocked });
      pos = close + 1;
      statement(emit, clocked);
      if (isId(pos, 'else')) {
        pos++;
        statement(emit, clocked);
      }
      return;
    }
    if (/^case[zx]?$/.test(tok!.text) && tok!.kind === 'id') {
      pos++;
      const close = matching(toks, pos);
      pos = close + 1;
      while (!isId(pos, 'endcase')) {
        if (pos >= toks.length) fail('"endcase" expected');
        // An item's labels (constants) up to its ":" at depth 0, then its statement.
        if (isId(pos, 'default')) {
          pos++;
          if (isOp(pos, ':')) pos++;
        } else {
          for (;;) {
            const x = t();
            if (!x) fail('case item ":" expected');
            if (x!.kind === 'op' && (x!.text === '(' || x!.text === '[' || x!.text === '{' || x!.text === "'{")) pos = matching(toks, pos) + 1;
            else if (x!.kind === 'op' && x!.text === ':') break;
            else pos++;
          }
          pos++;
        }
        statement(emit, clocked);
      }
      pos++;
      return;
    }
    if (isId(pos, 'for') || isId(pos, 'foreach') || isId(pos, 'while') || isId(pos, 'repeat')) {
      pos++;
      pos = matching(toks, pos) + 1;
      statement(emit, clocked);
      return;
    }
    if (isId(pos, 'forever')) {
      pos++;
      return statement(emit, clocked);
    }
    const end = semicolon(pos);
    const first = tok!;
    if (isId(pos, 'return')) {
      if (emit && end > pos + 1) sites.push({ kind: 'return', module, expr: parseExpr(toks, pos + 1, end), line: first.line, clocked });
      pos = end + 1;
      return;
    }
    const decl = first.kind === 'id' && (DECL_KEYWORDS.has(first.text) || (toks[pos + 1]?.kind === 'id' && !isOp(pos + 1, '=')) || (isOp(pos + 1, '::') && toks[pos + 3]?.kind === 'id'));
    if (first.kind === 'sys' || decl || STMT_KEYWORDS_SKIP.has(first.text) || first.kind === 'op') {
      pos = end + 1;
      return;
    }
    const op = assignOp(pos, end);
    if (op < 0 || !emit || (toks[op]!.text !== '=' && toks[op]!.text !== '<=')) {
      pos = end + 1;
      return;
    }
    sites.push({
      kind: toks[op]!.text === '<=' ? 'nonblocking' : 'blocking',
      module,
      target: baseName(pos),
      targetText: textOf(pos, op),
      expr: parseExpr(toks, op + 1, end),
      line: toks[op]!.line,
      clocked,
    });
    pos = end + 1;
  };

  /** A module item; generate blocks recurse. */
  const moduleItem = (): void => {
    const tok = t()!;
    const w = tok.text;
    if (tok.kind === 'op' && w === ';') return void pos++;
    if (w === 'assign' && tok.kind === 'id') {
      const end = semicolon(pos);
      const eq = assignOp(pos + 1, end);
      if (eq < 0) fail('"=" of an assign expected');
      sites.push({ kind: 'assign', module, target: baseName(pos + 1), targetText: textOf(pos + 1, eq), expr: parseExpr(toks, eq + 1, end), line: tok.line, clocked: false });
      pos = end + 1;
      return;
    }
    if (/^always(_ff|_comb|_latch)?$/.test(w)) {
      pos++;
      let clocked = w === 'always_ff';
      if (isOp(pos, '@')) {
        pos++;
        if (isOp(pos, '(')) {
          const close = matching(toks, pos);
          if (toks.slice(pos, close).some((x) => x.text === 'posedge' || x.text === 'negedge')) clocked = true;
          pos = close + 1;
        } else pos++; // @*
      }
      statement(true, clocked);
      return;
    }
    if (w === 'initial' || w === 'final') {
      pos++;
      statement(false, false);
      return;
    }
    if (w === 'function') {
      // A module's functions are logic of the module (our ALU's operations are one); the header
      // and its arguments are not.
      const header = semicolon(pos);
      const name = toks.slice(pos, header).find((x, k, all) => x.kind === 'id' && all[k + 1]?.text === '(')?.text;
      const emit = name === undefined || !constants.has(name);
      pos = header + 1;
      while (!isId(pos, 'endfunction')) {
        if (pos >= toks.length) fail('"endfunction" expected');
        statement(emit, false);
      }
      pos++;
      skipLabel();
      return;
    }
    if (w === 'task') {
      while (pos < toks.length && !isId(pos, 'endtask')) pos++;
      pos++;
      skipLabel();
      return;
    }
    if (w === 'generate') return void pos++;
    if (w === 'endgenerate') return void pos++;
    if (w === 'begin') {
      pos++;
      skipLabel();
      while (!isId(pos, 'end')) {
        if (pos >= toks.length) fail('"end" expected');
        moduleItem();
      }
      pos++;
      skipLabel();
      return;
    }
    if (w === 'for' || w === 'if') {
      pos++;
      pos = matching(toks, pos) + 1;
      moduleItem();
      if (w === 'if' && isId(pos, 'else')) {
        pos++;
        moduleItem();
      }
      return;
    }
    if (w === 'else') return void pos++;
    pos = semicolon(pos) + 1;
  };

  while (pos < toks.length) {
    if (isId(pos, 'module')) {
      const line = toks[pos]!.line;
      pos++;
      module = t()?.text ?? '';
      pos++;
      // Header: package imports, #(parameters), (ports), then ";".
      while (isId(pos, 'import')) pos = semicolon(pos) + 1;
      if (isOp(pos, '#')) pos = matching(toks, pos + 1) + 1;
      if (isOp(pos, '(')) pos = matching(toks, pos) + 1;
      if (!isOp(pos, ';')) fail(`";" after the header of module ${module} expected`);
      modules.push({ name: module, bodyStart: toks[pos]!.end, line });
      pos++;
      while (!isId(pos, 'endmodule')) {
        if (pos >= toks.length) fail(`"endmodule" of ${module} expected`);
        moduleItem();
      }
      pos++;
      continue;
    }
    if (isId(pos, 'package')) {
      while (pos < toks.length && !isId(pos, 'endpackage')) pos++;
      pos++;
      continue;
    }
    pos++;
  }
  return { modules, sites };
}

/**
 * Mutants a person has judged equivalent, with the reason (fixtures/mutation/equivalent.json for
 * our RTL). Yosys cannot read our SystemVerilog, so no tool proves these; a review written down
 * beside the RTL is the next best thing, as mutation tools without an equivalence checker do it.
 * An entry names the mutant by file, line, operator and the exact text before and after, so an
 * RTL edit that moves or changes the line leaves the entry matching nothing: it is reported as
 * stale, to be judged again, rather than silently carried over to different logic.
 */
import { readFileSync } from 'node:fs';
import { VtaUserError } from '../../runtime/errors.js';

export interface EquivalenceEntry {
  file: string;
  line: number;
  operator: string;
  original: string;
  replacement: string;
  /** Why no legal program can observe the change (read against the RTL). */
  why: string;
}

export interface MutantIdentity {
  file: string;
  line: number;
  operator: string;
  original: string;
  replacement: string;
}

export class EquivalenceReviewError extends VtaUserError {
  override name = 'EquivalenceReviewError';
}

const FIELDS = ['file', 'line', 'operator', 'original', 'replacement', 'why'] as const;

export function loadEquivalenceReview(path: string): EquivalenceEntry[] {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new EquivalenceReviewError(`equivalence review ${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
  }
  const list = (json as { mutants?: unknown })?.mutants;
  if (!Array.isArray(list)) throw new EquivalenceReviewError(`equivalence review ${path}: expected { "mutants": [ … ] }`);
  return list.map((e, i) => {
    const where = `equivalence review ${path}, mutants[${i}]`;
    if (typeof e !== 'object' || e === null) throw new EquivalenceReviewError(`${where}: expected an object`);
    const o = e as Record<string, unknown>;
    for (const f of FIELDS) {
      const ok = f === 'line' ? Number.isInteger(o[f]) && (o[f] as number) > 0 : typeof o[f] === 'string' && o[f] !== '';
      if (!ok) throw new EquivalenceReviewError(`${where}: "${f}" must be ${f === 'line' ? 'a positive integer' : 'a non-empty string'}, got ${JSON.stringify(o[f])}`);
    }
    return { file: o.file, line: o.line, operator: o.operator, original: o.original, replacement: o.replacement, why: o.why } as EquivalenceEntry;
  });
}

/** Whitespace inside an expression (line breaks of a long condition) does not distinguish mutants. */
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

function sameMutant(e: EquivalenceEntry, m: MutantIdentity): boolean {
  return e.file === m.file && e.line === m.line && e.operator === m.operator && norm(e.original) === norm(m.original) && norm(e.replacement) === norm(m.replacement);
}

/** Each mutant's review entry, if any; entries that match none of `all` (every mutant of the RTL) are stale. */
export function matchReview<M extends MutantIdentity>(entries: EquivalenceEntry[], all: readonly MutantIdentity[], selected: readonly M[]): { reviewed: Map<M, EquivalenceEntry>; stale: EquivalenceEntry[] } {
  const reviewed = new Map<M, EquivalenceEntry>();
  for (const m of selected) {
    const e = entries.find((x) => sameMutant(x, m));
    if (e) reviewed.set(m, e);
  }
  const stale = entries.filter((e) => !all.some((m) => sameMutant(e, m)));
  return { reviewed, stale };
}

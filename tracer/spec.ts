/**
 * Trace specifications: which events a run records (the mode, or an explicit list of event
 * kinds) narrowed by filters (buffers, an instruction window, a cycle window). The same names
 * are used by the API, the database and the CLI (`--mode`, `--buffers`, `--insn A:B`,
 * `--cycles A:B`, `--kinds`). Semantics: docs/trace-schema.md §Trace modes.
 */
import { STREAMS, type Stream } from '../runtime/contract/events.js';
import { TraceSpecError } from './errors.js';
import { didYouMean } from '../runtime/suggest.js';

export const TRACE_MODES = ['outputs', 'digest', 'insn', 'sram', 'full'] as const;
export type TraceMode = (typeof TRACE_MODES)[number];

/** What the buffer filter can name: the five scratchpads and DRAM (the dram.store stream). */
export const BUFFER_SCOPES = ['uop', 'inp', 'wgt', 'acc', 'out', 'dram'] as const;
export type BufferScope = (typeof BUFFER_SCOPES)[number];

/** A half-open window [from, to) of program indices or cycles, like a Python slice. */
export interface Window {
  from: number;
  to: number;
}
export const FULL_WINDOW: Window = Object.freeze({ from: 0, to: Number.POSITIVE_INFINITY });

export interface TraceSpec {
  readonly mode: TraceMode;
  /** The streams whose events are stored (digests are kept in every mode but `outputs`). */
  readonly streams: ReadonlySet<Stream>;
  /** Buffers whose write streams are stored and digested; undefined = all. */
  readonly buffers?: ReadonlySet<BufferScope>;
  /** Instructions whose events are stored and digested. */
  readonly insn: Window;
  /** Cycles whose events are stored. Never applies to digests: cycles differ between targets. */
  readonly cycles: Window;
}

const INSN_STREAMS: Stream[] = ['insn.load', 'insn.compute', 'insn.store'];
const WRITE_STREAMS: Stream[] = ['sram.uop', 'sram.inp', 'sram.wgt', 'sram.acc', 'sram.out', 'dram.store'];
const ITER_STREAMS: Stream[] = ['gemm.iter', 'alu.iter'];
/** What LOADs read (docs/trace-schema.md §DRAM reads): stored by the modes that store rows, never digested. */
const READ_STREAMS: Stream[] = ['dram.load'];

/** The streams each mode stores. */
export function streamsOfMode(mode: TraceMode): Stream[] {
  switch (mode) {
    case 'outputs':
    case 'digest':
      return [];
    case 'insn':
      return [...INSN_STREAMS];
    case 'sram':
      return [...INSN_STREAMS, ...WRITE_STREAMS, ...READ_STREAMS];
    case 'full':
      return [...INSN_STREAMS, ...WRITE_STREAMS, ...ITER_STREAMS, ...READ_STREAMS];
  }
}

/** The buffer a write stream belongs to (for the buffer filter); undefined for retire/iter streams. */
export function bufferOfStream(s: Stream): BufferScope | undefined {
  if (s.startsWith('sram.')) return s.slice(5) as BufferScope;
  if (s === 'dram.store') return 'dram';
  return undefined;
}

export interface TraceSpecOptions {
  mode?: string;
  /** Comma-separated text or a list. */
  buffers?: string | readonly string[];
  /** "A:B" (either end may be omitted) or a window. */
  insn?: string | Window;
  cycles?: string | Window;
  /** Event kinds (stream names) to store instead of the mode's set; the mode still decides digests. */
  kinds?: string | readonly string[];
}

function listOf(v: string | readonly string[]): string[] {
  return (typeof v === 'string' ? v.split(',') : [...v]).map((s) => s.trim()).filter((s) => s.length > 0);
}

/** Parse "A:B", "A:", ":B" or "A" (= A:A+1) into a half-open window. */
/** The option a window of this kind comes from, so that its error names it. */
const WINDOW_OPTION: Record<string, string> = { instruction: '--insn', cycle: '--cycles' };

export function parseWindow(text: string, kind: string): Window {
  const what = WINDOW_OPTION[kind] ? `${WINDOW_OPTION[kind]}: ${kind}` : kind;
  const m = /^\s*(\d*)\s*(?::\s*(\d*))?\s*$/.exec(text);
  if (!m || (m[1] === '' && m[2] === undefined)) {
    throw new TraceSpecError(`${what} window "${text.slice(0, 60)}": expected A:B with non-negative integers (either end may be omitted)`);
  }
  const from = m[1] === '' ? 0 : Number(m[1]);
  const to = m[2] === undefined ? from + 1 : m[2] === '' ? Number.POSITIVE_INFINITY : Number(m[2]);
  if (!Number.isSafeInteger(from) || !(Number.isSafeInteger(to) || to === Number.POSITIVE_INFINITY)) {
    throw new TraceSpecError(`${what} window "${text.slice(0, 60)}": each end must be at most ${Number.MAX_SAFE_INTEGER - 1} (omit the end for "to the last")`);
  }
  if (to <= from) throw new TraceSpecError(`${what} window "${text}": the end must be greater than the start`);
  return { from, to };
}

/**
 * Refuse an instruction window that starts past the program: it would record nothing and compare
 * nothing, and a report that agrees over no instructions reads like a pass.
 */
export function checkSpecFits(spec: TraceSpec, insnCount: number): void {
  if (spec.insn.from >= insnCount) {
    throw new TraceSpecError(`instruction window ${formatWindow(spec.insn)} starts past the program's end: it has ${insnCount} instructions (#0–#${insnCount - 1})`);
  }
}

/** The parts of the program a spec's digests leave out (--buffers, --insn), in words; empty when none. */
export function digestNarrowing(spec: TraceSpec): { covers: string[]; flags: string[] } {
  const covers: string[] = [];
  const flags: string[] = [];
  if (spec.buffers) {
    covers.push(`buffers ${bufferNames(spec.buffers).join(', ')}`);
    flags.push('--buffers');
  }
  if (narrows(spec.insn)) {
    covers.push(Number.isFinite(spec.insn.to) ? `instructions #${spec.insn.from}–#${spec.insn.to - 1}` : `instructions from #${spec.insn.from}`);
    flags.push('--insn');
  }
  return { covers, flags };
}

/** Whether a window leaves anything out (it is not 0 to the end). */
function narrows(w: Window): boolean {
  return w.from > 0 || Number.isFinite(w.to);
}

/** A buffer filter's names in their documented order (uop, inp, wgt, acc, out, dram). */
function bufferNames(buffers: ReadonlySet<string>): string[] {
  return BUFFER_SCOPES.filter((b) => buffers.has(b));
}

export function formatWindow(w: Window): string {
  return `${w.from}:${Number.isFinite(w.to) ? w.to : ''}`;
}

export function inWindow(w: Window, v: number): boolean {
  return v >= w.from && v < w.to;
}

/** Validate user-facing options once, at the edge, into a TraceSpec. */
export function makeTraceSpec(opts: TraceSpecOptions = {}): TraceSpec {
  const mode = (opts.mode ?? 'digest') as TraceMode;
  if (!TRACE_MODES.includes(mode)) {
    throw new TraceSpecError(`unknown trace mode "${opts.mode}"${didYouMean(String(opts.mode), TRACE_MODES)}: expected one of ${TRACE_MODES.join(', ')}`);
  }
  let streams = new Set<Stream>(streamsOfMode(mode));
  if (opts.kinds !== undefined) {
    if (mode === 'outputs') throw new TraceSpecError('event kinds cannot be recorded in mode outputs: use digest or finer');
    streams = new Set();
    for (const k of listOf(opts.kinds)) {
      if (!(STREAMS as readonly string[]).includes(k)) {
        throw new TraceSpecError(`unknown event kind "${k}": expected one of ${STREAMS.join(', ')}`);
      }
      streams.add(k as Stream);
    }
  }
  let buffers: Set<BufferScope> | undefined;
  if (opts.buffers !== undefined) {
    buffers = new Set();
    for (const b of listOf(opts.buffers)) {
      if (!(BUFFER_SCOPES as readonly string[]).includes(b)) {
        throw new TraceSpecError(`unknown buffer "${b}": expected one of ${BUFFER_SCOPES.join(', ')}`);
      }
      buffers.add(b as BufferScope);
    }
    if (buffers.size === 0) throw new TraceSpecError('--buffers: empty buffer list: name at least one of ' + BUFFER_SCOPES.join(', '));
  }
  const win = (v: string | Window | undefined, what: string): Window =>
    v === undefined ? FULL_WINDOW : typeof v === 'string' ? parseWindow(v, what) : v;
  return { mode, streams, buffers, insn: win(opts.insn, 'instruction'), cycles: win(opts.cycles, 'cycle') };
}

/** Does the spec keep digests at all? */
export function keepsDigests(spec: TraceSpec): boolean {
  return spec.mode !== 'outputs';
}

/** Is stream `s` digested under the spec's buffer filter? Iteration and read streams never are (docs §Digest). */
export function digestsStream(spec: TraceSpec, s: Stream): boolean {
  if (s === 'gemm.iter' || s === 'alu.iter' || s === 'dram.load') return false;
  const b = bufferOfStream(s);
  return b === undefined || spec.buffers === undefined || spec.buffers.has(b);
}

/** Is stream `s` stored (mode or kinds, then the buffer filter)? */
export function storesStream(spec: TraceSpec, s: Stream): boolean {
  if (!spec.streams.has(s)) return false;
  const b = bufferOfStream(s);
  return b === undefined || spec.buffers === undefined || spec.buffers.has(b);
}

/**
 * What a run's digests cover. Two runs' digests are comparable only when their scopes are equal;
 * the cycle window and the stored streams do not enter it.
 */
export function digestScope(spec: TraceSpec): string {
  const buffers = spec.buffers ? [...spec.buffers].sort().join(',') : '*';
  return `buffers=${buffers} insn=${formatWindow(spec.insn)}`;
}

/** One-line canonical text of the spec, stored with each run and printed by `runs`. */
export function describeSpec(spec: TraceSpec): string {
  const parts: string[] = [spec.mode];
  const modeSet = streamsOfMode(spec.mode);
  const same = modeSet.length === spec.streams.size && modeSet.every((s) => spec.streams.has(s));
  if (!same) parts.push(`kinds=${STREAMS.filter((s) => spec.streams.has(s)).join(',')}`);
  if (spec.buffers) parts.push(`buffers=${bufferNames(spec.buffers).join(',')}`);
  if (narrows(spec.insn)) parts.push(`insn=${formatWindow(spec.insn)}`);
  if (narrows(spec.cycles)) parts.push(`cycles=${formatWindow(spec.cycles)}`);
  return parts.join(' ');
}

/** Inverse of describeSpec, for re-running a stored run with the spec it was recorded with. */
export function parseSpecDescription(text: string): TraceSpec {
  const [mode, ...rest] = text.trim().split(/\s+/);
  const opts: TraceSpecOptions = { mode };
  for (const part of rest) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq);
    const value = part.slice(eq + 1);
    if (key === 'kinds') opts.kinds = value;
    else if (key === 'buffers') opts.buffers = value;
    else if (key === 'insn') opts.insn = value;
    else if (key === 'cycles') opts.cycles = value;
    else throw new TraceSpecError(`trace spec "${text}": unknown part "${part}"`);
  }
  return makeTraceSpec(opts);
}

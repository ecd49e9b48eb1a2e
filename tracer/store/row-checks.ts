/**
 * What a trace database row must look like before it is used (docs/trace-schema.md): JSON
 * columns that parse to the documented shape, counts that are integers in range, BLOBs whose
 * lengths agree with their counts. The file is input like any other — damaged, edited by hand or
 * written by another tool — so every row is checked where it is read, and checked before any
 * array is allocated from a count it claims (an events row claiming 10^8 events must not cost
 * gigabytes first). Each check names the table, the row and the column; the store prefixes
 * "<file>: not a valid trace database: ".
 */
import { MODULES } from '../../runtime/isa/insn.js';
import { shown } from '../../runtime/errors.js';
import { STREAMS } from '../../runtime/contract/events.js';
import { DIGEST_CHUNK } from '../digest.js';
import { BOARD_SOURCES, RUN_STATUSES } from './schema.js';

/** A row that is not what the schema says. `where` is e.g. "runs row 3, counters_json". */
export class BadRow extends Error {
  override name = 'BadRow';
}

export function bad(where: string, problem: string): never {
  throw new BadRow(`${where}: ${problem}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A JSON column: null stays null, anything else must parse. */
export function jsonColumn(text: unknown, where: string): unknown {
  if (text === null || text === undefined) return null;
  if (typeof text !== 'string') bad(where, `expected JSON text, found a ${text instanceof Uint8Array ? 'BLOB' : typeof text}`);
  try {
    return JSON.parse(text);
  } catch {
    return bad(where, `not valid JSON (${shown(text, 40)})`);
  }
}

export function integer(v: unknown, where: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof v === 'bigint') v = Number(v);
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) bad(where, `expected an integer in ${min}..${max}, found ${shown(v, 40)}`);
  return v as number;
}

function finite(v: unknown, where: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) bad(where, `expected a number, found ${shown(v, 40)}`);
  return v as number;
}

export function text(v: unknown, where: string): string {
  if (typeof v !== 'string') bad(where, `expected text, found ${v instanceof Uint8Array ? 'a BLOB' : shown(v, 40)}`);
  return v as string;
}

export function optionalText(v: unknown, where: string): string | null {
  return v === null || v === undefined ? null : text(v, where);
}

export function blob(v: unknown, where: string): Uint8Array {
  if (!(v instanceof Uint8Array)) bad(where, `expected a BLOB, found ${shown(v, 40)}`);
  return v as Uint8Array;
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[], where: string): T {
  if (!allowed.includes(v as T)) bad(where, `expected one of ${allowed.join(', ')}, found ${shown(v, 40)}`);
  return v as T;
}

/** An object of numbers, by the given keys (every key present). */
function numbersByKey(v: unknown, keys: readonly string[], where: string): void {
  if (!isObject(v)) bad(where, `expected an object with ${keys.join(', ')}, found ${shown(v, 40)}`);
  for (const k of keys) finite((v as Record<string, unknown>)[k], `${where}.${k}`);
}

/** counters_json: `Counters` of runtime/contract/target.ts. */
export function checkCounters(v: unknown, where: string): void {
  if (v === null) return;
  if (!isObject(v)) bad(where, `expected an object, found ${shown(v, 40)}`);
  finite(v.cycles, `${where}.cycles`);
  numbersByKey(v.insns, MODULES, `${where}.insns`);
  numbersByKey(v.bytes, ['uop', 'inp', 'wgt', 'acc', 'out'], `${where}.bytes`);
  finite(v.gemmOps, `${where}.gemmOps`);
  finite(v.aluOps, `${where}.aluOps`);
  if (v.busy !== undefined) numbersByKey(v.busy, MODULES, `${where}.busy`);
}

/** module_cycles_json: `{load, compute, store}`. */
export function checkModuleCycles(v: unknown, where: string): void {
  if (v !== null) numbersByKey(v, MODULES, where);
}

/** blocked_json: an array of `{pc, module, queue}`. */
export function checkBlocked(v: unknown, where: string): void {
  if (v === null) return;
  if (!Array.isArray(v)) bad(where, `expected an array, found ${shown(v, 40)}`);
  v.forEach((b, i) => {
    if (!isObject(b)) bad(`${where}[${i}]`, 'expected an object {pc, module, queue}');
    integer(b.pc, `${where}[${i}].pc`);
    oneOf(b.module, MODULES, `${where}[${i}].module`);
    oneOf(b.queue, ['ld2cmp', 'cmp2ld', 'cmp2st', 'st2cmp'], `${where}[${i}].queue`);
  });
}

/** The scalar columns of a runs row every reader relies on. */
export function checkRunColumns(r: Record<string, unknown>, where: string): void {
  integer(r.id, `${where}, id`, 0);
  for (const c of ['target', 'config_hash', 'bundle_hash', 'trace_mode', 'trace_spec', 'digest_scope', 'started_at']) text(r[c], `${where}, ${c}`);
  for (const c of ['config_name', 'git_commit', 'message', 'finished_at']) optionalText(r[c], `${where}, ${c}`);
  oneOf(r.status, RUN_STATUSES, `${where}, status`);
  if (r.board_source !== null && r.board_source !== undefined) oneOf(r.board_source, BOARD_SOURCES, `${where}, board_source`);
  // 16 bytes an instruction in a 32-bit address space.
  integer(r.insn_count, `${where}, insn_count`, 0, 2 ** 28);
  integer(r.event_count, `${where}, event_count`);
  integer(r.host_events, `${where}, host_events`, 0, 1);
  if (r.digest_version !== null && r.digest_version !== undefined) integer(r.digest_version, `${where}, digest_version`, 1, 1000);
  if (r.dram_reads !== null && r.dram_reads !== undefined) integer(r.dram_reads, `${where}, dram_reads`, 0, 1);
}

/** An events row, before anything is allocated from its counts: n events of elem_len bytes. */
export function checkEventsRow(r: Record<string, unknown>, where: string): void {
  integer(r.pc, `${where}, pc`, 0, 2 ** 28);
  integer(r.stream, `${where}, stream`, 0, STREAMS.length - 1);
  integer(r.part, `${where}, part`);
  const n = integer(r.n, `${where}, n`, 1, 2 ** 31);
  const elemLen = integer(r.elem_len, `${where}, elem_len`, 1, 2 ** 16);
  const data = blob(r.data, `${where}, data`);
  if (data.length !== n * elemLen) bad(`${where}, data`, `${data.length} bytes, but n ${n} × elem_len ${elemLen} = ${n * elemLen}`);
  // Each BLOB holds either every value or, compacted, the first only (compact-columns.ts).
  const addrs = blob(r.addrs, `${where}, addrs`);
  if (addrs.length !== 4 && addrs.length !== 4 * n) bad(`${where}, addrs`, `${addrs.length} bytes, expected 4 or 4 × n = ${4 * n}`);
  const cycles = blob(r.cycles, `${where}, cycles`);
  if (cycles.length !== 8 && cycles.length !== 8 * n) bad(`${where}, cycles`, `${cycles.length} bytes, expected 8 or 8 × n = ${8 * n}`);
}

/** A digests row: `count` instructions of at most one chunk, two u32 and one presence byte each. */
export function checkDigestsRow(r: Record<string, unknown>, where: string): void {
  integer(r.chunk, `${where}, chunk`);
  integer(r.first_pc, `${where}, first_pc`);
  const count = integer(r.count, `${where}, count`, 0, DIGEST_CHUNK);
  integer(r.lo, `${where}, lo`, 0, 2 ** 32 - 1);
  integer(r.hi, `${where}, hi`, 0, 2 ** 32 - 1);
  const d = blob(r.insn_digests, `${where}, insn_digests`);
  if (d.length !== 8 * count) bad(`${where}, insn_digests`, `${d.length} bytes for count ${count}, expected ${8 * count}`);
  const p = blob(r.present, `${where}, present`);
  if (p.length !== count) bad(`${where}, present`, `${p.length} bytes for count ${count}, expected ${count}`);
}

/** outputs_json of a bundles row: `[{name, addr, size}]`. */
export function checkOutputRanges(v: unknown, where: string): { name: string; addr: number; size: number }[] {
  if (!Array.isArray(v)) bad(where, `expected an array of {name, addr, size}, found ${shown(v, 40)}`);
  return v.map((o, i) => {
    if (!isObject(o)) bad(`${where}[${i}]`, 'expected an object {name, addr, size}');
    return { name: text(o.name, `${where}[${i}].name`), addr: integer(o.addr, `${where}[${i}].addr`, 0, 2 ** 32 - 1), size: integer(o.size, `${where}[${i}].size`, 0, 2 ** 32) };
  });
}

/** workload_json of a bundles row: `{name, seed?, params?}`. */
export function checkWorkload(v: unknown, where: string): { name: string; seed?: number; params?: Record<string, unknown> } | undefined {
  if (v === null) return undefined;
  if (!isObject(v)) bad(where, `expected an object {name, seed?, params?}, found ${shown(v, 40)}`);
  text(v.name, `${where}.name`);
  if (v.seed !== undefined) integer(v.seed, `${where}.seed`);
  if (v.params !== undefined && !isObject(v.params)) bad(`${where}.params`, 'expected an object');
  return v as { name: string; seed?: number; params?: Record<string, unknown> };
}

/** loop_json of a source_map row: name → integer. */
export function checkLoop(v: unknown, where: string): Record<string, number> | undefined {
  if (v === null) return undefined;
  if (!isObject(v)) bad(where, `expected an object of numbers, found ${shown(v, 40)}`);
  for (const [k, n] of Object.entries(v)) finite(n, `${where}.${k}`);
  return v as Record<string, number>;
}

/** design_json: `DesignRecord` of runtime/contract/target.ts ({label, file?, sourcesHash}). */
export function checkDesign(v: unknown, where: string): void {
  if (v === null) return;
  if (!isObject(v)) bad(where, `expected an object {label, file?, sourcesHash}, found ${shown(v, 40)}`);
  text(v.label, `${where}.label`);
  text(v.sourcesHash, `${where}.sourcesHash`);
  if (v.file !== undefined) text(v.file, `${where}.file`);
}

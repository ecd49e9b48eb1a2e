/**
 * Reading a known-differences file (docs/known-differences.md): entries of a signature the
 * engine can match, a reason and an optional link. Everything is checked when the file is read,
 * so a typo in a field or condition name is an error naming the file and entry, not an entry
 * that silently never matches.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { RUN_STATUSES } from '../store/schema.js';
import { STREAMS, type Stream } from '../../runtime/contract/events.js';
import { VtaUserError } from '../../runtime/errors.js';
import { CONDITION_NAMES, type ConditionName } from './conditions.js';

export const KNOWN_FORMAT = 'vta-trace.known-differences/1';

export class KnownDifferencesError extends VtaUserError {
  override name = 'KnownDifferencesError';
}

/** A value form of `fields`: exact, any of, inclusive range, negation. */
export type ValueForm = number | number[] | { min?: number; max?: number } | { not: ValueForm };

export interface KnownMatch {
  insn?: string;
  module?: 'load' | 'compute' | 'store';
  fields?: Record<string, ValueForm>;
  stream?: Stream[];
  kind?: 'value' | 'missing';
  status?: string[];
  condition?: ConditionName;
}

export interface KnownEntry {
  id: string;
  match: KnownMatch;
  reason: string;
  link?: string;
  propagates: boolean;
  /** The file it came from, absolute. */
  file: string;
}

/** Every field name of any instruction format (runtime/isa/insn.ts). */
export const FIELD_NAMES = [
  'opcode', 'memory_type', 'sram_base', 'dram_base', 'is_pad_min_value', 'y_size', 'x_size', 'x_stride', 'y_pad_0', 'y_pad_1', 'x_pad_0', 'x_pad_1',
  'reset_reg', 'uop_bgn', 'uop_end', 'iter_out', 'iter_in', 'dst_factor_out', 'dst_factor_in', 'src_factor_out', 'src_factor_in',
  'wgt_factor_out', 'wgt_factor_in', 'alu_opcode', 'use_imm', 'imm', 'pop_prev_dep', 'pop_next_dep', 'push_prev_dep', 'push_next_dep',
];

const ENTRY_KEYS = ['id', 'match', 'reason', 'link', 'propagates'];
const MATCH_KEYS = ['insn', 'module', 'fields', 'stream', 'kind', 'status', 'condition'];

function valueForm(v: unknown, where: string, fail: (m: string) => never): ValueForm {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'number' && Number.isInteger(x))) return v as number[];
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === 'not') return { not: valueForm(o.not, `${where}.not`, fail) };
    if (keys.length > 0 && keys.every((k) => (k === 'min' || k === 'max') && typeof o[k] === 'number' && Number.isInteger(o[k]))) return o as { min?: number; max?: number };
  }
  return fail(`${where}: expected an integer, a non-empty list of integers, { "min", "max" } or { "not": … }, got ${JSON.stringify(v)}`);
}

function oneOrList(v: unknown, allowed: readonly string[], where: string, fail: (m: string) => never): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || list.some((s) => typeof s !== 'string' || !allowed.includes(s))) {
    fail(`${where}: expected one of ${allowed.join(', ')} (or a list of them), got ${JSON.stringify(v)}`);
  }
  return list as string[];
}

export function parseKnownDifferences(text: string, file: string): KnownEntry[] {
  const fail = (m: string): never => {
    throw new KnownDifferencesError(`${file}: ${m}`);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return fail(`not JSON: ${(e as Error).message}`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return fail('a known-differences file is a JSON object');
  const top = json as Record<string, unknown>;
  if (top.format !== KNOWN_FORMAT) fail(`"format" must be "${KNOWN_FORMAT}", got ${JSON.stringify(top.format)}`);
  if (!Array.isArray(top.entries)) return fail('"entries" must be a list');
  const ids = new Set<string>();
  return top.entries.map((raw, i): KnownEntry => {
    const at = `entries[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`${at}: an entry is an object`);
    const e = raw as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!ENTRY_KEYS.includes(k)) fail(`${at}: unknown key "${k}"; known: ${ENTRY_KEYS.join(', ')}`);
    if (typeof e.id !== 'string' || !/^[\w.-]+$/.test(e.id)) return fail(`${at}: "id" must be a name of letters, digits, '-', '_', '.'`);
    const where = `entry "${e.id}"`;
    if (ids.has(e.id)) fail(`${where}: id used twice`);
    ids.add(e.id);
    if (typeof e.reason !== 'string' || e.reason.trim() === '') fail(`${where}: "reason" must be a non-empty string`);
    if (e.link !== undefined && typeof e.link !== 'string') fail(`${where}: "link" must be a string`);
    if (e.propagates !== undefined && typeof e.propagates !== 'boolean') fail(`${where}: "propagates" must be true or false`);
    if (typeof e.match !== 'object' || e.match === null || Array.isArray(e.match)) return fail(`${where}: "match" must be an object`);
    const m = e.match as Record<string, unknown>;
    if (Object.keys(m).length === 0) fail(`${where}: an empty "match" would explain every divergence`);
    for (const k of Object.keys(m)) if (!MATCH_KEYS.includes(k)) fail(`${where}: match.${k}: unknown key; known: ${MATCH_KEYS.join(', ')}`);
    const match: KnownMatch = {};
    if (m.insn !== undefined) {
      if (typeof m.insn !== 'string' || m.insn.trim() === '') fail(`${where}: match.insn must be a mnemonic such as "LOAD ACC_8BIT" or "ALU"`);
      match.insn = (m.insn as string).trim().replace(/\s+/g, ' ');
    }
    if (m.module !== undefined) match.module = oneOrList(m.module, ['load', 'compute', 'store'], `${where}: match.module`, fail)[0] as KnownMatch['module'];
    if (m.fields !== undefined) {
      if (typeof m.fields !== 'object' || m.fields === null || Array.isArray(m.fields)) fail(`${where}: match.fields must be an object`);
      match.fields = {};
      for (const [name, v] of Object.entries(m.fields as Record<string, unknown>)) {
        if (!FIELD_NAMES.includes(name)) fail(`${where}: match.fields.${name}: no instruction format has this field; fields: ${FIELD_NAMES.join(', ')}`);
        match.fields[name] = valueForm(v, `${where}: match.fields.${name}`, fail);
      }
    }
    if (m.stream !== undefined) match.stream = oneOrList(m.stream, STREAMS, `${where}: match.stream`, fail) as Stream[];
    if (m.kind !== undefined) match.kind = oneOrList(m.kind, ['value', 'missing'], `${where}: match.kind`, fail)[0] as KnownMatch['kind'];
    if (m.status !== undefined) match.status = oneOrList(m.status, RUN_STATUSES.filter((s) => s !== 'running' && s !== 'ok'), `${where}: match.status`, fail);
    if (m.condition !== undefined) match.condition = oneOrList(m.condition, CONDITION_NAMES, `${where}: match.condition`, fail)[0] as ConditionName;
    return { id: e.id, match, reason: (e.reason as string).trim(), ...(e.link !== undefined ? { link: e.link as string } : {}), propagates: e.propagates !== false, file };
  });
}

/** The entries of several files, in the order given (a design's file, then --known files). */
export function loadKnownDifferences(files: readonly string[]): KnownEntry[] {
  const out: KnownEntry[] = [];
  for (const f of [...new Set(files.map((x) => resolve(x)))]) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch (e) {
      throw new KnownDifferencesError(`${f}: cannot read the known-differences file: ${(e as Error).message}`);
    }
    out.push(...parseKnownDifferences(text, f));
  }
  return out;
}

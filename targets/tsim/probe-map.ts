/**
 * Probe maps (format: fixtures/probe-maps/README.md): load and validate the JSON, then turn it
 * into the two things the build needs — the Verilator configuration that keeps every probed
 * signal readable, and the resolved probe list the harness reads at start-up.
 */
import { readFileSync } from 'node:fs';
import type { VtaParams } from '../../runtime/config/config.js';
import { MODULES, type Module } from '../../runtime/isa/insn.js';
import { BUFFER_NAMES, STREAM_ID, type BufferName, type WriteStream } from '../../runtime/contract/events.js';
import { ProbeMapError } from './errors.js';

/**
 * One field of a composed element index (README "Split memories"): a signal (all of it, or its
 * low `bits`) or a constant of `bits` bits. Parts are concatenated most significant first, as
 * in SystemVerilog's {a, b}.
 */
export type IndexPart = { signal: string; bits?: number } | { value: number; bits: number };

export interface WritePort {
  enable: string;
  /** The element index: one signal, or fields concatenated most significant first. */
  index: IndexPart[];
  data: string;
  mask?: string;
  granule?: number;
  /** Completion group (compute-owned buffers only); 0 when absent. */
  group?: number;
  /**
   * The part of the element this port carries, in bytes or in lanes of the buffer (absent: the
   * whole element). Lanes become bytes once the configuration is known (probeListText).
   */
  bytes?: { first: number; count: number };
  lanes?: { first: number; count: number };
}

export interface IterProbes {
  valid: string;
  dst?: string;
  src?: string;
  wgt?: string;
  result: string;
  group?: number;
}

/** A pulse: an instruction of `group` completed (its writes and iterations are final). */
export interface CompletionProbe {
  group: number;
  valid: string;
}

/** Groups are small integers; the harness keeps one byte of per-row flags for them. */
export const MAX_GROUPS = 8;

export interface ProbeMap {
  /** The file it came from (for messages). */
  file: string;
  description: string;
  top: string;
  retire: Record<Module, { valid: string; insn: string }>;
  /**
   * Completion groups of the compute module (README "Completion groups"): empty when the map
   * declares none (writes then belong to the next retire); `group` is the retiring compute
   * instruction's group signal.
   */
  complete: CompletionProbe[];
  retireGroup?: string;
  writes: Partial<Record<BufferName, WritePort[]>>;
  state: Partial<Record<Module, { signal: string; names?: Record<string, string> }>>;
  debug: Record<string, string>;
  iter: { gemm?: IterProbes[]; alu?: IterProbes[] };
  counters: { name: string; offset: number }[];
  /**
   * Optional: the counters (`cycles`, `acc_row_writes`, names of `counters`) this design counts
   * exactly as targets/tsim/vcr-counters.ts defines them, so that a run checks them against fsim.
   */
  compareCounters?: string[];
  /**
   * Optional: which module a read burst belongs to, told by its VTAMemDPI id: the id's bits from
   * `idShift` up are the client number, and `clients` maps client numbers to modules. Without it
   * the target cannot report what its LOADs read (the dram.load stream).
   */
  reads?: { idShift: number; clients: Record<number, Module> };
}

/** Which module's instruction a write to each buffer belongs to (README "Event semantics"). */
export const BUFFER_OWNER: Readonly<Record<BufferName, Module>> = {
  inp: 'load',
  wgt: 'load',
  uop: 'compute',
  acc: 'compute',
  out: 'compute',
};

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Validate a parsed probe map; `file` names it in errors. */
export function parseProbeMap(json: unknown, file: string): ProbeMap {
  const fail = (entry: string, problem: string): never => {
    throw new ProbeMapError(file, entry, problem);
  };
  if (!isObject(json)) return fail('(root)', 'must be a JSON object');
  if (json.format !== 1) fail('format', `must be 1, got ${JSON.stringify(json.format)}`);
  const top = json.top;
  if (typeof top !== 'string' || top === '') return fail('top', 'must be the top module name');
  const signal = (entry: string, v: unknown): string => {
    if (typeof v !== 'string' || v === '') return fail(entry, 'must be a hierarchical signal name');
    if (!v.startsWith(`${top}.`)) fail(entry, `"${v}" must start with the top module "${top}."`);
    if (!/^[A-Za-z_][\w$]*(\[\d+\])?(\.[A-Za-z_][\w$]*(\[\d+\])?)+$/.test(v)) fail(entry, `"${v}" is not a dotted hierarchical name`);
    return v;
  };
  const optSignal = (entry: string, v: unknown): string | undefined => (v === undefined ? undefined : signal(entry, v));

  if (!isObject(json.retire)) return fail('retire', 'must name valid and insn for load, compute and store');
  const retireJson = json.retire;
  const retire = {} as ProbeMap['retire'];
  for (const m of MODULES) {
    const r = retireJson[m];
    if (!isObject(r)) return fail(`retire.${m}`, 'is required');
    retire[m] = { valid: signal(`retire.${m}.valid`, r.valid), insn: signal(`retire.${m}.insn`, r.insn) };
    if (m !== 'compute' && (r.group !== undefined || r.complete !== undefined)) fail(`retire.${m}`, 'only compute has completion groups');
  }
  const computeJson = retireJson.compute as Json;
  const complete: CompletionProbe[] = [];
  if (computeJson.complete !== undefined) {
    if (!Array.isArray(computeJson.complete) || computeJson.complete.length === 0) {
      fail('retire.compute.complete', 'must be a non-empty list of { group, valid }');
    }
    (computeJson.complete as unknown[]).forEach((c, i) => {
      const e = `retire.compute.complete[${i}]`;
      if (!isObject(c)) return fail(e, 'must be { group, valid }');
      const group = groupOf(`${e}.group`, c.group, fail) ?? fail(`${e}.group`, 'is required');
      if (complete.some((d) => d.group === group)) fail(`${e}.group`, `group ${group} is declared twice`);
      complete.push({ group, valid: signal(`${e}.valid`, c.valid) });
    });
  }
  const retireGroup = optSignal('retire.compute.group', computeJson.group);
  if (retireGroup !== undefined && complete.length === 0) fail('retire.compute.group', 'needs retire.compute.complete');
  if (retireGroup === undefined && complete.some((c) => c.group !== 0)) {
    fail('retire.compute.group', 'is required when a completion group other than 0 is declared');
  }
  /** A port's or probe's group must be a declared completion group (0 is the default). */
  const checkGroup = (entry: string, v: unknown): number | undefined => {
    const g = groupOf(entry, v, fail);
    if (g === undefined || g === 0) return g;
    if (!complete.some((c) => c.group === g)) fail(entry, `group ${g} has no retire.compute.complete entry`);
    return g;
  };

  const writes: ProbeMap['writes'] = {};
  if (json.writes !== undefined) {
    if (!isObject(json.writes)) fail('writes', 'must be an object keyed by buffer name');
    for (const [buf, v] of Object.entries(json.writes as Json)) {
      if (!(BUFFER_NAMES as readonly string[]).includes(buf)) fail(`writes.${buf}`, `is not a buffer (${BUFFER_NAMES.join(', ')})`);
      const ports = Array.isArray(v) ? v : [v];
      writes[buf as BufferName] = ports.map((p, i) => {
        const e = Array.isArray(v) ? `writes.${buf}[${i}]` : `writes.${buf}`;
        if (!isObject(p)) return fail(e, 'must be an object with enable, index, data');
        if ((p.mask === undefined) !== (p.granule === undefined)) fail(e, 'mask and granule come together');
        if (p.granule !== undefined && !(Number.isInteger(p.granule) && (p.granule as number) > 0)) {
          fail(`${e}.granule`, 'must be a positive integer (bytes per mask bit)');
        }
        const group = checkGroup(`${e}.group`, p.group);
        if (group !== undefined && BUFFER_OWNER[buf as BufferName] !== 'compute') fail(`${e}.group`, 'only buffers of the compute module have groups');
        if (p.bytes !== undefined && p.lanes !== undefined) fail(e, 'give bytes or lanes, not both');
        if (p.lanes !== undefined && buf === 'uop') fail(`${e}.lanes`, 'uop elements have no lanes; use bytes');
        return {
          enable: signal(`${e}.enable`, p.enable),
          index: indexParts(`${e}.index`, p.index, signal, fail),
          data: signal(`${e}.data`, p.data),
          mask: optSignal(`${e}.mask`, p.mask),
          granule: p.granule as number | undefined,
          group,
          bytes: range(`${e}.bytes`, p.bytes, fail),
          lanes: range(`${e}.lanes`, p.lanes, fail),
        };
      });
    }
  }

  const state: ProbeMap['state'] = {};
  if (json.state !== undefined) {
    if (!isObject(json.state)) fail('state', 'must be an object keyed by module');
    for (const [m, v] of Object.entries(json.state as Json)) {
      if (!(MODULES as readonly string[]).includes(m)) fail(`state.${m}`, `is not a module (${MODULES.join(', ')})`);
      if (!isObject(v)) return fail(`state.${m}`, 'must be { signal, names? }');
      if (v.names !== undefined && !isObject(v.names)) fail(`state.${m}.names`, 'must map values to names');
      state[m as Module] = { signal: signal(`state.${m}.signal`, v.signal), names: v.names as Record<string, string> | undefined };
    }
  }

  const debug: Record<string, string> = {};
  if (json.debug !== undefined) {
    if (!isObject(json.debug)) fail('debug', 'must map labels to signals');
    for (const [label, v] of Object.entries(json.debug as Json)) {
      if (!/^\w+$/.test(label)) fail(`debug.${label}`, 'labels are letters, digits and _');
      debug[label] = signal(`debug.${label}`, v);
    }
  }

  const iter: ProbeMap['iter'] = {};
  if (json.iter !== undefined) {
    if (!isObject(json.iter)) fail('iter', 'must be { gemm?, alu? }');
    for (const [k, v] of Object.entries(json.iter as Json)) {
      if (k !== 'gemm' && k !== 'alu') fail(`iter.${k}`, 'must be gemm or alu');
      const probes = Array.isArray(v) ? v : [v];
      iter[k as 'gemm' | 'alu'] = probes.map((q, i) => {
        const e = Array.isArray(v) ? `iter.${k}[${i}]` : `iter.${k}`;
        if (!isObject(q)) return fail(e, 'must be an object');
        return {
          valid: signal(`${e}.valid`, q.valid),
          dst: optSignal(`${e}.dst`, q.dst),
          src: optSignal(`${e}.src`, q.src),
          wgt: optSignal(`${e}.wgt`, q.wgt),
          result: signal(`${e}.result`, q.result),
          group: checkGroup(`${e}.group`, q.group),
        };
      });
    }
  }

  const counters: ProbeMap['counters'] = [];
  if (json.counters !== undefined) {
    if (!Array.isArray(json.counters)) fail('counters', 'must be a list of { name, offset }');
    (json.counters as unknown[]).forEach((c, i) => {
      if (!isObject(c) || typeof c.name !== 'string' || !/^\w+$/.test(c.name)) return fail(`counters[${i}].name`, 'must be a word');
      const off = c.offset;
      if (typeof off !== 'number' || !Number.isInteger(off) || off % 4 !== 0 || off < 0x28 || off > 0xfc) {
        fail(`counters[${i}].offset`, `must be a multiple of 4 in 0x28..0xFC, got ${JSON.stringify(off)}`);
      }
      counters.push({ name: c.name, offset: off as number });
    });
  }
  let compareCounters: string[] | undefined;
  if (json.compareCounters !== undefined) {
    const known = ['cycles', 'acc_row_writes', ...counters.map((c) => c.name)];
    if (!Array.isArray(json.compareCounters)) fail('compareCounters', 'must be a list of counter names');
    (json.compareCounters as unknown[]).forEach((n, i) => {
      if (typeof n !== 'string' || !known.includes(n)) fail(`compareCounters[${i}]`, `must name cycles, acc_row_writes or one of counters (${counters.map((c) => c.name).join(', ') || 'none'}), got ${JSON.stringify(n)}`);
    });
    compareCounters = json.compareCounters as string[];
  }
  let reads: ProbeMap['reads'];
  if (json.reads !== undefined) {
    const r = json.reads as Json;
    if (!isObject(r)) fail('reads', 'must be { idShift, clients }');
    const shift = r.idShift;
    if (typeof shift !== 'number' || !Number.isInteger(shift) || shift < 0 || shift > 7) fail('reads.idShift', `must be an integer 0..7, got ${JSON.stringify(shift)}`);
    if (!isObject(r.clients)) fail('reads.clients', 'must map client numbers to modules (load, compute)');
    const clients: Record<number, Module> = {};
    for (const [k, m] of Object.entries(r.clients as Json)) {
      const n = Number(k);
      if (!Number.isInteger(n) || n < 0 || n >= 1 << (8 - (shift as number))) fail(`reads.clients.${k}`, `client numbers are integers below ${1 << (8 - (shift as number))}`);
      if (m !== 'load' && m !== 'compute') fail(`reads.clients.${k}`, `must be load or compute, got ${JSON.stringify(m)}`);
      clients[n] = m as Module;
    }
    reads = { idShift: shift as number, clients };
  }
  const description = typeof json.description === 'string' ? json.description : top;
  return { file, description, top, retire, complete, retireGroup, writes, state, debug, iter, counters, ...(compareCounters ? { compareCounters } : {}), ...(reads ? { reads } : {}) };
}

/** A port's index: a signal name, or a list of parts (the first a signal, the others with bits). */
function indexParts(
  entry: string,
  v: unknown,
  signal: (entry: string, v: unknown) => string,
  fail: (entry: string, problem: string) => never,
): IndexPart[] {
  if (!Array.isArray(v)) return [{ signal: signal(entry, v) }];
  if (v.length === 0) fail(entry, 'must be a signal or a non-empty list of index parts');
  return v.map((part, i): IndexPart => {
    const e = `${entry}[${i}]`;
    if (typeof part === 'string') {
      if (i > 0) fail(e, 'a part below the most significant one must say its width: { "signal": …, "bits": N }');
      return { signal: signal(e, part) };
    }
    if (!isObject(part)) return fail(e, 'must be a signal name, { "signal", "bits" } or { "value", "bits" }');
    const bits = part.bits;
    if (bits !== undefined && !(Number.isInteger(bits) && (bits as number) >= 1 && (bits as number) <= 32)) fail(`${e}.bits`, 'must be an integer in 1..32');
    if (bits === undefined && i > 0) fail(`${e}.bits`, 'is required below the most significant part');
    if (part.value !== undefined) {
      if (part.signal !== undefined) fail(e, 'give signal or value, not both');
      if (i === 0) fail(e, 'the most significant part must be a signal');
      const value = part.value;
      if (!Number.isInteger(value) || (value as number) < 0 || (value as number) >= 2 ** (bits as number)) fail(`${e}.value`, `must be an integer that fits in ${bits as number} bits`);
      return { value: value as number, bits: bits as number };
    }
    return { signal: signal(`${e}.signal`, part.signal), bits: bits as number | undefined };
  });
}

/** An optional [first, count] pair (bytes or lanes of an element). */
function range(entry: string, v: unknown, fail: (entry: string, problem: string) => never): { first: number; count: number } | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length !== 2 || !Number.isInteger(v[0]) || !Number.isInteger(v[1]) || v[0] < 0 || v[1] < 1) {
    fail(entry, `must be [first, count] with first ≥ 0 and count ≥ 1, got ${JSON.stringify(v)}`);
  }
  return { first: (v as number[])[0]!, count: (v as number[])[1]! };
}

/** An optional group number: an integer in 0..MAX_GROUPS-1. */
function groupOf(entry: string, v: unknown, fail: (entry: string, problem: string) => never): number | undefined {
  if (v === undefined) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= MAX_GROUPS) fail(entry, `must be an integer in 0..${MAX_GROUPS - 1}, got ${JSON.stringify(v)}`);
  return v as number;
}

export function loadProbeMap(path: string): ProbeMap {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ProbeMapError(path, '(file)', (e as Error).message);
  }
  return parseProbeMap(json, path);
}

/** Every signal the map names (for the Verilator configuration). */
export function probedSignals(map: ProbeMap): string[] {
  const out: string[] = [];
  for (const m of MODULES) out.push(map.retire[m].valid, map.retire[m].insn);
  for (const c of map.complete) out.push(c.valid);
  if (map.retireGroup) out.push(map.retireGroup);
  for (const ports of Object.values(map.writes)) {
    for (const p of ports ?? []) {
      out.push(p.enable, p.data, ...(p.mask ? [p.mask] : []));
      for (const part of p.index) if ('signal' in part) out.push(part.signal);
    }
  }
  for (const s of Object.values(map.state)) if (s) out.push(s.signal);
  out.push(...Object.values(map.debug));
  for (const probes of Object.values(map.iter)) for (const it of probes ?? []) for (const s of [it.valid, it.dst, it.src, it.wgt, it.result]) if (s) out.push(s);
  return [...new Set(out)];
}

/**
 * Split "top.a.gen[2].sig" into Verilator's scope "TOP.top.a.gen[2]" and variable "sig".
 * Verilator 5 names generate-block scopes with the brackets as written; older versions encoded
 * them (gen__BRA__2__KET__), which the harness tries when the first spelling is not found.
 */
export function verilatorScope(name: string): { scope: string; variable: string } {
  const parts = name.split('.');
  return { scope: ['TOP', ...parts.slice(0, -1)].join('.'), variable: parts[parts.length - 1]! };
}

/**
 * The Verilator configuration keeping each probed signal. Verilator matches modules, not
 * instances, so the rule names the variable in every module ("*"): a few same-named signals
 * elsewhere stay public too, which costs nothing but a little optimisation.
 */
export function probesVlt(map: ProbeMap): string {
  const vars = [...new Set(probedSignals(map).map((s) => verilatorScope(s).variable))].sort();
  return ['`verilator_config', ...vars.map((v) => `public_flat_rd -module "*" -var "${v}"`), ''].join('\n');
}

function ref(name: string | undefined, bits: number): string {
  if (!name) return '- - 0';
  const { scope, variable } = verilatorScope(name);
  return `${scope} ${variable} ${bits}`;
}

const MODULE_INDEX: Readonly<Record<Module, number>> = { load: 0, compute: 1, store: 2 };

function elementBytes(p: VtaParams, b: BufferName): number {
  return p.elemBytes[b];
}

function depthOf(p: VtaParams, b: BufferName): number {
  return b === 'uop' ? p.uopDepth : b === 'inp' ? p.inpDepth : b === 'wgt' ? p.wgtDepth : b === 'acc' ? p.accDepth : p.outDepth;
}

/** Bytes of one lane of each buffer (uop elements have none). */
function laneBytes(p: VtaParams, b: BufferName): number | undefined {
  const bits = b === 'inp' ? p.inpWidth : b === 'wgt' ? p.wgtWidth : b === 'acc' ? p.accWidth : b === 'out' ? p.outWidth : undefined;
  return bits === undefined ? undefined : bits / 8;
}

/**
 * The bytes of the element each port of buffer `b` carries, checked against the configuration:
 * inside the element, and together covering all of it (a byte no port writes would read as 0 in
 * the harness's rows and differ from every other target).
 */
export function portSlices(map: ProbeMap, b: BufferName, p: VtaParams): { first: number; count: number }[] {
  const ports = map.writes[b] ?? [];
  const elem = elementBytes(p, b);
  const fail = (entry: string, problem: string): never => {
    throw new ProbeMapError(map.file, entry, problem);
  };
  const slices = ports.map((port, i) => {
    const e = ports.length > 1 ? `writes.${b}[${i}]` : `writes.${b}`;
    let s = port.bytes ?? { first: 0, count: elem };
    if (port.lanes) {
      const lb = laneBytes(p, b)!;
      if (lb < 1) fail(`${e}.lanes`, `${b} lanes are ${lb * 8} bits wide, not whole bytes; use bytes`);
      s = { first: port.lanes.first * lb, count: port.lanes.count * lb };
    }
    if (s.first + s.count > elem) {
      fail(port.lanes ? `${e}.lanes` : `${e}.bytes`, `bytes ${s.first}..${s.first + s.count - 1} go past the ${elem}-byte ${b} element of this configuration`);
    }
    return s;
  });
  if (ports.length > 0) {
    const covered = new Uint8Array(elem);
    for (const s of slices) covered.fill(1, s.first, s.first + s.count);
    const gap = covered.indexOf(0);
    if (gap >= 0) {
      let end = gap;
      while (end + 1 < elem && covered[end + 1] === 0) end++;
      fail(`writes.${b}`, `bytes ${gap}..${end} of the ${elem}-byte ${b} element are written by no port`);
    }
  }
  return slices;
}

/** The resolved probe list the harness reads (format in harness/probes.h). */
export function probeListText(map: ProbeMap, p: VtaParams): string {
  const lines = [`description ${map.description.replace(/\s+/g, ' ')}`];
  for (const m of MODULES) lines.push(`retire ${MODULE_INDEX[m]} ${ref(map.retire[m].valid, 1)} ${ref(map.retire[m].insn, 128)}`);
  for (const c of map.complete) lines.push(`complete ${c.group} ${ref(c.valid, 1)}`);
  if (map.retireGroup) lines.push(`retire_group ${ref(map.retireGroup, 0)}`);
  for (const b of BUFFER_NAMES) {
    const ports = map.writes[b] ?? [];
    const slices = portSlices(map, b, p);
    ports.forEach((port, i) => {
      const stream = STREAM_ID[`sram.${b}` as WriteStream];
      const label = ports.length > 1 ? `${b}[${i}]` : b;
      const parts = port.index.map((part) => ('signal' in part ? `${part.bits ?? 0} 0 ${ref(part.signal, 0)}` : `${part.bits} ${part.value} ${ref(undefined, 0)}`));
      lines.push(
        [
          'write',
          label,
          stream,
          MODULE_INDEX[BUFFER_OWNER[b]],
          depthOf(p, b),
          elementBytes(p, b),
          slices[i]!.first,
          slices[i]!.count,
          ref(port.enable, 1),
          ref(port.data, slices[i]!.count * 8),
          ref(port.mask, 0),
          port.granule ?? 0,
          port.group ?? 0,
          port.index.length,
          ...parts,
        ].join(' '),
      );
    });
  }
  for (const k of ['gemm', 'alu'] as const) {
    const probes = map.iter[k] ?? [];
    const stream = STREAM_ID[k === 'gemm' ? 'gemm.iter' : 'alu.iter'];
    probes.forEach((it, i) => {
      const label = probes.length > 1 ? `${k}[${i}]` : k;
      lines.push(['iter', label, stream, ref(it.valid, 1), ref(it.dst, 0), ref(it.src, 0), ref(it.wgt, 0), ref(it.result, p.accMatrixWidth), it.group ?? 0].join(' '));
    });
  }
  for (const m of MODULES) {
    const s = map.state[m];
    if (s) lines.push(`state ${MODULE_INDEX[m]} ${ref(s.signal, 0)}`);
  }
  for (const [label, sig] of Object.entries(map.debug)) lines.push(`debug ${label} ${ref(sig, 0)}`);
  for (const c of map.counters) lines.push(`counter ${c.name} ${c.offset}`);
  for (const [client, m] of Object.entries(map.reads?.clients ?? {})) lines.push(`read ${map.reads!.idShift} ${client} ${MODULE_INDEX[m]}`);
  return `${lines.join('\n')}\n`;
}

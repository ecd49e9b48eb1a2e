/**
 * What a design implements (docs/design-description.md, "capabilities"): the ALU opcodes it
 * decodes, whether it loads ACC_8BIT, and how deep its scratchpads really are (a design may be
 * built for fewer entries than the configuration's index fields can name). Generated workloads
 * can keep inside them, and a bundle that needs more is refused before it runs, naming the
 * instruction and what is missing, instead of running into undefined behaviour (an index that
 * aliases, an instruction never accepted).
 */
import type { ProgramBundle } from './bundle/bundle.js';
import type { VtaParams } from './config/config.js';
import { VtaUserError } from './errors.js';
import { decodeProgram } from './isa/codec.js';
import { aluOpName, disassemble } from './isa/disasm.js';
import type { Insn } from './isa/insn.js';
import { MEM_ID } from './isa/layout.js';
import { insnBytes } from './bundle/bundle.js';

export type DepthName = 'uop' | 'inp' | 'wgt' | 'acc';
const DEPTH_NAMES: readonly DepthName[] = ['uop', 'inp', 'wgt', 'acc'];

export interface Capabilities {
  /** ALU opcodes decoded (numbers, in the configuration's opcode set); undefined: all of them. */
  aluOpcodes?: number[];
  /** LOAD ACC_8BIT decoded; undefined: yes. */
  acc8Load?: boolean;
  /** Scratchpad depths in elements; undefined: the configuration's. */
  depths?: Partial<Record<DepthName, number>>;
}

/** A design description's `capabilities` is wrong (file and key named). */
export class CapabilitiesError extends VtaUserError {
  override name = 'CapabilitiesError';
}

/** A bundle needs something the design lacks. */
export class MissingCapabilityError extends VtaUserError {
  override name = 'MissingCapabilityError';
  constructor(
    readonly pc: number,
    readonly missing: string,
    message: string,
  ) {
    super(message);
  }
}

const UPSTREAM_ALU = ['MIN', 'MAX', 'ADD', 'SHR', 'MUL'];
const FORK_ALU = ['MIN', 'MAX', 'ADD', 'SHR', 'CLP', 'MOV', 'MUL8'];

/**
 * The `capabilities` object of a design description. ALU opcodes are given by name (as the
 * disassembly prints them: MIN, MAX, ADD, SHR, MUL; CLP, MOV, MUL8 in the fork set) or number.
 */
export function parseCapabilities(json: unknown, where: string): Capabilities {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new CapabilitiesError(`${where}: "capabilities" must be an object`);
  const o = json as Record<string, unknown>;
  const known = ['aluOpcodes', 'acc8Load', 'depths'];
  for (const k of Object.keys(o)) if (!known.includes(k)) throw new CapabilitiesError(`${where}: capabilities.${k}: unknown key; known: ${known.join(', ')}`);
  const caps: Capabilities = {};
  if (o.aluOpcodes !== undefined) {
    if (!Array.isArray(o.aluOpcodes)) throw new CapabilitiesError(`${where}: capabilities.aluOpcodes must be a list of opcode names or numbers`);
    caps.aluOpcodes = o.aluOpcodes.map((v) => {
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < 8) return v;
      const n = typeof v === 'string' ? Math.max(UPSTREAM_ALU.indexOf(v), FORK_ALU.indexOf(v)) : -1;
      if (n < 0) throw new CapabilitiesError(`${where}: capabilities.aluOpcodes: ${JSON.stringify(v)} is not an ALU opcode (names: ${[...new Set([...UPSTREAM_ALU, ...FORK_ALU])].join(', ')}, or 0..7)`);
      return n;
    });
  }
  if (o.acc8Load !== undefined) {
    if (typeof o.acc8Load !== 'boolean') throw new CapabilitiesError(`${where}: capabilities.acc8Load must be true or false`);
    caps.acc8Load = o.acc8Load;
  }
  if (o.depths !== undefined) {
    if (typeof o.depths !== 'object' || o.depths === null) throw new CapabilitiesError(`${where}: capabilities.depths must be an object`);
    caps.depths = {};
    for (const [k, v] of Object.entries(o.depths as Record<string, unknown>)) {
      if (!DEPTH_NAMES.includes(k as DepthName)) throw new CapabilitiesError(`${where}: capabilities.depths.${k}: unknown buffer; known: ${DEPTH_NAMES.join(', ')}`);
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new CapabilitiesError(`${where}: capabilities.depths.${k} must be a positive integer (elements)`);
      caps.depths[k as DepthName] = v;
    }
  }
  return caps;
}

/** ALU opcodes a generator may use: the configuration's set, narrowed by the capabilities. */
export function aluOpcodesFor(p: VtaParams, caps: Capabilities | undefined): number[] {
  const all = Array.from({ length: p.aluOpcodes === 'fork' ? 7 : 5 }, (_, i) => i);
  return caps?.aluOpcodes ? all.filter((op) => caps.aluOpcodes!.includes(op)) : all;
}

export function depthOf(p: VtaParams, caps: Capabilities | undefined, b: DepthName): number {
  const own = { uop: p.uopDepth, inp: p.inpDepth, wgt: p.wgtDepth, acc: p.accDepth }[b];
  return Math.min(own, caps?.depths?.[b] ?? own);
}

const MEM_DEPTH: Partial<Record<number, DepthName>> = { [MEM_ID.UOP]: 'uop', [MEM_ID.INP]: 'inp', [MEM_ID.WGT]: 'wgt', [MEM_ID.ACC]: 'acc', [MEM_ID.ACC_8BIT]: 'acc' };

/** What one instruction needs that the capabilities lack, or undefined. */
function missingFor(p: VtaParams, caps: Capabilities, insn: Insn): string | undefined {
  if (insn.opcode === 0 || insn.opcode === 1) {
    if (insn.opcode === 0 && insn.memory_type === MEM_ID.ACC_8BIT && caps.acc8Load === false) return 'ACC_8BIT loads (capabilities.acc8Load is false)';
    const b = insn.opcode === 1 ? 'acc' : MEM_DEPTH[insn.memory_type];
    if (!b || insn.x_size === 0 || insn.y_size === 0) return undefined;
    const rows = (insn.y_pad_0 + insn.y_size + insn.y_pad_1) * (insn.x_pad_0 + insn.x_size + insn.x_pad_1);
    const end = insn.sram_base + (insn.opcode === 1 ? insn.y_size * insn.x_size : rows);
    const depth = depthOf(p, caps, b);
    if (caps.depths?.[b] !== undefined && end > depth) return `${b} index ${end - 1} (the design's ${b} buffer has ${depth} entries, capabilities.depths.${b})`;
    return undefined;
  }
  if (insn.opcode === 2 || insn.opcode === 4) {
    const depth = depthOf(p, caps, 'uop');
    if (caps.depths?.uop !== undefined && insn.uop_end > depth) return `uop index ${insn.uop_end - 1} (the design's uop buffer has ${depth} entries, capabilities.depths.uop)`;
    if (insn.opcode === 4 && caps.aluOpcodes && !caps.aluOpcodes.includes(insn.alu_opcode)) return `ALU opcode ${insn.alu_opcode} (${aluOpName(p, insn.alu_opcode)}) (not in capabilities.aluOpcodes)`;
  }
  return undefined;
}

/** Refuses a bundle that needs what the design lacks, naming the first such instruction. */
export function checkCapabilities(bundle: ProgramBundle, caps: Capabilities | undefined, design: string): void {
  if (!caps) return;
  const p = bundle.params;
  const insns = decodeProgram(p, insnBytes(bundle));
  insns.forEach((insn, pc) => {
    const missing = missingFor(p, caps, insn);
    if (missing) throw new MissingCapabilityError(pc, missing, `${design} cannot run this bundle: #${pc} ${disassemble(p, insn).trim()} needs ${missing}`);
  });
}

/** What every one of several designs implements (a workload for `diff A B` must suit both). */
export function commonCapabilities(list: readonly (Capabilities | undefined)[]): Capabilities | undefined {
  const given = list.filter((c): c is Capabilities => c !== undefined);
  if (!given.length) return undefined;
  const out: Capabilities = {};
  for (const c of given) {
    if (c.aluOpcodes) out.aluOpcodes = out.aluOpcodes ? out.aluOpcodes.filter((o) => c.aluOpcodes!.includes(o)) : [...c.aluOpcodes];
    if (c.acc8Load === false) out.acc8Load = false;
    for (const [k, v] of Object.entries(c.depths ?? {}) as [DepthName, number][]) {
      out.depths = { ...out.depths, [k]: Math.min(out.depths?.[k] ?? v, v) };
    }
  }
  return out;
}

/**
 * The instruction stream decoded once, before the run, into one flat Int32Array (slots.ts)
 * plus per-instruction scheduling facts. Executing from typed arrays instead of one decoded object
 * per instruction keeps the per-instruction path free of allocation and of
 * dictionary lookups, which is what limited the one-micro-op instruction rate.
 */
import type { VtaParams } from '../../runtime/config/config.js';
import { decodeInsn } from '../../runtime/isa/codec.js';
import { MEM_ID, layoutOf, type FormatLayout } from '../../runtime/isa/layout.js';
import { estimateCycles } from './cost.js';
import { COMPUTE_MODULE, F, LOAD_MODULE, STORE_MODULE, STRIDE } from './slots.js';

export interface DecodedProgram {
  readonly count: number;
  readonly fields: Int32Array;
  /** Executing module of each instruction (LOAD_MODULE, COMPUTE_MODULE, STORE_MODULE). */
  readonly module: Uint8Array;
  /** Dependency-flag bits of each instruction (POP_PREV | POP_NEXT | PUSH_PREV | PUSH_NEXT). */
  readonly flags: Uint8Array;
  /** cost.ts's cycle estimate of each instruction. */
  readonly cost: Float64Array;
}

/** Decodes one instruction's fields from `words` (starting at word `w`) into `out` at `base`. */
type FieldDecoder = (words: Uint32Array, w: number, out: Int32Array, base: number) => void;

/**
 * A straight-line decoder per format, generated from the layout table once per configuration.
 * Decoding is most of the cost of a short instruction; generated code with every shift and mask
 * a constant runs several times faster than a loop over a field table. The source is built only
 * from the layout's integers, never from program data.
 */
const decoderCache = new WeakMap<FormatLayout, FieldDecoder>();
function decoderOf(layout: FormatLayout): FieldDecoder {
  let d = decoderCache.get(layout);
  if (d) return d;
  const lines: string[] = [];
  for (const [name, pos] of layout) {
    // The header (opcode, dependency flags) is read directly; every other field has a slot.
    const slot = name === 'opcode' ? undefined : (F as Record<string, number>)[name];
    if (slot === undefined) continue;
    const word = pos.lsb >>> 5;
    const shift = pos.lsb & 31;
    let v = `(words[w + ${word}] >>> ${shift})`;
    if (shift + pos.width > 32) v = `(${v} | (words[w + ${word + 1}] << ${32 - shift}))`;
    if (pos.width < 32) v = `(${v} & ${2 ** pos.width - 1})`;
    // Sign-extend (only the ALU immediate); 32-bit fields stay int32 bit patterns.
    v = pos.signed ? `((${v} << ${32 - pos.width}) >> ${32 - pos.width})` : `(${v} | 0)`;
    lines.push(`out[base + ${slot}] = ${v};`);
  }
  d = new Function('words', 'w', 'out', 'base', lines.join('\n')) as FieldDecoder;
  decoderCache.set(layout, d);
  return d;
}

/**
 * Decode `count` instructions from `raw`. An undefined opcode (or a truncated stream) is rejected
 * with the runtime decoder's own InsnError, so messages stay identical.
 */
export function decodeProgram(p: VtaParams, raw: Uint8Array, count: number): DecodedProgram {
  const layout = layoutOf(p);
  const byOpcode: (FieldDecoder | undefined)[] = [decoderOf(layout.LOAD), decoderOf(layout.STORE), decoderOf(layout.GEMM), () => {}, decoderOf(layout.ALU)];
  const fields = new Int32Array(count * STRIDE);
  const module = new Uint8Array(count);
  const flags = new Uint8Array(count);
  const cost = new Float64Array(count);
  const usable = Math.min(count, Math.floor(raw.length / 16));
  const words = wordsOf(raw, usable);
  for (let pc = 0; pc < count; pc++) {
    const w0 = pc < usable ? words[pc * 4]! : 0;
    const opcode = w0 & 7;
    const decode = byOpcode[opcode];
    if (pc >= usable || !decode) decodeInsn(p, raw, pc * 16, pc); // throws the runtime's InsnError
    const base = pc * STRIDE;
    fields[base] = opcode;
    decode!(words, pc * 4, fields, base);
    flags[pc] = (w0 >>> 3) & 15;
    module[pc] = moduleOf(opcode, fields[base + F.memory_type]!);
    cost[pc] = estimateCycles(p, fields, base);
  }
  return { count, fields, module, flags, cost };
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** The stream as little-endian 32-bit words: a view when aligned on a little-endian host, else a copy. */
function wordsOf(raw: Uint8Array, insns: number): Uint32Array {
  if (LITTLE_ENDIAN && raw.byteOffset % 4 === 0) return new Uint32Array(raw.buffer, raw.byteOffset, insns * 4);
  const words = new Uint32Array(insns * 4);
  const dv = new DataView(raw.buffer, raw.byteOffset, insns * 16);
  for (let i = 0; i < insns * 4; i++) words[i] = dv.getUint32(i * 4, true);
  return words;
}

/** runtime/isa/insn.ts's moduleOf, on numbers. */
function moduleOf(opcode: number, memoryType: number): number {
  if (opcode === 1) return STORE_MODULE;
  if (opcode === 0) return memoryType === MEM_ID.WGT || memoryType === MEM_ID.INP ? LOAD_MODULE : COMPUTE_MODULE;
  return COMPUTE_MODULE;
}

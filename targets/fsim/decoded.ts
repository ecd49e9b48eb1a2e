/**
 * The instruction stream prepared once, before the run: each instruction's module and
 * dependency flags as bytes (what the scheduler reads for every instruction, including those it
 * cannot start yet), and a decoder that writes an instruction's fields into a small reusable
 * Int32Array (slots.ts) when it executes. Nothing is allocated per instruction: a decoded object
 * per instruction, or a full field table for a long program, was most of the cost of short
 * instructions.
 */
import type { VtaParams } from '../../runtime/config/config.js';
import { decodeInsn } from '../../runtime/isa/codec.js';
import { MEM_ID, layoutOf, type FormatLayout } from '../../runtime/isa/layout.js';
import { COMPUTE_MODULE, F, LOAD_MODULE, STORE_MODULE, STRIDE } from './slots.js';

export interface DecodedProgram {
  readonly count: number;
  /** Executing module of each instruction (LOAD_MODULE, COMPUTE_MODULE, STORE_MODULE). */
  readonly module: Uint8Array;
  /** Dependency-flag bits of each instruction (POP_PREV | POP_NEXT | PUSH_PREV | PUSH_NEXT). */
  readonly flags: Uint8Array;
  /** Write instruction `pc`'s fields into out[0, STRIDE): opcode in slot 0, fields the format lacks 0. */
  fieldsOf(pc: number, out: Int32Array): void;
}

/** Decodes the fields of the instruction at word `w` of `words` into out[0, STRIDE). */
type FieldDecoder = (words: Uint32Array, w: number, out: Int32Array) => void;

/**
 * A straight-line decoder per format, generated from the layout table once per configuration.
 * Decoding is most of the cost of a short instruction; generated code with every shift and mask
 * a constant runs several times faster than a loop over a field table. The source is built only
 * from the layout's integers, never from program data.
 */
const decoderCache = new WeakMap<FormatLayout, FieldDecoder[]>();
function decoderOf(layout: FormatLayout, opcode: number): FieldDecoder {
  // LOAD and STORE share one layout: cached per opcode, since the opcode is written as a constant.
  const cached = decoderCache.get(layout) ?? [];
  decoderCache.set(layout, cached);
  if (cached[opcode]) return cached[opcode];
  const slots: string[] = new Array<string>(STRIDE).fill('0');
  slots[F.opcode] = String(opcode);
  for (const [name, pos] of layout) {
    // The header (opcode, dependency flags) is read elsewhere; every other field has a slot.
    const slot = name === 'opcode' ? undefined : (F as Record<string, number>)[name];
    if (slot === undefined) continue;
    const word = pos.lsb >>> 5;
    const shift = pos.lsb & 31;
    let v = `(words[w + ${word}] >>> ${shift})`;
    if (shift + pos.width > 32) v = `(${v} | (words[w + ${word + 1}] << ${32 - shift}))`;
    if (pos.width < 32) v = `(${v} & ${2 ** pos.width - 1})`;
    // Sign-extend (only the ALU immediate); 32-bit fields stay int32 bit patterns.
    slots[slot] = pos.signed ? `((${v} << ${32 - pos.width}) >> ${32 - pos.width})` : `(${v} | 0)`;
  }
  // Every slot is written, so nothing of the previously decoded instruction survives.
  const d = new Function('words', 'w', 'out', slots.map((v, i) => `out[${i}] = ${v};`).join('\n')) as FieldDecoder;
  cached[opcode] = d;
  return d;
}

/**
 * Prepare `count` instructions from `raw`. An undefined opcode (or a truncated stream) is rejected
 * here, before anything runs, with the runtime decoder's own InsnError, so messages stay identical.
 */
export function decodeProgram(p: VtaParams, raw: Uint8Array, count: number): DecodedProgram {
  const layout = layoutOf(p);
  const decoders: (FieldDecoder | undefined)[] = [
    decoderOf(layout.LOAD, 0),
    decoderOf(layout.STORE, 1),
    decoderOf(layout.GEMM, 2),
    decoderOf(layout.FINISH, 3),
    decoderOf(layout.ALU, 4),
  ];
  const memType = layout.LOAD.get('memory_type')!; // within word 0 in every configuration
  const memShift = memType.lsb;
  const memTypeMask = 2 ** memType.width - 1;
  const module = new Uint8Array(count);
  const flags = new Uint8Array(count);
  const usable = Math.min(count, Math.floor(raw.length / 16));
  const words = wordsOf(raw, usable);
  // Opcodes 0-4 have decoders; anything else (or a truncated stream) gets the runtime's error.
  for (let pc = 0, w = 0; pc < usable; pc++, w += 4) {
    const w0 = words[w]!;
    const opcode = w0 & 7;
    if (opcode > 4) decodeInsn(p, raw, pc * 16, pc); // throws the runtime's InsnError
    flags[pc] = (w0 >>> 3) & 15;
    // runtime/isa/insn.ts's moduleOf, on numbers.
    if (opcode === 1) module[pc] = STORE_MODULE;
    else if (opcode === 0) {
      const type = (w0 >>> memShift) & memTypeMask;
      module[pc] = type === MEM_ID.WGT || type === MEM_ID.INP ? LOAD_MODULE : COMPUTE_MODULE;
    } else module[pc] = COMPUTE_MODULE;
  }
  if (usable < count) decodeInsn(p, raw, usable * 16, usable); // throws: the stream is truncated
  return {
    count,
    module,
    flags,
    fieldsOf: (pc, out) => decoders[words[pc * 4]! & 7]!(words, pc * 4, out),
  };
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

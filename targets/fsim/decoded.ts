/**
 * The instruction stream prepared once, before the run, in one pass over its words: each
 * instruction's module and dependency flags in one byte (`meta`, what the scheduler reads for
 * every instruction, including those it cannot start yet; tokens.ts turns it into queue numbers
 * by table lookup), how many instructions of each meta value there are (queue capacities and
 * per-module counts come from that, not from another pass), and a decoder per opcode that writes
 * an instruction's fields into a small reusable Int32Array (slots.ts) when it executes. Nothing
 * is allocated per instruction: a decoded object per instruction, or a full field table for a
 * long program, was most of the cost of short instructions.
 */
import type { VtaParams } from '../../runtime/config/config.js';
import { decodeInsn } from '../../runtime/isa/codec.js';
import { MEM_ID, layoutOf, type FieldPos, type FormatLayout } from '../../runtime/isa/layout.js';
import { COMPUTE_MODULE, F, LOAD_MODULE, STORE_MODULE, STRIDE } from './slots.js';

export interface DecodedProgram {
  readonly count: number;
  /** The stream as little-endian 32-bit words, four per instruction. */
  readonly words: Uint32Array;
  /**
   * Per instruction: its executing module (LOAD_MODULE, COMPUTE_MODULE, STORE_MODULE) in bits 0–1,
   * its dependency-flag bits (POP_PREV | POP_NEXT | PUSH_PREV | PUSH_NEXT) in bits 2–5.
   */
  readonly meta: Uint8Array;
  /** Instructions per meta value (64 entries). */
  readonly metaCounts: Int32Array;
  /** Field decoders by opcode (0–4), for the scheduler to call each from its own call site. */
  readonly decoders: readonly FieldDecoder[];
  /** Write instruction `pc`'s fields into out[0, STRIDE): opcode in slot 0, fields the format lacks 0. */
  fieldsOf(pc: number, out: Int32Array): void;
}

/** Module and flags of a meta byte. */
export const moduleOfMeta = (meta: number): number => meta & 3;
export const flagsOfMeta = (meta: number): number => meta >>> 2;

/** Decodes the fields of the instruction at word `w` of `words` into out[0, STRIDE). */
export type FieldDecoder = (words: Uint32Array, w: number, out: Int32Array) => void;

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
    slots[slot] = fieldSource(pos, (word) => `words[w + ${word}]`);
  }
  // Every slot is written, so nothing of the previously decoded instruction survives.
  const d = new Function('words', 'w', 'out', slots.map((v, i) => `out[${i}] = ${v};`).join('\n')) as FieldDecoder;
  cached[opcode] = d;
  return d;
}

/**
 * JavaScript source reading one field as an int32, given how to name word k of the instruction:
 * every shift and mask a constant. Signed fields (only the ALU immediate) are sign-extended;
 * 32-bit fields stay int32 bit patterns.
 */
export function fieldSource(pos: FieldPos, word: (k: number) => string): string {
  const k = pos.lsb >>> 5;
  const shift = pos.lsb & 31;
  let v = `(${word(k)} >>> ${shift})`;
  if (shift + pos.width > 32) v = `(${v} | (${word(k + 1)} << ${32 - shift}))`;
  if (pos.width < 32) v = `(${v} & ${2 ** pos.width - 1})`;
  return pos.signed ? `((${v} << ${32 - pos.width}) >> ${32 - pos.width})` : `(${v} | 0)`;
}

/**
 * Prepare `count` instructions from `raw`. An undefined opcode (or a truncated stream) is rejected
 * here, before anything runs, with the runtime decoder's own InsnError, so messages stay identical.
 */
export function decodeProgram(p: VtaParams, raw: Uint8Array, count: number): DecodedProgram {
  const layout = layoutOf(p);
  const decoders: FieldDecoder[] = [
    decoderOf(layout.LOAD, 0),
    decoderOf(layout.STORE, 1),
    decoderOf(layout.GEMM, 2),
    decoderOf(layout.FINISH, 3),
    decoderOf(layout.ALU, 4),
  ];
  const memType = layout.LOAD.get('memory_type')!; // within word 0 in every configuration
  const memShift = memType.lsb;
  const memTypeMask = 2 ** memType.width - 1;
  const meta = new Uint8Array(count);
  const metaCounts = new Int32Array(64);
  const usable = Math.min(count, Math.floor(raw.length / 16));
  const words = wordsOf(raw, usable);
  const bad = classify(words, usable, memShift, memTypeMask, meta, metaCounts);
  // Opcodes 0-4 have decoders; anything else (or a truncated stream) gets the runtime's error.
  if (bad >= 0) decodeInsn(p, raw, bad * 16, bad); // throws the runtime's InsnError
  if (usable < count) decodeInsn(p, raw, usable * 16, usable); // throws: the stream is truncated
  return {
    count,
    words,
    meta,
    metaCounts,
    decoders,
    fieldsOf: (pc, out) => decoders[words[pc * 4]! & 7]!(words, pc * 4, out),
  };
}

/**
 * Fill meta and metaCounts for instructions [0, usable); the first with an undefined opcode, or −1.
 * A function of its own that only returns after its loop: V8 compiles the loop while it runs
 * (on-stack replacement), and code after it that had never run made that code deoptimise on
 * every run.
 */
function classify(words: Uint32Array, usable: number, memShift: number, memTypeMask: number, meta: Uint8Array, metaCounts: Int32Array): number {
  for (let pc = 0, w = 0; pc < usable; pc++, w += 4) {
    const w0 = words[w]!;
    const opcode = w0 & 7;
    if (opcode > 4) return pc;
    // runtime/isa/insn.ts's moduleOf, on numbers.
    let module = COMPUTE_MODULE;
    if (opcode === 1) module = STORE_MODULE;
    else if (opcode === 0) {
      const type = (w0 >>> memShift) & memTypeMask;
      if (type === MEM_ID.WGT || type === MEM_ID.INP) module = LOAD_MODULE;
    }
    // The four flag bits follow the 3-bit opcode: shifted down by one they land in bits 2-5.
    const m = module | ((w0 >>> 1) & 60);
    meta[pc] = m;
    metaCounts[m]++;
  }
  return -1;
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

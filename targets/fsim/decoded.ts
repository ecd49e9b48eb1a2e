/**
 * The instruction stream prepared once, before the run, in one pass over its words: each
 * instruction's module and dependency flags in one byte (`meta`, what the scheduler reads for
 * every instruction, including those it cannot start yet; tokens.ts turns it into queue numbers
 * by table lookup), how many instructions each module runs and how many push each way (queue
 * capacities and per-module counts come from that, not from another pass), and a decoder per opcode that writes
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
   * its dependency-flag bits (POP_PREV | POP_NEXT | PUSH_PREV | PUSH_NEXT) in bits 2–5. Valid
   * until releaseProgram: the array is reused by the next run.
   */
  readonly meta: Uint8Array;
  /** Instructions per module (by module number). */
  readonly perModule: readonly number[];
  /** Instructions with the push_prev_dep flag, and with push_next_dep (bounds on the token queues' lengths). */
  readonly pushPrev: number;
  readonly pushNext: number;
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
  const meta = acquireMeta(count);
  const tally = new Int32Array(TALLY_LENGTH);
  const usable = Math.min(count, Math.floor(raw.length / 16));
  const words = wordsOf(raw, usable);
  const bad = classify(words, usable, memShift, memTypeMask, meta, tally);
  // Opcodes 0-4 have decoders; anything else (or a truncated stream) gets the runtime's error.
  if (bad >= 0) decodeInsn(p, raw, bad * 16, bad); // throws the runtime's InsnError
  if (usable < count) decodeInsn(p, raw, usable * 16, usable); // throws: the stream is truncated
  const [loads, stores, pushPrev, pushNext] = tally as unknown as [number, number, number, number];
  return {
    count,
    words,
    meta,
    perModule: [loads, count - loads - stores, stores],
    pushPrev,
    pushNext,
    decoders,
    fieldsOf: (pc, out) => decoders[words[pc * 4]! & 7]!(words, pc * 4, out),
  };
}

/** classify's counts: LOAD-module instructions, STORE-module ones, push_prev_dep and push_next_dep flags. */
const TALLY_LENGTH = 4;

/**
 * Fill meta for instructions [0, usable) and `tally` with its counts; the first instruction with
 * an undefined opcode, or −1. The counts are locals until the loop ends: a histogram in memory
 * (an increment of the same element for a run of equal instructions) cost a third of the pass.
 * The pass reads every instruction's first word, so on a long stream it runs at the speed of
 * memory. A function of its own: V8 compiles the loop while it runs (on-stack replacement), and
 * code after it in decodeProgram that had never run made that code deoptimise on every run.
 */
function classify(words: Uint32Array, usable: number, memShift: number, memTypeMask: number, meta: Uint8Array, tally: Int32Array): number {
  let loads = 0;
  let stores = 0;
  let pushPrev = 0;
  let pushNext = 0;
  for (let pc = 0, w = 0; pc < usable; pc++, w += 4) {
    const w0 = words[w]!;
    const opcode = w0 & 7;
    if (opcode > 4) return pc;
    // runtime/isa/insn.ts's moduleOf, on numbers.
    let module = COMPUTE_MODULE;
    if (opcode === 1) {
      module = STORE_MODULE;
      stores++;
    } else if (opcode === 0) {
      const type = (w0 >>> memShift) & memTypeMask;
      if (type === MEM_ID.WGT || type === MEM_ID.INP) {
        module = LOAD_MODULE;
        loads++;
      }
    }
    // The four flag bits follow the 3-bit opcode: shifted down by one they land in bits 2-5.
    const m = module | ((w0 >>> 1) & 60);
    meta[pc] = m;
    pushPrev += (m >>> 4) & 1;
    pushNext += m >>> 5;
  }
  tally[0] = loads;
  tally[1] = stores;
  tally[2] = pushPrev;
  tally[3] = pushNext;
  return -1;
}

/**
 * The meta array is reused from run to run: a fresh zeroed array for a long stream cost about as
 * much per instruction as filling it. One spare is kept (up to SPARE_LIMIT bytes); runs that
 * overlap (pausing runs interleave) each get their own.
 */
const SPARE_LIMIT = 1 << 24;
let spareMeta: Uint8Array | undefined;

function acquireMeta(count: number): Uint8Array {
  const spare = spareMeta;
  if (spare === undefined || spare.length < count) return new Uint8Array(count);
  spareMeta = undefined;
  return spare.subarray(0, count);
}

/** The run is over: its meta array may serve the next run (the program must not be used after). */
export function releaseProgram(prog: DecodedProgram): void {
  const whole = new Uint8Array(prog.meta.buffer);
  if (whole.length <= SPARE_LIMIT && (spareMeta === undefined || spareMeta.length < whole.length)) spareMeta = whole;
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

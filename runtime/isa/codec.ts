/**
 * Bit-exact encode/decode of 128-bit instructions and 32-bit micro-ops, driven by the layout
 * tables. An instruction is held as four little-endian 32-bit words (bytes 0..15 in memory
 * order); fields are at most 32 bits wide but may straddle a 32-bit word boundary.
 */
import { InsnError } from '../errors.js';
import type { VtaParams } from '../config/config.js';
import { formatOfOpcode, layoutOf, type FormatLayout } from './layout.js';
import type { Insn, Uop } from './insn.js';

function getBits(words: Uint32Array, lsb: number, width: number): number {
  const w = lsb >>> 5;
  const off = lsb & 31;
  let v = words[w]! >>> off;
  if (off + width > 32) v |= words[w + 1]! << (32 - off);
  return width === 32 ? v >>> 0 : (v & (2 ** width - 1)) >>> 0;
}

function setBits(words: Uint32Array, lsb: number, width: number, value: number): void {
  const w = lsb >>> 5;
  const off = lsb & 31;
  const mask = width === 32 ? 0xffffffff : 2 ** width - 1;
  const v = value & mask;
  words[w] = (words[w]! & ~(mask << off)) | (v << off);
  if (off + width > 32) {
    const hiBits = off + width - 32;
    const hiMask = 2 ** hiBits - 1;
    words[w + 1] = (words[w + 1]! & ~hiMask) | ((v >>> (32 - off)) & hiMask);
  }
}

function checkRange(name: string, value: number, width: number, signed: boolean | undefined, index?: number): void {
  if (!Number.isInteger(value)) throw new InsnError(`field ${name} must be an integer, got ${value}`, index);
  const lo = signed ? -(2 ** (width - 1)) : 0;
  const hi = signed ? 2 ** (width - 1) - 1 : 2 ** width - 1;
  if (value < lo || value > hi) {
    throw new InsnError(`field ${name} = ${value} does not fit in ${width} bits${signed ? ' (signed)' : ''}`, index);
  }
}

function encodeFields(layout: FormatLayout, obj: Record<string, number>, words: Uint32Array, index?: number): void {
  for (const [name, pos] of layout) {
    const value = obj[name] ?? 0;
    checkRange(name, value, pos.width, pos.signed, index);
    setBits(words, pos.lsb, pos.width, value);
  }
}

/** A format's fields as parallel arrays: decoding is the fsim's per-instruction hot path. */
interface FieldArrays {
  names: string[];
  lsb: number[];
  width: number[];
  signed: boolean[];
}

const fieldArrayCache = new WeakMap<FormatLayout, FieldArrays>();
function fieldArrays(layout: FormatLayout): FieldArrays {
  let a = fieldArrayCache.get(layout);
  if (!a) {
    a = { names: [], lsb: [], width: [], signed: [] };
    for (const [name, pos] of layout) {
      a.names.push(name);
      a.lsb.push(pos.lsb);
      a.width.push(pos.width);
      a.signed.push(pos.signed === true);
    }
    fieldArrayCache.set(layout, a);
  }
  return a;
}

function decodeFields(layout: FormatLayout, words: Uint32Array): Record<string, number> {
  const f = fieldArrays(layout);
  const out: Record<string, number> = {};
  for (let i = 0; i < f.names.length; i++) {
    const width = f.width[i]!;
    let v = getBits(words, f.lsb[i]!, width);
    if (f.signed[i] && v >= 2 ** (width - 1)) v -= 2 ** width;
    out[f.names[i]!] = v;
  }
  return out;
}

/** Encode one instruction into 16 bytes (unused bits zero). Throws InsnError if a field is out of range. */
export function encodeInsn(p: VtaParams, insn: Insn, index?: number): Uint8Array {
  const format = formatOfOpcode(insn.opcode);
  if (!format) throw new InsnError(`unknown opcode ${insn.opcode}`, index);
  const words = new Uint32Array(4);
  encodeFields(layoutOf(p)[format], insn as unknown as Record<string, number>, words, index);
  return new Uint8Array(words.buffer);
}

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Little-endian 32-bit words of 16 instruction bytes (a view when aligned on a little-endian host). */
function wordsOf(bytes: Uint8Array, offset: number): Uint32Array {
  const at = bytes.byteOffset + offset;
  if (LITTLE_ENDIAN && at % 4 === 0) return new Uint32Array(bytes.buffer, at, 4);
  const words = new Uint32Array(4);
  const dv = new DataView(bytes.buffer, at, 16);
  for (let i = 0; i < 4; i++) words[i] = dv.getUint32(i * 4, true);
  return words;
}

/**
 * Decode the instruction at `offset` of `bytes`. Bits that belong to no field of the format are
 * ignored, as every upstream decoder does. Opcodes 5–7 are rejected with InsnError.
 */
export function decodeInsn(p: VtaParams, bytes: Uint8Array, offset = 0, index?: number): Insn {
  if (bytes.length < offset + 16) throw new InsnError(`truncated: needs 16 bytes, has ${bytes.length - offset}`, index);
  const words = wordsOf(bytes, offset);
  const opcode = words[0]! & 7;
  const format = formatOfOpcode(opcode);
  if (!format) throw new InsnError(`undefined opcode ${opcode}`, index);
  const fields = decodeFields(layoutOf(p)[format], words);
  if (format === 'LOAD' || format === 'STORE') fields.is_pad_min_value ??= 0;
  return fields as unknown as Insn;
}

/** Decode a whole instruction stream (16 bytes each). */
export function decodeProgram(p: VtaParams, bytes: Uint8Array): Insn[] {
  if (bytes.length % 16 !== 0) throw new InsnError(`instruction stream of ${bytes.length} bytes is not a multiple of 16`);
  const out: Insn[] = [];
  for (let i = 0; i < bytes.length / 16; i++) out.push(decodeInsn(p, bytes, i * 16, i));
  return out;
}

/** Encode a whole instruction stream. */
export function encodeProgram(p: VtaParams, insns: readonly Insn[]): Uint8Array {
  const out = new Uint8Array(insns.length * 16);
  insns.forEach((insn, i) => out.set(encodeInsn(p, insn, i), i * 16));
  return out;
}

/** Encode micro-ops as the uop DRAM image: one little-endian 32-bit word each. */
export function encodeUops(p: VtaParams, uops: readonly Uop[]): Uint8Array {
  const out = new Uint8Array(uops.length * 4);
  const view = new DataView(out.buffer);
  uops.forEach((u, i) => view.setUint32(i * 4, encodeUop(p, u), true));
  return out;
}

/** Encode a micro-op as its 32-bit value. */
export function encodeUop(p: VtaParams, uop: Uop): number {
  const words = new Uint32Array(1);
  encodeFields(layoutOf(p).UOP, uop as unknown as Record<string, number>, words);
  return words[0]!;
}

/** Decode a 32-bit micro-op value. */
export function decodeUop(p: VtaParams, word: number): Uop {
  return decodeFields(layoutOf(p).UOP, Uint32Array.of(word >>> 0)) as unknown as Uop;
}

/** 128-bit instruction as 32 hex digits, most significant first (word1 then word0), as trace lines print it. */
export function insnHex(bytes: Uint8Array, offset = 0): string {
  let s = '';
  for (let i = 15; i >= 0; i--) s += bytes[offset + i]!.toString(16).padStart(2, '0');
  return s;
}

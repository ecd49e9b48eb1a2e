/**
 * Just enough of the WebAssembly binary format to emit fsim's kernels and the tracer's digest
 * lanes from TypeScript (shared, so it lives in the innermost layer): LEB128
 * numbers, the handful of sections a one-memory module needs, and the opcodes the kernels use.
 * No external toolchain: the kernels are generated per configuration shape at run time.
 */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 of a 32-bit integer. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const I32 = 0x7f;
export const V128 = 0x7b;

/** Core opcodes (single byte) used by the kernels. */
export const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  return: 0x0f,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i32Store: 0x36,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32ShrU: 0x76,
  voidType: 0x40,
} as const;

/** SIMD opcodes (prefix 0xfd, then this number as LEB128). */
export const SIMD = {
  load: 0,
  load8x8S: 1,
  store: 11,
  const: 12,
  shuffle: 13,
  i32x4Splat: 17,
  load32Zero: 92,
  extendLowI8x16S: 135,
  i32x4Neg: 161,
  i32x4Shl: 171,
  i32x4ShrS: 172,
  i32x4Add: 174,
  i32x4Mul: 181,
  i32x4MinS: 182,
  i32x4MaxS: 184,
  i32x4DotI16x8S: 186,
} as const;

/** Builds one function body as bytes. */
export class Code {
  readonly bytes: number[] = [];

  op(...b: number[]): this {
    this.bytes.push(...b);
    return this;
  }
  get(local: number): this {
    return this.op(OP.localGet, ...uleb(local));
  }
  set(local: number): this {
    return this.op(OP.localSet, ...uleb(local));
  }
  i32(n: number): this {
    return this.op(OP.i32Const, ...sleb(n));
  }
  /** A memory access with alignment hint 0 (always valid) and a constant byte offset. */
  mem(opcode: number, offset: number): this {
    return this.op(opcode, 0, ...uleb(offset));
  }
  simd(opcode: number): this {
    return this.op(0xfd, ...uleb(opcode));
  }
  simdMem(opcode: number, offset: number): this {
    return this.op(0xfd, ...uleb(opcode), 0, ...uleb(offset));
  }
  /** i8x16.shuffle of the two vectors on the stack, picking 32-bit lanes (0–3 first, 4–7 second). */
  shuffle32(lanes: readonly number[]): this {
    this.simd(SIMD.shuffle);
    for (const l of lanes) this.op(l * 4, l * 4 + 1, l * 4 + 2, l * 4 + 3);
    return this;
  }
  v128Zero(): this {
    this.simd(SIMD.const);
    return this.op(...new Array<number>(16).fill(0));
  }
}

export interface FunctionSpec {
  name: string;
  params: number[];
  results: number[];
  /** Extra locals after the parameters, as value types. */
  locals: number[];
  body: Code;
}

function section(id: number, content: number[]): number[] {
  return [id, ...uleb(content.length), ...content];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  const b = [...Buffer.from(s, 'utf8')];
  return [...uleb(b.length), ...b];
}

/** A module importing one memory as env.mem and exporting the given functions. */
export function moduleBytes(fns: FunctionSpec[]): Uint8Array {
  const types = section(1, vec(fns.map((f) => [0x60, ...vec(f.params.map((t) => [t])), ...vec(f.results.map((t) => [t]))])));
  const imports = section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x00, 0x00]])); // memory, min 0 pages
  const funcs = section(3, vec(fns.map((_, i) => uleb(i))));
  const exports = section(7, vec(fns.map((f, i) => [...name(f.name), 0x00, ...uleb(i)])));
  const bodies = fns.map((f) => {
    const locals = vec(f.locals.map((t) => [1, t])); // one entry per local: simple, and few of them
    const body = [...locals, ...f.body.bytes, OP.end];
    return [...uleb(body.length), ...body];
  });
  const code = section(10, vec(bodies));
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...funcs, ...exports, ...code]);
}

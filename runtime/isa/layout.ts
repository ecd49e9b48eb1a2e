/**
 * The instruction and micro-op encodings, as data. Every format is a list of fields in the
 * upstream header's declaration order; positions follow GCC's bit-field rule for `uint64_t`
 * members (vta-isa.md §2.1): fields are placed from bit 0 upward and a field never straddles
 * bit 64 — if it would, it starts at bit 64 and the skipped bits are unused. The encoder,
 * decoder, disassembler and the RTL package generator all read these tables.
 */
import { ConfigError } from '../errors.js';
import type { VtaParams } from '../config/config.js';

export const OPCODE = { LOAD: 0, STORE: 1, GEMM: 2, FINISH: 3, ALU: 4 } as const;
export type Format = keyof typeof OPCODE;
export const FORMATS: readonly Format[] = ['LOAD', 'STORE', 'GEMM', 'FINISH', 'ALU'];

export const MEM_ID = { UOP: 0, WGT: 1, INP: 2, ACC: 3, OUT: 4, ACC_8BIT: 5 } as const;
export type MemId = keyof typeof MEM_ID;
export const MEM_NAMES: readonly MemId[] = ['UOP', 'WGT', 'INP', 'ACC', 'OUT', 'ACC_8BIT'];

export interface FieldPos {
  readonly lsb: number;
  readonly width: number;
  /** Two's complement field (only the ALU immediate). */
  readonly signed?: boolean;
}

export type FormatLayout = ReadonlyMap<string, FieldPos>;

export interface IsaLayout {
  readonly LOAD: FormatLayout;
  readonly STORE: FormatLayout;
  readonly GEMM: FormatLayout;
  readonly ALU: FormatLayout;
  readonly FINISH: FormatLayout;
  readonly UOP: FormatLayout;
}

type FieldSpec = readonly [name: string, width: number, signed?: boolean];

const HEADER: FieldSpec[] = [
  ['opcode', 3],
  ['pop_prev_dep', 1],
  ['pop_next_dep', 1],
  ['push_prev_dep', 1],
  ['push_next_dep', 1],
];

/** Place fields by the upstream packing rule in `unitBits`-bit storage units. */
function pack(format: string, specs: FieldSpec[], totalBits: number, unitBits: number, key: string): FormatLayout {
  const out = new Map<string, FieldPos>();
  let bit = 0;
  for (const [name, width, signed] of specs) {
    if (width === 0) continue;
    const unitEnd = (Math.floor(bit / unitBits) + 1) * unitBits;
    if (bit + width > unitEnd) bit = unitEnd;
    if (bit + width > totalBits) {
      throw new ConfigError(
        key,
        `${format} field ${name} (${width} bits, placed at bit ${bit}) would end at bit ${bit + width}, beyond the ${totalBits}-bit ${format === 'UOP' ? 'micro-op' : 'instruction'}`,
      );
    }
    out.set(name, signed ? { lsb: bit, width, signed: true } : { lsb: bit, width });
    bit += width;
  }
  return out;
}

/** Build (and so validate) the layout of every format for a configuration. */
export function isaLayout(p: VtaParams): IsaLayout {
  const lUop = p.logUopDepth;
  const it = p.iterWidth;
  const mem: FieldSpec[] = [
    ...HEADER,
    ['memory_type', 3],
    ['sram_base', 16],
    ['dram_base', 32],
    ...(p.padMinValue ? ([['is_pad_min_value', 1]] as FieldSpec[]) : []),
    ['y_size', 16],
    ['x_size', 16],
    ['x_stride', 16],
    ['y_pad_0', 4],
    ['y_pad_1', 4],
    ['x_pad_0', 4],
    ['x_pad_1', 4],
  ];
  const loops: FieldSpec[] = [
    ...HEADER,
    ['reset_reg', 1],
    ['uop_bgn', lUop],
    ['uop_end', lUop + 1],
    ['iter_out', it],
    ['iter_in', it],
    ['dst_factor_out', p.logAccDepth],
    ['dst_factor_in', p.logAccDepth],
  ];
  const gemm: FieldSpec[] = [
    ...loops,
    ['src_factor_out', p.logInpDepth],
    ['src_factor_in', p.logInpDepth],
    ['wgt_factor_out', p.logWgtDepth],
    ['wgt_factor_in', p.logWgtDepth],
  ];
  const alu: FieldSpec[] = [
    ...loops,
    ['src_factor_out', p.logAccDepth],
    ['src_factor_in', p.logAccDepth],
    ['alu_opcode', 3],
    ['use_imm', 1],
    ['imm', 16, true],
  ];
  const finish: FieldSpec[] = [...HEADER];
  const uop: FieldSpec[] = [
    ['dst_idx', p.logAccDepth],
    ['src_idx', Math.max(p.logAccDepth, p.logInpDepth)],
    ['wgt_idx', p.logWgtDepth],
  ];
  const memLayout = pack('LOAD', mem, 128, 64, 'PAD_MIN_VALUE');
  return {
    LOAD: memLayout,
    STORE: memLayout,
    GEMM: pack('GEMM', gemm, 128, 64, 'LOG_{UOP,ACC,INP,WGT}_BUFF_SIZE/ITER_WIDTH'),
    ALU: pack('ALU', alu, 128, 64, 'LOG_{UOP,ACC}_BUFF_SIZE/ITER_WIDTH'),
    FINISH: pack('FINISH', finish, 128, 64, '(none)'),
    UOP: pack('UOP', uop, 32, 32, 'LOG_{ACC,INP,WGT}_BUFF_SIZE'),
  };
}

const layoutCache = new WeakMap<VtaParams, IsaLayout>();

/** The layout for a configuration, built once per `VtaParams` object. */
export function layoutOf(p: VtaParams): IsaLayout {
  let l = layoutCache.get(p);
  if (!l) layoutCache.set(p, (l = isaLayout(p)));
  return l;
}

/** The format of an opcode value, or undefined for opcodes 5–7. */
export function formatOfOpcode(op: number): Format | undefined {
  return FORMATS.find((f) => OPCODE[f] === op);
}

/**
 * The VTA configuration: upstream `vta_config.json` keys plus this project's documented
 * extensions, validated once at the edge and turned into every derived constant
 * (vta-isa.md §1.2–1.3). Everything downstream takes a `VtaParams`, never the raw JSON.
 */
import { createHash } from 'node:crypto';
import { ConfigError, oneLine, shown } from '../errors.js';
import { InputFileProblem, readInputFile } from '../files/read-input-file.js';
import { isaLayout } from '../isa/layout.js';

/** The JSON as written by users: upstream keys, plus optional extension keys. */
export interface VtaConfigJson {
  TARGET?: string;
  HW_VER?: string;
  LOG_INP_WIDTH: number;
  LOG_WGT_WIDTH: number;
  LOG_ACC_WIDTH: number;
  LOG_BATCH: number;
  LOG_BLOCK: number;
  LOG_UOP_BUFF_SIZE: number;
  LOG_INP_BUFF_SIZE: number;
  LOG_WGT_BUFF_SIZE: number;
  LOG_ACC_BUFF_SIZE: number;
  // ---- extensions (all optional; defaults reproduce upstream exactly) ----
  /** Separate block sizes (Intel Labs fork); both default to LOG_BLOCK. */
  LOG_BLOCK_IN?: number;
  LOG_BLOCK_OUT?: number;
  /** Memory bus width in bytes per beat: 8, 16, 32 or 64. Default: upstream (16 on ultra96/zcu104, else 8). */
  BUS_WIDTH_BYTES?: number;
  /** ALU opcode table: "upstream" (MIN MAX ADD SHR MUL32) or "fork" (MIN MAX ADD SHR CLP MOV MUL8). */
  ALU_OPCODES?: 'upstream' | 'fork';
  /** Adds the memory-instruction flag `is_pad_min_value` (first spare bit of word0). */
  PAD_MIN_VALUE?: boolean;
  /** Width of the GEMM/ALU loop-count fields (upstream 14). */
  ITER_WIDTH?: number;
  /** Our RTL gets the on-board trace unit and its VCR registers 0x44–0x50 (default false). */
  TRACE_UNIT?: boolean;
}

export type AluOpcodeSet = 'upstream' | 'fork';

export interface ElemBytes {
  insn: number;
  uop: number;
  inp: number;
  wgt: number;
  acc: number;
  out: number;
}

/** Every constant derived from the configuration. */
export interface VtaParams {
  readonly json: Readonly<VtaConfigJson>;
  readonly target: string;
  readonly hwVer: string;
  readonly logInpWidth: number;
  readonly logWgtWidth: number;
  readonly logAccWidth: number;
  readonly logOutWidth: number;
  readonly inpWidth: number;
  readonly wgtWidth: number;
  readonly accWidth: number;
  readonly outWidth: number;
  readonly logBatch: number;
  readonly logBlockIn: number;
  readonly logBlockOut: number;
  readonly batch: number;
  readonly blockIn: number;
  readonly blockOut: number;
  readonly logUopBuffSize: number;
  readonly logInpBuffSize: number;
  readonly logWgtBuffSize: number;
  readonly logAccBuffSize: number;
  readonly logOutBuffSize: number;
  readonly logUopDepth: number;
  readonly logInpDepth: number;
  readonly logWgtDepth: number;
  readonly logAccDepth: number;
  readonly uopDepth: number;
  readonly inpDepth: number;
  readonly wgtDepth: number;
  readonly accDepth: number;
  /** Always equal to accDepth (vta-isa.md §1.3). */
  readonly outDepth: number;
  /** Bits of one buffer element (INP_MATRIX_WIDTH etc.). */
  readonly inpMatrixWidth: number;
  readonly wgtMatrixWidth: number;
  readonly accMatrixWidth: number;
  readonly outMatrixWidth: number;
  readonly elemBytes: Readonly<ElemBytes>;
  readonly logBusWidth: number;
  readonly busBytes: number;
  readonly aluOpcodes: AluOpcodeSet;
  readonly padMinValue: boolean;
  readonly iterWidth: number;
  readonly traceUnit: boolean;
  /** Upstream bitstream name, e.g. 1x16_i8w8a32_15_15_18_17 (1x8x16_… when block in ≠ out). */
  readonly bitstream: string;
  /** sha256 of the canonical JSON (sorted keys), first 16 hex digits. */
  readonly hash: string;
}

const REQUIRED_INT_KEYS = [
  'LOG_INP_WIDTH',
  'LOG_WGT_WIDTH',
  'LOG_ACC_WIDTH',
  'LOG_BATCH',
  'LOG_BLOCK',
  'LOG_UOP_BUFF_SIZE',
  'LOG_INP_BUFF_SIZE',
  'LOG_WGT_BUFF_SIZE',
  'LOG_ACC_BUFF_SIZE',
] as const;

const OPTIONAL_INT_KEYS = ['LOG_BLOCK_IN', 'LOG_BLOCK_OUT', 'BUS_WIDTH_BYTES', 'ITER_WIDTH'] as const;

const KNOWN_KEYS = new Set<string>([
  'TARGET',
  'HW_VER',
  ...REQUIRED_INT_KEYS,
  ...OPTIONAL_INT_KEYS,
  'ALU_OPCODES',
  'PAD_MIN_VALUE',
  'TRACE_UNIT',
  // Keys that upstream's pkg_config.py or the fork may write into a config; accepted and ignored.
  'LOG_BUS_WIDTH',
  'LOG_OUT_WIDTH',
  'LOG_OUT_BUFF_SIZE',
]);

function requireInt(json: Record<string, unknown>, key: string, lo: number, hi: number, src?: string): number {
  const v = json[key];
  if (typeof v !== 'number' || !Number.isInteger(v)) {
    throw new ConfigError(key, v === undefined ? 'is required' : `must be an integer, got ${shown(v)}`, src);
  }
  if (v < lo || v > hi) throw new ConfigError(key, `must be in ${lo}..${hi}, got ${v}`, src);
  return v;
}

function canonicalJson(v: unknown): string {
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`)
    .join(',')}}`;
}

/** Validate a parsed configuration object and derive every constant. `source` names the file in errors. */
export function deriveParams(input: unknown, source?: string): VtaParams {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new ConfigError('(root)', 'must be a JSON object', source);
  }
  const json = input as Record<string, unknown>;
  for (const key of Object.keys(json)) {
    if (!KNOWN_KEYS.has(key)) throw new ConfigError(/^\w{1,60}$/.test(key) ? key : shown(key), 'is not a known configuration key', source);
  }
  const int = (k: string, lo: number, hi: number) => requireInt(json, k, lo, hi, source);

  // Element widths: the arithmetic of every target is int8 x int8 -> int32 (upstream fsim uses
  // fixed C types), so only those widths are accepted.
  const logInpWidth = int('LOG_INP_WIDTH', 3, 3);
  const logWgtWidth = int('LOG_WGT_WIDTH', 3, 3);
  const logAccWidth = int('LOG_ACC_WIDTH', 5, 5);
  const logBatch = int('LOG_BATCH', 0, 4);
  const logBlock = int('LOG_BLOCK', 0, 6);
  const logBlockIn = json.LOG_BLOCK_IN === undefined ? logBlock : int('LOG_BLOCK_IN', 0, 6);
  const logBlockOut = json.LOG_BLOCK_OUT === undefined ? logBlock : int('LOG_BLOCK_OUT', 0, 6);
  const logUopBuffSize = int('LOG_UOP_BUFF_SIZE', 2, 24);
  const logInpBuffSize = int('LOG_INP_BUFF_SIZE', 2, 26);
  const logWgtBuffSize = int('LOG_WGT_BUFF_SIZE', 2, 28);
  const logAccBuffSize = int('LOG_ACC_BUFF_SIZE', 2, 28);
  const target = json.TARGET === undefined ? 'sim' : String(json.TARGET);
  const hwVer = json.HW_VER === undefined ? '0.0.2' : String(json.HW_VER);

  const logOutWidth = logInpWidth;
  const inpWidth = 1 << logInpWidth;
  const wgtWidth = 1 << logWgtWidth;
  const accWidth = 1 << logAccWidth;
  const outWidth = 1 << logOutWidth;
  const batch = 1 << logBatch;
  const blockIn = 1 << logBlockIn;
  const blockOut = 1 << logBlockOut;

  const logUopDepth = logUopBuffSize - 5 + 3;
  const logInpDepth = logInpBuffSize - logBatch - logBlockIn - logInpWidth + 3;
  const logWgtDepth = logWgtBuffSize - logBlockOut - logBlockIn - logWgtWidth + 3;
  const logAccDepth = logAccBuffSize - logBatch - logBlockOut - logAccWidth + 3;
  const depthChecks: [string, number][] = [
    ['LOG_UOP_BUFF_SIZE', logUopDepth],
    ['LOG_INP_BUFF_SIZE', logInpDepth],
    ['LOG_WGT_BUFF_SIZE', logWgtDepth],
    ['LOG_ACC_BUFF_SIZE', logAccDepth],
  ];
  for (const [key, d] of depthChecks) {
    if (d < 0) throw new ConfigError(key, `buffer smaller than one element (log2 depth ${d})`, source);
    if (d > 16) throw new ConfigError(key, `buffer depth 2^${d} exceeds the 16-bit sram_base field`, source);
  }
  const logOutBuffSize = logAccBuffSize + logOutWidth - logAccWidth;

  const inpMatrixWidth = inpWidth * batch * blockIn;
  const wgtMatrixWidth = wgtWidth * blockOut * blockIn;
  const accMatrixWidth = accWidth * batch * blockOut;
  const outMatrixWidth = outWidth * batch * blockOut;
  const widthChecks: [string, number][] = [
    ['LOG_BLOCK_IN', inpMatrixWidth],
    ['LOG_BLOCK_OUT', outMatrixWidth],
  ];
  for (const [key, w] of widthChecks) {
    if (w % 8 !== 0) throw new ConfigError(key, `a buffer element of ${w} bits is not a whole number of bytes`, source);
  }

  const defaultBusBytes = target === 'ultra96' || target === 'zcu104' ? 16 : 8;
  const busBytes = json.BUS_WIDTH_BYTES === undefined ? defaultBusBytes : int('BUS_WIDTH_BYTES', 8, 64);
  if (![8, 16, 32, 64].includes(busBytes)) {
    throw new ConfigError('BUS_WIDTH_BYTES', `must be 8, 16, 32 or 64, got ${busBytes}`, source);
  }

  const aluRaw = json.ALU_OPCODES ?? 'upstream';
  if (aluRaw !== 'upstream' && aluRaw !== 'fork') {
    throw new ConfigError('ALU_OPCODES', `must be "upstream" or "fork", got ${shown(aluRaw)}`, source);
  }
  const padRaw = json.PAD_MIN_VALUE ?? false;
  if (typeof padRaw !== 'boolean') {
    throw new ConfigError('PAD_MIN_VALUE', `must be true or false, got ${shown(padRaw)}`, source);
  }
  const iterWidth = json.ITER_WIDTH === undefined ? 14 : int('ITER_WIDTH', 1, 31);
  const traceUnit = json.TRACE_UNIT ?? false;
  if (typeof traceUnit !== 'boolean') {
    throw new ConfigError('TRACE_UNIT', `must be true or false, got ${shown(traceUnit)}`, source);
  }

  const bsBlock = logBlockIn === logBlockOut ? `${blockIn}` : `${blockIn}x${blockOut}`;
  const bitstream =
    `${batch}x${bsBlock}_i${inpWidth}w${wgtWidth}a${accWidth}_` +
    `${logUopBuffSize}_${logInpBuffSize}_${logWgtBuffSize}_${logAccBuffSize}`;
  const hash = createHash('sha256').update(canonicalJson(json)).digest('hex').slice(0, 16);

  const params: VtaParams = Object.freeze({
    json: Object.freeze({ ...(json as unknown as VtaConfigJson) }),
    target,
    hwVer,
    logInpWidth,
    logWgtWidth,
    logAccWidth,
    logOutWidth,
    inpWidth,
    wgtWidth,
    accWidth,
    outWidth,
    logBatch,
    logBlockIn,
    logBlockOut,
    batch,
    blockIn,
    blockOut,
    logUopBuffSize,
    logInpBuffSize,
    logWgtBuffSize,
    logAccBuffSize,
    logOutBuffSize,
    logUopDepth,
    logInpDepth,
    logWgtDepth,
    logAccDepth,
    uopDepth: 1 << logUopDepth,
    inpDepth: 1 << logInpDepth,
    wgtDepth: 1 << logWgtDepth,
    accDepth: 1 << logAccDepth,
    outDepth: 1 << logAccDepth,
    inpMatrixWidth,
    wgtMatrixWidth,
    accMatrixWidth,
    outMatrixWidth,
    elemBytes: Object.freeze({
      insn: 16,
      uop: 4,
      inp: inpMatrixWidth / 8,
      wgt: wgtMatrixWidth / 8,
      acc: accMatrixWidth / 8,
      out: outMatrixWidth / 8,
    }),
    logBusWidth: Math.log2(busBytes * 8),
    busBytes,
    aluOpcodes: aluRaw,
    padMinValue: padRaw,
    iterWidth,
    traceUnit,
    bitstream,
    hash,
  });
  // Every instruction format and the micro-op must still fit: building the layout checks it.
  try {
    isaLayout(params);
  } catch (e) {
    if (e instanceof ConfigError) throw new ConfigError(e.key, e.constraint, source);
    throw e;
  }
  return params;
}

/**
 * Largest configuration file read (64 KiB): a real one is a few hundred bytes, and anything far
 * larger is a wrong path, not a configuration.
 */
export const MAX_CONFIG_FILE_BYTES = 64 * 1024;

/** Read and validate a configuration file (a regular file of at most MAX_CONFIG_FILE_BYTES). */
export function loadConfigFile(path: string): VtaParams {
  let text: string;
  try {
    text = readInputFile(path, MAX_CONFIG_FILE_BYTES).toString('utf8');
  } catch (e) {
    if (e instanceof InputFileProblem) throw new ConfigError('(file)', e.message, path);
    throw e;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new ConfigError('(file)', `not valid JSON: ${oneLine((e as Error).message)}`, path);
  }
  return deriveParams(parsed, path);
}

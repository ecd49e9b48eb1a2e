/**
 * One-line hints for a divergent row: where the actual value could have come from. Each hint is
 * a hypothesis that must explain every differing lane (or the whole row, for the row-level
 * ones); when none does, there is no hint — a guess that explains only part of a row sends the
 * designer the wrong way. The classes are tried from the most specific (the row is a known other
 * row) to the least (the lanes differ in one bit), and the first that explains the row is given.
 */
import { sameBytes } from '../../runtime/typed-arrays.js';

export type HintKind = 'read-address' | 'stale' | 'address' | 'lanes-rotated' | 'lanes-shifted' | 'lanes-permuted' | 'sign' | 'shift' | 'truncation' | 'offset' | 'bit';

export interface Hint {
  kind: HintKind;
  /** The hint as the report prints it. */
  text: string;
  /** The number the hint is about: address offset, lane shift, shift amount, truncation bits, constant, bit index. */
  amount?: number;
  /** For `stale` and `address`: the instruction that wrote the matching row in the expected run. */
  writtenBy?: number;
}

/** A row of the divergent stream in the expected run, at or before the divergent instruction. */
export interface RowWrite {
  pc: number;
  addr: number;
  data: Uint8Array;
}

export interface HintInput {
  pc: number;
  addr: number;
  /** Bits per lane, and whether lanes are signed (lanes.ts). */
  width: number;
  signed: boolean;
  expected: number[];
  actual: number[];
  differing: number[];
  /** Payloads of the differing event. */
  expectedData: Uint8Array;
  actualData: Uint8Array;
  /** The expected run's writes to the same stream in the window, in program order. */
  writes: RowWrite[];
  /** How an address of this stream is written (element index or byte address). */
  formatAddr?: (addr: number) => string;
}

export function hintFor(h: HintInput): Hint | null {
  if (!h.differing.length || h.expected.length !== h.actual.length) return null;
  // Unsigned lanes are packed fields (micro-ops, instructions): arithmetic on them means nothing.
  return rowHint(h) ?? (h.signed ? laneHint(h) : null);
}

/** Rows of the expected run as they stood after instruction `pc`: per address, its last write. */
function rowsAfter(writes: RowWrite[], pc: number): Map<number, RowWrite> {
  const last = new Map<number, RowWrite>();
  for (const w of writes) if (w.pc <= pc) last.set(w.addr, w);
  return last;
}

const uniform = (lanes: number[]) => lanes.every((v) => v === lanes[0]);

function rowHint(h: HintInput): Hint | null {
  const fmt = h.formatAddr ?? String;
  // The address's value before this instruction: its last write by an earlier one.
  const before = [...h.writes].reverse().find((w) => w.pc < h.pc && w.addr === h.addr);
  if (before && sameBytes(before.data, h.actualData)) {
    return {
      kind: 'stale',
      writtenBy: before.pc,
      text: `the actual row is this address's value before #${h.pc} (written by #${before.pc}): looks like a missing or stale write`,
    };
  }
  // A row of equal lanes (zeros, padding) matches too many others to say anything; a one-lane
  // row (a micro-op) is worth matching unless it is 0.
  if (h.actual.length > 1 ? uniform(h.actual) : h.actual[0] === 0) return null;
  // The expected row at another address: the nearest one (by address) that holds the actual row.
  let best: RowWrite | undefined;
  for (const w of rowsAfter(h.writes, h.pc).values()) {
    if (w.addr === h.addr || !sameBytes(w.data, h.actualData)) continue;
    if (!best || Math.abs(w.addr - h.addr) < Math.abs(best.addr - h.addr)) best = w;
  }
  if (!best) return null;
  const off = best.addr - h.addr;
  return {
    kind: 'address',
    amount: off,
    writtenBy: best.pc,
    text: `the actual row equals the expected row at address ${fmt(best.addr)} (offset ${signedText(off)}, written by #${best.pc}): looks like an address error`,
  };
}

const signedText = (n: number) => (n > 0 ? `+${n}` : String(n));

/** v wrapped to the lane width, signed or unsigned as the lanes are. */
function wrap(v: number, width: number, signed: boolean): number {
  const m = 2 ** width;
  const u = ((v % m) + m) % m;
  return signed && u >= m / 2 ? u - m : u;
}

/** Arithmetic (signed lanes) or logical right shift within the lane width. */
function shiftRight(v: number, k: number, width: number, signed: boolean): number {
  const u = wrap(v, width, false);
  const s = Math.floor(u / 2 ** k);
  return signed && v < 0 ? wrap(s - 2 ** (width - k), width, true) : s;
}

/** Left shift within the lane width (exact: the bits shifted out are dropped before multiplying). */
function shiftLeft(v: number, k: number, width: number, signed: boolean): number {
  return wrap(wrap(v, width - k, false) * 2 ** k, width, signed);
}

function laneHint(h: HintInput): Hint | null {
  const { expected: e, actual: a, differing: d, width, signed } = h;
  const n = e.length;
  const all = (f: (i: number) => boolean) => d.every(f);
  const several = d.length >= 2;

  // Lanes moved: every differing lane holds the expected value of the lane k below it (wrapping
  // around, or with zeros shifted in). Needs two lanes: one lane matching another is chance.
  if (several) {
    for (let k = 1; k < n; k++) {
      for (const s of [k, -k]) {
        if (all((i) => a[i] === e[(((i - s) % n) + n) % n])) {
          return { kind: 'lanes-rotated', amount: s, text: `lanes rotated by ${signedText(s)}: each differing lane i holds expected lane i${s > 0 ? '−' : '+'}${Math.abs(s)} (mod ${n})` };
        }
        if (all((i) => (i - s >= 0 && i - s < n ? a[i] === e[i - s] : a[i] === 0))) {
          return { kind: 'lanes-shifted', amount: s, text: `lanes shifted by ${signedText(s)}: each differing lane i holds expected lane i${s > 0 ? '−' : '+'}${Math.abs(s)}, zeros shifted in` };
        }
      }
    }
    const sorted = (xs: number[]) => [...xs].sort((x, y) => x - y).join(',');
    if (sorted(d.map((i) => a[i]!)) === sorted(d.map((i) => e[i]!))) {
      return { kind: 'lanes-permuted', text: `lanes permuted: the ${d.length} differing lanes hold the expected values in another order` };
    }
  }

  if (all((i) => a[i] === wrap(-e[i]!, width, signed))) {
    return { kind: 'sign', text: 'sign flipped: actual = −expected on every differing lane' };
  }

  // A shift by k applied, or missed. A lane whose shifted value is 0 or −1 says nothing (any
  // small value shifts to it), so one lane at least must shift to something else.
  if (several) {
    const informative = (vals: number[]) => vals.some((v) => v !== 0 && v !== -1);
    for (let k = 1; k < width; k++) {
      const eR = d.map((i) => shiftRight(e[i]!, k, width, signed));
      if (d.every((i, j) => a[i] === eR[j]) && informative(eR)) return shiftHint(k, `actual = expected >> ${k}`);
      if (all((i) => a[i] === shiftLeft(e[i]!, k, width, signed)) && informative(d.map((i) => a[i]!))) return shiftHint(k, `actual = expected << ${k}`);
      const aR = d.map((i) => shiftRight(a[i]!, k, width, signed));
      if (d.every((i, j) => e[i] === aR[j]) && informative(aR)) return shiftHint(k, `expected = actual >> ${k}`);
    }
  }

  // The low 16 or 8 bits agree (the widest that does is named): the upper bits were lost or never sign-extended.
  for (const bits of [16, 8]) {
    if (bits >= width) continue;
    if (!all((i) => wrap(a[i]!, bits, false) === wrap(e[i]!, bits, false))) continue;
    const how = all((i) => a[i] === wrap(e[i]!, bits, true))
      ? `actual = expected truncated to ${bits} bits, sign-extended`
      : all((i) => e[i] === wrap(a[i]!, bits, true))
        ? `expected = actual truncated to ${bits} bits: the actual value missed a truncation to ${bits} bits`
        : `actual and expected agree in the low ${bits} bits, the upper bits differ`;
    return { kind: 'truncation', amount: bits, text: `${how} on every differing lane: looks like a truncation or sign-extension error` };
  }

  if (several) {
    const c = wrap(a[d[0]!]! - e[d[0]!]!, width, true);
    if (all((i) => wrap(a[i]! - e[i]!, width, true) === c)) {
      return { kind: 'offset', amount: c, text: `off by a constant: actual = expected ${c > 0 ? '+' : '−'} ${Math.abs(c)} on every differing lane` };
    }
  }

  // One bit, the same in every differing lane.
  const x = wrap(a[d[0]!]!, width, false) ^ wrap(e[d[0]!]!, width, false);
  const bit = Math.log2(x >>> 0);
  if (width <= 32 && Number.isInteger(bit) && all((i) => ((wrap(a[i]!, width, false) ^ wrap(e[i]!, width, false)) >>> 0) === x >>> 0)) {
    return { kind: 'bit', amount: bit, text: `bit ${bit} flipped in ${d.length === 1 ? 'the differing lane' : 'every differing lane'}` };
  }
  return null;
}

function shiftHint(k: number, relation: string): Hint {
  return { kind: 'shift', amount: k, text: `${relation} on every differing lane: looks like a shift by ${k} too many or missing` };
}

/**
 * From what the LOAD read (read-diff.ts): when every extent the actual run read lies the same
 * number of bytes from the expected run's, the load computed its DRAM address wrong by that much
 * — said in rows of its pattern when the offset is a whole number of x_strides. `amount` is the
 * offset in bytes.
 */
export function readHint(expected: { addr: number; bytes: number }[], actual: { addr: number; bytes: number }[], rowStride: number): Hint | null {
  if (!expected.length || expected.length !== actual.length) return null;
  const by = actual[0]!.addr - expected[0]!.addr;
  if (by === 0 || !actual.every((a, k) => a.addr - expected[k]!.addr === by && a.bytes === expected[k]!.bytes)) return null;
  const rows = rowStride > 0 && by % rowStride === 0 ? by / rowStride : undefined;
  const sign = by > 0 ? '+' : '';
  const inRows = rows !== undefined ? `${sign}${rows} row${Math.abs(rows) === 1 ? '' : 's'} of ${rowStride} bytes (x_stride), ` : '';
  return {
    kind: 'read-address',
    text: `every DRAM extent the load read lies ${inRows}${sign}${by} bytes from the expected one: looks like an address error in the load's DRAM address`,
    amount: by,
  };
}

/**
 * LOAD and STORE, as upstream fsim executes them (vta-isa.md §5.2–5.3): 2-D strided DRAM rows,
 * padding written around them in SRAM, x_size = 0 a NOP (even with pads), STORE reading ACC and
 * keeping the low byte of each lane.
 *
 * Rows are moved whole when one DRAM buffer holds the row (the usual case); otherwise, and under
 * the pad-off-by-one fault, element by element, so a row running off a buffer still stops at the
 * exact element (with the same writes and events before it) as upstream's element loop.
 */
import { MEM_ID } from '../../runtime/isa/layout.js';
import { wantsReads, wantsWrites, writeRun } from '../../runtime/contract/events.js';
import type { ExecContext } from './exec-context.js';
import { FsimFault } from './fault-error.js';
import { reportRows } from './report-rows.js';
import { loadOffsetAt, loadRowShiftAt, rotateElements } from './row-faults.js';
import { F } from './slots.js';
import type { Scratchpads } from './sram.js';

type LoadBuffer = 'uop' | 'inp' | 'wgt' | 'acc';

/** One LOAD's fields and choices (one object per LOAD: loads move rows, so this is not hot). */
interface LoadOp {
  pc: number;
  cycle: number;
  buffer: LoadBuffer;
  /** Bytes of one source element in DRAM. */
  srcBytes: number;
  widen8: boolean;
  padMin: boolean;
  /** 1 under the seeded pad-off-by-one bug: padded columns shift one to the right. */
  shiftPad: number;
  /** WGT data element (counting from 0) whose lane 0 the seeded wgt-row bug inverts, or −1. */
  faultRow: number;
  /** Whether writes are reported as they happen (not under the load-offset bug, which reports after moving them). */
  emit: boolean;
  sramBase: number;
  dramBase: number;
  xSize: number;
  xStride: number;
  xPad0: number;
  yPad0: number;
  ySize: number;
  rowLen: number;
  /** Under the load-row fault: data row y reads DRAM row y + rowShift of the pattern. */
  rowShift: number;
}

export function executeLoad(c: ExecContext, pc: number, cycle: number): void {
  const f = c.insn;
  const xSize = f[F.x_size]!;
  if (xSize === 0) return;
  const { p, sram } = c;
  const type = f[F.memory_type]!;
  let buffer: LoadBuffer;
  let srcBytes: number;
  switch (type) {
    case MEM_ID.UOP:
      buffer = 'uop';
      srcBytes = 4;
      break;
    case MEM_ID.INP:
      buffer = 'inp';
      srcBytes = p.elemBytes.inp;
      break;
    case MEM_ID.WGT:
      buffer = 'wgt';
      srcBytes = p.elemBytes.wgt;
      break;
    case MEM_ID.ACC:
      buffer = 'acc';
      srcBytes = p.elemBytes.acc;
      break;
    case MEM_ID.ACC_8BIT:
      buffer = 'acc';
      srcBytes = p.elemBytes.acc / 4; // one signed byte per 32-bit lane
      break;
    default:
      throw new FsimFault(pc, `LOAD of memory type ${type} is not supported`);
  }
  const ySize = f[F.y_size]!;
  const op: LoadOp = {
    pc,
    cycle,
    buffer,
    srcBytes,
    widen8: type === MEM_ID.ACC_8BIT,
    padMin: p.padMinValue && f[F.is_pad_min_value] === 1,
    shiftPad: c.fault?.kind === 'pad-off-by-one' && c.fault.pc === pc ? 1 : 0,
    faultRow: buffer === 'wgt' && c.fault?.kind === 'wgt-row' && c.fault.pc === pc ? c.fault.row : -1,
    sramBase: f[F.sram_base]!,
    dramBase: f[F.dram_base]! >>> 0,
    xSize,
    xStride: f[F.x_stride]!,
    xPad0: f[F.x_pad_0]!,
    yPad0: f[F.y_pad_0]!,
    ySize,
    rowLen: f[F.x_pad_0]! + xSize + f[F.x_pad_1]!,
    emit: wantsWrites(c.sink, `sram.${buffer}`) && loadOffsetAt(c, pc) === 0,
    rowShift: loadRowShiftAt(c, pc),
  };
  if (wantsReads(c.sink)) reportReads(c, op);
  const rows = op.yPad0 + ySize + f[F.y_pad_1]!;
  sram.check(buffer, op.sramBase, rows * op.rowLen, pc);

  const lateBy = loadOffsetAt(c, pc);
  const emit = op.emit;
  // Rows written whole are reported together, as one run from `reported` up: before a row that
  // goes element by element (which reports as it goes, so a failing element leaves exactly the
  // events before it), and at the end.
  let reported = op.sramBase;
  let dataDone = 0;
  for (let r = 0; r < rows; r++) {
    const rowBase = op.sramBase + r * op.rowLen;
    const y = r - op.yPad0;
    if (y < 0 || y >= ySize) {
      writePad(sram, buffer, rowBase, op.rowLen, op.padMin);
    } else {
      const src = op.shiftPad ? undefined : c.dram.span((op.dramBase + (y + op.rowShift) * op.xStride) * srcBytes, xSize * srcBytes);
      if (!src) {
        if (emit) reportRows(c, buffer, pc, cycle, reported, rowBase - reported);
        dataDone = loadRowByElement(c, op, r, dataDone);
        reported = rowBase + op.rowLen;
        continue;
      }
      const first = rowBase + op.xPad0;
      writePad(sram, buffer, rowBase, op.xPad0, op.padMin);
      writeData(sram, buffer, first, xSize, src, op.widen8);
      writePad(sram, buffer, first + xSize, op.rowLen - op.xPad0 - xSize, op.padMin);
      if (op.faultRow >= dataDone && op.faultRow < dataDone + xSize) invertWgtLane0(sram, first + op.faultRow - dataDone);
      dataDone += xSize;
    }
  }
  if (emit) reportRows(c, buffer, pc, cycle, reported, op.sramBase + rows * op.rowLen - reported);
  if (lateBy) {
    rotateElements(sram, buffer, op.sramBase, rows * op.rowLen, lateBy);
    if (wantsWrites(c.sink, `sram.${buffer}`)) reportRows(c, buffer, pc, cycle, op.sramBase, rows * op.rowLen);
  }
  // Upstream's profiler counts x_size·y_size elements of the buffer's element size (an ACC_8BIT
  // load counts whole ACC elements although it reads a quarter of that).
  const counted = xSize * ySize;
  const bytes = c.counters.bytes;
  if (buffer === 'uop') bytes.uop += counted * 4;
  else if (buffer === 'inp') bytes.inp += counted * p.elemBytes.inp;
  else if (buffer === 'wgt') bytes.wgt += counted * p.elemBytes.wgt;
  else bytes.acc += counted * p.elemBytes.acc;
}

/**
 * What the LOAD reads, for the dram.load stream: each data row's bytes widened to whole beats of
 * the memory bus (BUS_WIDTH_BYTES), as a bus-based target reads them (docs/trace-schema.md §DRAM
 * reads). Reported before the rows move, so a row that runs off DRAM still shows what was asked for.
 */
function reportReads(c: ExecContext, op: LoadOp): void {
  const beat = c.p.busBytes;
  const sink = c.sink;
  for (let y = 0; y < op.ySize; y++) {
    const first = (op.dramBase + (y + op.rowShift) * op.xStride) * op.srcBytes;
    const start = Math.floor(first / beat) * beat;
    const end = Math.ceil((first + op.xSize * op.srcBytes) / beat) * beat;
    sink.read!(op.pc, op.cycle, start, end - start);
  }
}

/** Row r of a LOAD one element at a time, reporting each write as it happens; returns dataDone. */
function loadRowByElement(c: ExecContext, op: LoadOp, r: number, dataDone: number): number {
  const { sram } = c;
  const y = r - op.yPad0;
  for (let col = 0; col < op.rowLen; col++) {
    const e = op.sramBase + r * op.rowLen + col;
    const x = col - op.xPad0;
    if (x - op.shiftPad < 0 || x - op.shiftPad >= op.xSize) {
      writePad(sram, op.buffer, e, 1, op.padMin);
    } else {
      const src = c.dram.view((op.dramBase + (y + op.rowShift) * op.xStride + x) * op.srcBytes, op.srcBytes, op.pc);
      writeData(sram, op.buffer, e, 1, src, op.widen8);
      if (op.faultRow === dataDone) invertWgtLane0(sram, e);
      dataDone++;
    }
    if (op.emit) reportRows(c, op.buffer, op.pc, op.cycle, e, 1);
  }
  return dataDone;
}

function invertWgtLane0(s: Scratchpads, e: number): void {
  s.wgt[e * s.wgtLanes] = ~s.wgt[e * s.wgtLanes]!;
}

/** Elements [e, e+n) of a buffer become padding (0, or the most negative value with pad-min). */
function writePad(s: Scratchpads, buffer: LoadBuffer, e: number, n: number, padMin: boolean): void {
  if (n <= 0) return;
  switch (buffer) {
    case 'uop':
      s.uop.fill(0, e, e + n);
      break;
    case 'inp':
      s.inp.fill(padMin ? -128 : 0, e * s.inpLanes, (e + n) * s.inpLanes);
      break;
    case 'wgt':
      s.wgt.fill(padMin ? -128 : 0, e * s.wgtLanes, (e + n) * s.wgtLanes);
      break;
    case 'acc':
      s.acc.fill(padMin ? -0x80000000 : 0, e * s.accLanes, (e + n) * s.accLanes);
      break;
  }
}

/** Elements [e, e+n) of a buffer from the little-endian DRAM bytes `src`. */
function writeData(s: Scratchpads, buffer: LoadBuffer, e: number, n: number, src: Uint8Array, widen8: boolean): void {
  switch (buffer) {
    case 'uop':
      for (let k = 0; k < n; k++) {
        const o = k * 4;
        s.uop[e + k] = (src[o]! | (src[o + 1]! << 8) | (src[o + 2]! << 16) | (src[o + 3]! << 24)) >>> 0;
      }
      break;
    case 'inp':
      s.inp.set(new Int8Array(src.buffer, src.byteOffset, n * s.inpLanes), e * s.inpLanes);
      break;
    case 'wgt':
      s.wgt.set(new Int8Array(src.buffer, src.byteOffset, n * s.wgtLanes), e * s.wgtLanes);
      break;
    case 'acc': {
      const base = e * s.accLanes;
      const count = n * s.accLanes;
      if (widen8) {
        for (let k = 0; k < count; k++) s.acc[base + k] = (src[k]! << 24) >> 24;
      } else {
        for (let k = 0; k < count; k++) {
          const o = k * 4;
          s.acc[base + k] = src[o]! | (src[o + 1]! << 8) | (src[o + 2]! << 16) | (src[o + 3]! << 24);
        }
      }
      break;
    }
  }
}

export function executeStore(c: ExecContext, pc: number, cycle: number): void {
  const f = c.insn;
  const xSize = f[F.x_size]!;
  if (xSize === 0) return;
  const type = f[F.memory_type]!;
  if (type !== MEM_ID.OUT) throw new FsimFault(pc, `STORE of memory type ${type}: only OUT (4) can be stored`);
  if (f[F.y_pad_0] || f[F.y_pad_1] || f[F.x_pad_0] || f[F.x_pad_1]) throw new FsimFault(pc, 'STORE with padding is not supported');
  const { p, sram } = c;
  const lanes = sram.accLanes;
  const acc = sram.acc;
  const outBytes = p.elemBytes.out;
  // Lanes beyond an element's bytes are not written (as a write past a view's end is dropped).
  const written = Math.min(lanes, outBytes);
  const ySize = f[F.y_size]!;
  const sramBase = f[F.sram_base]!;
  const dramBase = f[F.dram_base]! >>> 0;
  const xStride = f[F.x_stride]!;
  const emit = wantsWrites(c.sink, 'dram.store');
  sram.check('acc', sramBase, ySize * xSize, pc);
  // Rows back to back (x_stride = x_size) inside one buffer: nothing can fail part way, so the
  // whole store is reported as one run once written (one call instead of one per row).
  const whole = xStride === xSize && ySize > 1 ? c.dram.span(dramBase * outBytes, ySize * xSize * outBytes, true) : undefined;
  for (let y = 0; y < ySize; y++) {
    const rowAddr = (dramBase + y * xStride) * outBytes;
    // Whole row in one buffer: no element can fail, so the row is written in one go.
    const row = whole ?? c.dram.span(rowAddr, xSize * outBytes, true);
    const rowOff = whole ? y * xSize * outBytes : 0;
    for (let x = 0; x < xSize; x++) {
      const e = sramBase + y * xSize + x;
      const addr = rowAddr + x * outBytes;
      const dst = row ?? c.dram.view(addr, outBytes, pc, true);
      const o = row ? rowOff + x * outBytes : 0;
      for (let k = 0; k < written; k++) dst[o + k] = acc[e * lanes + k]! & 0xff;
      if (emit && !row) c.sink.write('dram.store', pc, cycle, addr, dst);
    }
    // A whole row cannot fail part way, so its elements are reported together once written.
    if (emit && row && !whole) writeRun(c.sink, 'dram.store', pc, cycle, rowAddr, outBytes, xSize, outBytes, row);
  }
  if (emit && whole) writeRun(c.sink, 'dram.store', pc, cycle, dramBase * outBytes, outBytes, ySize * xSize, outBytes, whole);
  c.counters.bytes.out += xSize * ySize * outBytes;
}

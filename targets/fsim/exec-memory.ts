/**
 * LOAD and STORE, as upstream fsim executes them (vta-isa.md §5.2–5.3): 2-D strided DRAM rows,
 * padding written around them in SRAM, x_size = 0 a NOP (even with pads), STORE reading ACC and
 * keeping the low byte of each lane.
 */
import type { MemInsn } from '../../runtime/isa/insn.js';
import { MEM_ID } from '../../runtime/isa/layout.js';
import type { WriteStream } from '../../tracer/events.js';
import type { ExecContext } from './exec-context.js';
import { FsimFault } from './fault-error.js';

type LoadBuffer = 'uop' | 'inp' | 'wgt' | 'acc';

export function executeLoad(c: ExecContext, insn: MemInsn, pc: number, cycle: number): void {
  if (insn.x_size === 0) return;
  const { p, sram } = c;
  const type = insn.memory_type;
  let buffer: LoadBuffer;
  /** Bytes of one source element in DRAM. */
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
  const rowLen = insn.x_pad_0 + insn.x_size + insn.x_pad_1;
  const rows = insn.y_pad_0 + insn.y_size + insn.y_pad_1;
  sram.check(buffer, insn.sram_base, rows * rowLen, pc);

  const padMin = p.padMinValue && insn.is_pad_min_value === 1;
  const shiftPad = c.fault?.kind === 'pad-off-by-one' && c.fault.pc === pc ? 1 : 0;
  const stream: WriteStream = `sram.${buffer}`;
  const emit = c.sink.wantsEvents;
  let wgtRowsWritten = 0;

  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < rowLen; col++) {
      const e = insn.sram_base + r * rowLen + col;
      const y = r - insn.y_pad_0;
      const x = col - insn.x_pad_0;
      // The seeded "pad off by one" bug shifts the padded columns one to the right.
      const padX = x - shiftPad < 0 || x - shiftPad >= insn.x_size;
      const isPad = y < 0 || y >= insn.y_size || (shiftPad ? padX : x < 0 || x >= insn.x_size);
      if (isPad) {
        writePad(c, buffer, e, padMin);
      } else {
        const src = c.dram.view((insn.dram_base + y * insn.x_stride + x) * srcBytes, srcBytes, pc);
        writeData(c, buffer, e, src, type === MEM_ID.ACC_8BIT);
        if (buffer === 'wgt' && c.fault?.kind === 'wgt-row' && c.fault.pc === pc && c.fault.row === wgtRowsWritten) {
          sram.wgt[e * sram.wgtLanes] = ~sram.wgt[e * sram.wgtLanes]!;
        }
        if (buffer === 'wgt') wgtRowsWritten++;
      }
      if (emit) c.sink.write(stream, pc, cycle, e, sram.rowBytes(buffer, e));
    }
  }
  // Upstream's profiler counts x_size·y_size elements of the buffer's element size (an ACC_8BIT
  // load counts whole ACC elements although it reads a quarter of that).
  const counted = insn.x_size * insn.y_size;
  const bytes = c.counters.bytes;
  if (buffer === 'uop') bytes.uop += counted * 4;
  else if (buffer === 'inp') bytes.inp += counted * p.elemBytes.inp;
  else if (buffer === 'wgt') bytes.wgt += counted * p.elemBytes.wgt;
  else bytes.acc += counted * p.elemBytes.acc;
}

function writePad(c: ExecContext, buffer: LoadBuffer, e: number, padMin: boolean): void {
  const s = c.sram;
  switch (buffer) {
    case 'uop':
      s.uop[e] = 0;
      break;
    case 'inp':
      s.inp.fill(padMin ? -128 : 0, e * s.inpLanes, (e + 1) * s.inpLanes);
      break;
    case 'wgt':
      s.wgt.fill(padMin ? -128 : 0, e * s.wgtLanes, (e + 1) * s.wgtLanes);
      break;
    case 'acc':
      s.acc.fill(padMin ? -0x80000000 : 0, e * s.accLanes, (e + 1) * s.accLanes);
      break;
  }
}

function writeData(c: ExecContext, buffer: LoadBuffer, e: number, src: Uint8Array, widen8: boolean): void {
  const s = c.sram;
  switch (buffer) {
    case 'uop':
      s.uop[e] = (src[0]! | (src[1]! << 8) | (src[2]! << 16) | (src[3]! << 24)) >>> 0;
      break;
    case 'inp':
      s.inp.set(new Int8Array(src.buffer, src.byteOffset, s.inpLanes), e * s.inpLanes);
      break;
    case 'wgt':
      s.wgt.set(new Int8Array(src.buffer, src.byteOffset, s.wgtLanes), e * s.wgtLanes);
      break;
    case 'acc': {
      const base = e * s.accLanes;
      if (widen8) {
        for (let k = 0; k < s.accLanes; k++) s.acc[base + k] = (src[k]! << 24) >> 24;
      } else {
        for (let k = 0; k < s.accLanes; k++) {
          const o = k * 4;
          s.acc[base + k] = src[o]! | (src[o + 1]! << 8) | (src[o + 2]! << 16) | (src[o + 3]! << 24);
        }
      }
      break;
    }
  }
}

export function executeStore(c: ExecContext, insn: MemInsn, pc: number, cycle: number): void {
  if (insn.x_size === 0) return;
  if (insn.memory_type !== MEM_ID.OUT) throw new FsimFault(pc, `STORE of memory type ${insn.memory_type}: only OUT (4) can be stored`);
  if (insn.y_pad_0 || insn.y_pad_1 || insn.x_pad_0 || insn.x_pad_1) throw new FsimFault(pc, 'STORE with padding is not supported');
  const { p, sram } = c;
  const lanes = sram.accLanes;
  const outBytes = p.elemBytes.out;
  sram.check('acc', insn.sram_base, insn.y_size * insn.x_size, pc);
  for (let y = 0; y < insn.y_size; y++) {
    for (let x = 0; x < insn.x_size; x++) {
      const e = insn.sram_base + y * insn.x_size + x;
      const addr = (insn.dram_base + y * insn.x_stride + x) * outBytes;
      const dst = c.dram.view(addr, outBytes, pc);
      for (let k = 0; k < lanes; k++) dst[k] = sram.acc[e * lanes + k]! & 0xff;
      if (c.sink.wantsEvents) c.sink.write('dram.store', pc, cycle, addr, Uint8Array.from(dst));
    }
  }
  c.counters.bytes.out += insn.x_size * insn.y_size * outBytes;
}

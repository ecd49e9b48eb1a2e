/**
 * The uop buffer as an instruction finds it, worked out from the bundle alone: every LOAD UOP
 * before it copies micro-op words from the DRAM image (padding writes zero micro-ops). Enough for
 * the named conditions of known differences, which need the rows an ALU instruction touches.
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { insnBytes } from '../../runtime/bundle/bundle.js';
import { decodeProgram, decodeUop } from '../../runtime/isa/codec.js';
import type { Uop } from '../../runtime/isa/insn.js';
import { MEM_ID } from '../../runtime/isa/layout.js';

function dramWord(bundle: ProgramBundle, addr: number): number {
  for (const b of bundle.buffers) {
    if (addr >= b.addr && addr + 4 <= b.addr + b.bytes.length) return new DataView(b.bytes.buffer, b.bytes.byteOffset + addr - b.addr, 4).getUint32(0, true);
  }
  return 0; // memory the bundle did not initialise reads as 0 on every target
}

export function uopBufferAt(bundle: ProgramBundle, pc: number): (Uop | undefined)[] {
  const p = bundle.params;
  const insns = decodeProgram(p, insnBytes(bundle));
  const buf: (Uop | undefined)[] = [];
  const zero: Uop = { dst_idx: 0, src_idx: 0, wgt_idx: 0 };
  for (let k = 0; k < pc && k < insns.length; k++) {
    const i = insns[k]!;
    if (i.opcode !== 0 || i.memory_type !== MEM_ID.UOP) continue;
    const width = i.x_pad_0 + i.x_size + i.x_pad_1;
    let idx = i.sram_base;
    for (let y = 0; y < i.y_pad_0 + i.y_size + i.y_pad_1; y++) {
      for (let x = 0; x < width; x++, idx++) {
        const inside = y >= i.y_pad_0 && y < i.y_pad_0 + i.y_size && x >= i.x_pad_0 && x < i.x_pad_0 + i.x_size;
        const elem = i.dram_base + (y - i.y_pad_0) * i.x_stride + (x - i.x_pad_0);
        buf[idx % p.uopDepth] = inside ? decodeUop(p, dramWord(bundle, elem * 4)) : zero;
      }
    }
  }
  return buf;
}

/**
 * Per-board facts the shared launch sequence needs (vta-isa.md §6.2–6.4): which register shell
 * the bitstream has, where its register window sits in the CPU's physical address space, and
 * how a CPU physical address of DMA memory translates into the address the accelerator uses.
 */
import { VtaUserError } from '../../runtime/errors.js';

/** A VCR user counter read after completion. */
export interface NamedCounter {
  name: string;
  offset: number;
}

/**
 * The Chisel VCR (one 32-bit register block: CTRL 0x00, cycles 0x04, count 0x08, instruction
 * address 0x0C, five base pointers 0x10–0x20 OR-ed into data addresses, counters from 0x24).
 */
export interface VcrShell {
  kind: 'vcr';
  /** Counters read after completion besides cycles (0x04); the first is upstream's 0x24. */
  counters: NamedCounter[];
}

/** The HLS design's four IP blocks (fetch, load, compute, store), each a 0x1000 window. */
export interface HlsShell {
  kind: 'hls';
}

export type BoardName = 'emu' | 'de10nano' | 'pynq';
export const BOARD_NAMES: readonly BoardName[] = ['emu', 'de10nano', 'pynq'];

export interface BoardProfile {
  name: BoardName;
  shell: VcrShell | HlsShell;
  /** CPU physical base and length of the register window (unused by the emulated board). */
  registers: { base: number; span: number };
  /** accelerator address = CPU physical address + this (de10nano's FPGA-to-SDRAM view). */
  deviceAddressOffset: number;
}

/** Upstream Chisel's single user counter (vta-isa.md §6.3). */
const UPSTREAM_VCR_COUNTERS: NamedCounter[] = [{ name: 'acc_writes', offset: 0x24 }];

export const HLS_BLOCK = { fetch: 0x0000, load: 0x1000, compute: 0x2000, store: 0x3000 } as const;

export function boardProfile(name: string, vcrCounters: NamedCounter[] = UPSTREAM_VCR_COUNTERS): BoardProfile {
  switch (name) {
    case 'emu':
      // Our RTL behind the emulated-board memory: a Chisel-style VCR placed like de10nano's.
      return { name, shell: { kind: 'vcr', counters: vcrCounters }, registers: { base: 0, span: 0x100 }, deviceAddressOffset: 0x80000000 };
    case 'de10nano':
      return { name, shell: { kind: 'vcr', counters: vcrCounters }, registers: { base: 0xff220000, span: 0x100 }, deviceAddressOffset: 0x80000000 };
    case 'pynq':
      return { name, shell: { kind: 'hls' }, registers: { base: 0x43c00000, span: 0x4000 }, deviceAddressOffset: 0 };
    default:
      throw new VtaUserError(`unknown board backend "${name}"; known: ${BOARD_NAMES.join(', ')}`);
  }
}

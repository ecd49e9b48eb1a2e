/**
 * A simulated board for testing the shared launch sequence without hardware: a register file
 * that behaves like the Chisel VCR or the HLS design's four blocks (vta-isa.md §6.3–6.4), a
 * sparse device memory, and a log of every access in order, so a test can compare the sequence
 * with the one the upstream drivers use. The design "finishes" after a set number of waited
 * cycles, and only if it was launched with a count and an instruction address.
 */
import type { Backend, DeviceRegion, EndReport, RunCapture, WaitReport } from '../backend.js';
import { HLS_BLOCK, type BoardProfile } from '../board-profiles.js';

export type Access =
  | { op: 'write'; offset: number; value: number }
  | { op: 'read'; offset: number; value: number }
  | { op: 'wait'; cycles: number }
  | { op: 'mem-write'; addr: number; size: number }
  | { op: 'mem-read'; addr: number; size: number };

export interface FakeBoardOptions {
  /** Waited cycles from launch to done; Infinity: never done. */
  finishAfter: number;
  /** Value of every VCR user counter after completion, by offset. */
  counterValues?: Record<number, number>;
  /** Where begin() places regions (device address). */
  regionBase?: number;
  /** Wall-clock milliseconds each wait takes (a run that is in flight long enough to interrupt). */
  msPerWait?: number;
}

export class FakeBoard implements Backend {
  readonly log: Access[] = [];
  readonly memory = new Map<number, number>();
  private readonly regs = new Map<number, number>();
  private launchedAt: number | undefined;
  private waited = 0;

  constructor(
    readonly profile: BoardProfile,
    private readonly opts: FakeBoardOptions,
  ) {}

  async prepare(): Promise<void> {}

  async abandon(): Promise<void> {}

  async begin(bytes: number, align: number, _capture: RunCapture): Promise<DeviceRegion> {
    const base = this.opts.regionBase ?? 0x90000000;
    if (base % align !== 0) throw new Error(`fake board: region base ${base} not aligned to ${align}`);
    return { deviceAddr: base, size: bytes };
  }

  async writeMem(addr: number, bytes: Uint8Array): Promise<void> {
    this.log.push({ op: 'mem-write', addr, size: bytes.length });
    bytes.forEach((v, i) => this.memory.set(addr + i, v));
  }

  async readMem(addr: number, size: number): Promise<Uint8Array> {
    this.log.push({ op: 'mem-read', addr, size });
    return Uint8Array.from({ length: size }, (_, i) => this.memory.get(addr + i) ?? 0);
  }

  private get finished(): boolean {
    return this.launchedAt !== undefined && this.waited - this.launchedAt >= this.opts.finishAfter;
  }

  async writeReg(offset: number, value: number): Promise<void> {
    this.log.push({ op: 'write', offset, value });
    this.regs.set(offset, value);
    const launch = this.profile.shell.kind === 'vcr' ? offset === 0x00 && (value & 1) === 1 : offset === HLS_BLOCK.fetch && value === 1;
    const count = this.profile.shell.kind === 'vcr' ? 0x08 : HLS_BLOCK.fetch + 0x10;
    if (launch && this.regs.get(count) !== undefined) this.launchedAt = this.waited;
  }

  async readReg(offset: number): Promise<number> {
    let value: number;
    if (this.profile.shell.kind === 'vcr') {
      if (offset === 0x00) value = this.finished ? 0b10 : (this.regs.get(0) ?? 0);
      else if (offset >= 0x04 && this.finished && this.opts.counterValues?.[offset] !== undefined) value = this.opts.counterValues[offset]!;
      else if (offset === 0x04 && this.finished) value = this.opts.finishAfter;
      else value = this.regs.get(offset) ?? 0;
    } else {
      const autorestarted = [HLS_BLOCK.load, HLS_BLOCK.compute, HLS_BLOCK.store].every((b) => this.regs.get(b) === 0x81);
      value = offset === HLS_BLOCK.compute + 0x18 ? (this.finished && autorestarted ? 1 : 0) : (this.regs.get(offset) ?? 0);
    }
    this.log.push({ op: 'read', offset, value });
    return value;
  }

  async wait(cycles: number): Promise<WaitReport> {
    this.log.push({ op: 'wait', cycles });
    if (this.opts.msPerWait) await new Promise((r) => setTimeout(r, this.opts.msPerWait));
    this.waited += cycles;
    const sinceLaunch = this.launchedAt === undefined ? this.waited : this.waited - this.launchedAt;
    // A design that never finishes does nothing observable: its idle time is all of it.
    return { cycle: sinceLaunch, idleCycles: this.opts.finishAfter === Infinity ? sinceLaunch : 0 };
  }

  async end(): Promise<EndReport> {
    return {};
  }

  async close(): Promise<void> {}

  /** The register accesses only (no waits or memory), as [op, offset, value] triples. */
  registerLog(): [string, number, number][] {
    return this.log.flatMap((a) => (a.op === 'write' || a.op === 'read' ? [[a.op, a.offset, a.value] as [string, number, number]] : []));
  }
}

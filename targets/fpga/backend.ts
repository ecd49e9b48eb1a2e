/**
 * What a board offers the agent: registers, device-visible memory and a way to let time pass.
 * Every backend (the emulated board, Pynq, DE10-Nano) implements this and nothing more; the
 * register sequence that launches a program and waits for it is one piece of code for all of
 * them (launch-sequence.ts), so what CI exercises on the emulated board is what a board runs.
 */
import type { VtaParams } from '../../runtime/config/config.js';
import type { BoardProfile } from './board-profiles.js';

/** A contiguous block of device memory, as the accelerator addresses it. */
export interface DeviceRegion {
  deviceAddr: number;
  size: number;
}

/** What the run wants from the board besides outputs. */
export interface RunCapture {
  /** Send per-instruction events (only a backend that can observe the design does). */
  events: boolean;
  iters: boolean;
  /** With events: the LOADs' read bursts too (the dram.load stream); only a backend that sees the memory traffic sends them. */
  reads?: boolean;
  /** Bytes per dram.store event (the OUT element size). */
  dramGranule: number;
  /** Receives event batches (targets/tsim/README.md record format) as the design produces them. */
  onEvents?: (batch: Buffer) => void;
}

export interface WaitReport {
  /** Device cycles since the run began, when the backend can count them. */
  cycle?: number;
  /** Consecutive cycles in which the design did nothing observable, when the backend can tell. */
  idleCycles?: number;
}

export interface EndReport {
  /** Instructions retired per module (load, compute, store), when the backend can tell. */
  retired?: [number, number, number];
}

export interface Backend {
  readonly profile: BoardProfile;
  /** Make the board ready for this configuration (emulated: build the RTL; board: check its bitstream's). */
  prepare(params: VtaParams): Promise<void>;
  /** Prepare for a run needing `bytes` of memory aligned to `align` (a power of two): where it lives. */
  begin(bytes: number, align: number, capture: RunCapture): Promise<DeviceRegion>;
  writeMem(deviceAddr: number, bytes: Uint8Array): Promise<void>;
  readMem(deviceAddr: number, size: number): Promise<Uint8Array>;
  /** Register offsets are relative to the board's register window (BoardProfile.registers). */
  writeReg(offset: number, value: number): Promise<void>;
  readReg(offset: number): Promise<number>;
  /** Let the device run about `cycles` cycles before the next poll. */
  wait(cycles: number): Promise<WaitReport>;
  /** The run is over (`finished`: the device reported done). */
  end(finished: boolean): Promise<EndReport>;
  /** The run broke off (the design stopped, the device stopped answering): drop any state. */
  abandon(): Promise<void>;
  close(): Promise<void>;
}

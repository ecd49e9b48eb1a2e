/**
 * The framed binary protocol between the tsim target and its simulator process (described in
 * targets/tsim/README.md and implemented on the other side by harness/frame_io.* and main.cc).
 * Pure encoding and decoding; no process handling here.
 */
export const CMD = { memClear: 1, memWrite: 2, run: 3, memRead: 4, exit: 5, hostOpen: 6, regWrite: 7, regRead: 8, clock: 9, hostClose: 10 } as const;
export const REPLY = { hello: 128, events: 129, done: 130, memData: 131, fatal: 132, hostState: 133 } as const;

export interface Frame {
  type: number;
  body: Buffer;
}

function frame(type: number, body: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32LE(body.length + 1, 0);
  head.writeUInt8(type, 4);
  return Buffer.concat([head, body]);
}

export function memClearCmd(): Buffer {
  return frame(CMD.memClear);
}

export function memWriteCmd(addr: number, bytes: Uint8Array): Buffer {
  const b = Buffer.alloc(8 + bytes.length);
  b.writeBigUInt64LE(BigInt(addr), 0);
  b.set(bytes, 8);
  return frame(CMD.memWrite, b);
}

export function memReadCmd(addr: number, size: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeBigUInt64LE(BigInt(addr), 0);
  b.writeUInt32LE(size, 8);
  return frame(CMD.memRead, b);
}

export function exitCmd(): Buffer {
  return frame(CMD.exit);
}

/*
 * Host-port commands (harness/host_session.*): the VCR register port and the clock driven from
 * outside, one access at a time, as a board's driver does. Each is answered by one HOST_STATE
 * frame, or by DONE (crash) if the design stopped while the command waited.
 */

/** HOST_OPEN: start a run without programming anything; events / iterations as in RUN. */
export function hostOpenCmd(o: { events: boolean; iters: boolean; reads?: boolean; dramGranule: number }): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt32LE((o.events ? 1 : 0) | (o.iters ? 2 : 0) | (o.reads ? 4 : 0), 0);
  b.writeUInt32LE(o.dramGranule, 4);
  return frame(CMD.hostOpen, b);
}

/** The VCR port has an 8-bit byte address and 32-bit data (vta-isa.md §7.3). */
function checkRegister(offset: number, value = 0): void {
  if (!Number.isInteger(offset) || offset < 0 || offset > 0xff || offset % 4 !== 0) throw new RangeError(`VCR offset ${offset} is not a word offset in 0x00..0xFC`);
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError(`VCR value ${value} does not fit in 32 bits`);
}

export function regWriteCmd(offset: number, value: number): Buffer {
  checkRegister(offset, value);
  const b = Buffer.alloc(8);
  b.writeUInt32LE(offset, 0);
  b.writeUInt32LE(value, 4);
  return frame(CMD.regWrite, b);
}

export function regReadCmd(offset: number): Buffer {
  checkRegister(offset);
  const b = Buffer.alloc(4);
  b.writeUInt32LE(offset, 0);
  return frame(CMD.regRead, b);
}

/** CLOCK: advance the design `cycles` cycles (a driver's wait between polls). */
export function clockCmd(cycles: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(cycles, 0);
  return frame(CMD.clock, b);
}

/** HOST_CLOSE: end the run; `unfinished` sends the writes of instructions that never retired. */
export function hostCloseCmd(unfinished: boolean): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(unfinished ? 1 : 0, 0);
  return frame(CMD.hostClose, b);
}

export interface HostState {
  /** The register value (REG_READ), else 0. */
  value: number;
  /** Cycles since HOST_OPEN. */
  cycle: number;
  /** Consecutive cycles without a retire, buffer write or memory traffic. */
  idle: number;
  retired: [number, number, number];
}

export function parseHostState(b: Buffer): HostState {
  return {
    value: b.readUInt32LE(0),
    cycle: Number(b.readBigUInt64LE(4)),
    idle: Number(b.readBigUInt64LE(12)),
    retired: [b.readUInt32LE(20), b.readUInt32LE(24), b.readUInt32LE(28)],
  };
}

export interface RunCommand {
  count: number;
  insnAddr: number;
  events: boolean;
  iters: boolean;
  /** Read-burst records (kind 4) of the modules the probe map's `reads` names: the dram.load stream. */
  reads?: boolean;
  /** Bytes per dram.store event (the OUT element size). */
  dramGranule: number;
  maxCycles: number;
  idleCycles: number;
  /** FST window [from, to) in run cycles, and the file; empty path = no waveform. */
  waveFrom: number;
  waveTo: number;
  wavePath: string;
  /**
   * End the run as a hang naming the module when it has instructions left, sits in its idle
   * state (`idleState`, from the probe map; NO_STATE = none) and nothing has moved for this
   * many cycles (0 = off): its next instruction was never accepted.
   */
  acceptCycles?: number;
  /** Instructions per module (load, compute, store). */
  moduleCount?: [number, number, number];
  idleState?: [number, number, number];
}

/** idleState of a module whose probe map names no IDLE state. */
export const NO_STATE = 0xffffffff;

export function runCmd(r: RunCommand): Buffer {
  const path = Buffer.from(r.wavePath, 'utf8');
  const b = Buffer.alloc(80 + path.length);
  b.writeUInt32LE(r.count, 0);
  b.writeUInt32LE(r.insnAddr >>> 0, 4);
  b.writeUInt32LE((r.events ? 1 : 0) | (r.iters ? 2 : 0) | (r.reads ? 4 : 0), 8);
  b.writeUInt32LE(r.dramGranule, 12);
  b.writeBigUInt64LE(BigInt(Math.min(r.maxCycles, Number.MAX_SAFE_INTEGER)), 16);
  b.writeBigUInt64LE(BigInt(r.idleCycles), 24);
  b.writeBigUInt64LE(BigInt(r.waveFrom), 32);
  b.writeBigUInt64LE(BigInt(r.waveTo), 40);
  b.writeBigUInt64LE(BigInt(r.acceptCycles ?? 0), 48);
  (r.moduleCount ?? [0, 0, 0]).forEach((n, i) => b.writeUInt32LE(n, 56 + 4 * i));
  (r.idleState ?? [NO_STATE, NO_STATE, NO_STATE]).forEach((v, i) => b.writeUInt32LE(v >>> 0, 68 + 4 * i));
  path.copy(b, 80);
  return frame(CMD.run, b);
}

/**
 * Reassembles frames from the byte stream of the reply pipe. Chunks are only joined once they
 * hold the frame in progress: joining on every chunk copied a large event batch once per 64 KiB
 * pipe read (about 9 ms of a 55 ms tsim run of a ResNet layer in digest mode).
 */
export class FrameDecoder {
  private pending: Buffer[] = [];
  private size = 0;
  /** Bytes the frame in progress needs in all (its length prefix included), or 4 while that prefix is incomplete. */
  private need = 4;

  push(chunk: Buffer): Frame[] {
    this.pending.push(chunk);
    this.size += chunk.length;
    if (this.size < this.need) return [];
    const out: Frame[] = [];
    let buf = this.pending.length === 1 ? this.pending[0]! : Buffer.concat(this.pending, this.size);
    let pos = 0;
    this.need = 4;
    while (buf.length - pos >= 4) {
      const len = buf.readUInt32LE(pos);
      if (buf.length - pos - 4 < len) {
        this.need = 4 + len;
        break;
      }
      out.push({ type: buf[pos + 4]!, body: buf.subarray(pos + 5, pos + 4 + len) });
      pos += 4 + len;
    }
    buf = buf.subarray(pos);
    this.pending = buf.length ? [buf] : [];
    this.size = buf.length;
    return out;
  }
}

export interface Hello {
  version: number;
  dataBits: number;
  hasWave: boolean;
  description: string;
}

export function parseHello(b: Buffer): Hello {
  return { version: b.readUInt32LE(0), dataBits: b.readUInt32LE(4), hasWave: (b.readUInt32LE(8) & 1) !== 0, description: b.subarray(12).toString('utf8') };
}

export type DoneStatus = 'ok' | 'hang' | 'crash' | 'cycle-limit';
const DONE_STATUS: readonly DoneStatus[] = ['ok', 'hang', 'crash', 'cycle-limit'];

export interface Done {
  status: DoneStatus;
  /** Simulated cycles of the run (harness count). */
  cycles: number;
  /** VCR 0x04 and 0x24 (0 unless ok). */
  vcrCycles: number;
  accWrites: number;
  extra: number[];
  retired: [number, number, number];
  message: string;
}

export function parseDone(b: Buffer): Done {
  const status = DONE_STATUS[b.readUInt8(0)] ?? 'crash';
  const cycles = Number(b.readBigUInt64LE(1));
  const vcrCycles = b.readUInt32LE(9);
  const accWrites = b.readUInt32LE(13);
  const n = b.readUInt32LE(17);
  let pos = 21;
  const extra: number[] = [];
  for (let i = 0; i < n; i++, pos += 4) extra.push(b.readUInt32LE(pos));
  const retired: [number, number, number] = [b.readUInt32LE(pos), b.readUInt32LE(pos + 4), b.readUInt32LE(pos + 8)];
  return { status, cycles, vcrCycles, accWrites, extra, retired, message: b.subarray(pos + 12).toString('utf8') };
}

/**
 * What scanEvents calls per record of an EVENTS batch: numbers and byte offsets into the batch,
 * no object per record (a ResNet layer's run sends tens of thousands of records).
 */
export interface EventScanner {
  retire(module: number, cycle: number, insnAt: number): void;
  write(stream: number, cycle: number, addr: number, dataAt: number, len: number): void;
  iter(stream: number, cycle: number, ordinal: number, dataAt: number, len: number): void;
  /** A read burst a module requested (record kind 4, sent only when the RUN flags ask for reads). */
  read?(module: number, cycle: number, addr: number, bytes: number): void;
}

/** Cycles are u64 on the wire; runs stay far below 2^53. */
const u64 = (b: Buffer, at: number) => b.readUInt32LE(at) + b.readUInt32LE(at + 4) * 2 ** 32;

/** Calls `on` for each record of an EVENTS batch, in order. */
export function scanEvents(b: Buffer, on: EventScanner): void {
  let pos = 0;
  while (pos < b.length) {
    const kind = b[pos]!;
    if (kind === 3) {
      on.retire(b[pos + 1]!, u64(b, pos + 2), pos + 10);
      pos += 26;
    } else if (kind === 1 || kind === 2) {
      const len = b.readUInt32LE(pos + 14);
      if (kind === 1) on.write(b[pos + 1]!, u64(b, pos + 2), b.readUInt32LE(pos + 10), pos + 18, len);
      else on.iter(b[pos + 1]!, u64(b, pos + 2), b.readUInt32LE(pos + 10), pos + 18, len);
      pos += 18 + len;
    } else if (kind === 4) {
      on.read?.(b[pos + 1]!, u64(b, pos + 2), u64(b, pos + 10), b.readUInt32LE(pos + 18));
      pos += 22;
    } else {
      throw new Error(`tsim protocol: unknown event record kind ${kind} at byte ${pos}`);
    }
  }
}

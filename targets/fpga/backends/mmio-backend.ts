/**
 * Pynq and DE10-Nano: registers and DMA memory as the upstream drivers reach them, but through
 * files, since Node has no mmap: the register window by pread/pwrite on /dev/mem at its
 * physical address, and one physically contiguous buffer from the u-dma-buf driver (its device
 * file for the bytes, sysfs for its physical address and size). Kept thin on purpose: the
 * register sequence is the shared one (../launch-sequence.ts).
 *
 * NEVER RUN ON A BOARD (see docs/fpga-protocol.md, "What was never run"). In particular
 * /dev/mem reads and writes are not guaranteed to be single 32-bit bus accesses the way the
 * drivers' mmap-ed pointer accesses are.
 */
import { closeSync, constants, openSync, readFileSync, readSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { VtaParams } from '../../../runtime/config/config.js';
import { VtaUserError } from '../../../runtime/errors.js';
import type { Backend, DeviceRegion, EndReport, WaitReport } from '../backend.js';
import type { BoardProfile } from '../board-profiles.js';
import { AgentConfigError, BoardMemoryError } from '../errors.js';

export interface MmioOptions {
  /** The physical-memory device the register window is read through. */
  memDevice?: string;
  /** u-dma-buf buffer name: data through /dev/<name>, address and size from <sysfsRoot>/<name>/. */
  udmabuf?: string;
  devRoot?: string;
  sysfsRoot?: string;
  /** Fabric clock in MHz: turns poll waits (cycles) into sleeps. */
  clockMHz?: number;
  /** The configuration the loaded bitstream was built for; bundles for others are refused. */
  config?: VtaParams;
}

function openFile(path: string, what: string): number {
  try {
    // O_SYNC: uncached access, so the device sees writes in order and we see its writes.
    return openSync(path, constants.O_RDWR | constants.O_SYNC);
  } catch (e) {
    throw new AgentConfigError(`cannot open ${what} ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

function readNumber(path: string): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (e) {
    throw new AgentConfigError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message} (is the u-dma-buf module loaded?)`);
  }
  const n = Number(text);
  if (!Number.isSafeInteger(n)) throw new AgentConfigError(`${path}: expected a number, got "${text}"`);
  return n;
}

export class MmioBackend implements Backend {
  private readonly regFd: number;
  private readonly dmaFd: number;
  /** The DMA buffer as the accelerator addresses it. */
  private readonly dmaDevice: number;
  private readonly dmaSize: number;
  private readonly word = Buffer.alloc(4);

  constructor(
    readonly profile: BoardProfile,
    private readonly opts: MmioOptions = {},
  ) {
    const name = opts.udmabuf ?? 'udmabuf0';
    const sys = join(opts.sysfsRoot ?? '/sys/class/u-dma-buf', name);
    this.dmaDevice = readNumber(join(sys, 'phys_addr')) + profile.deviceAddressOffset;
    this.dmaSize = readNumber(join(sys, 'size'));
    this.regFd = openFile(opts.memDevice ?? '/dev/mem', 'the physical-memory device');
    this.dmaFd = openFile(join(opts.devRoot ?? '/dev', name), 'the DMA buffer device');
  }

  async prepare(params: VtaParams): Promise<void> {
    const c = this.opts.config;
    if (c && c.hash !== params.hash) throw new VtaUserError(`board ${this.profile.name} runs configuration ${c.bitstream}; the bundle was built for ${params.bitstream}`);
  }

  async begin(bytes: number, align: number): Promise<DeviceRegion> {
    const deviceAddr = Math.ceil(this.dmaDevice / align) * align;
    if (deviceAddr + bytes > this.dmaDevice + this.dmaSize) throw new BoardMemoryError(this.profile.name, bytes, align, this.dmaSize);
    return { deviceAddr, size: bytes };
  }

  private dmaOffset(deviceAddr: number, size: number): number {
    const off = deviceAddr - this.dmaDevice;
    if (off < 0 || off + size > this.dmaSize) throw new RangeError(`device address ${deviceAddr} (+${size}) is outside the DMA buffer`);
    return off;
  }

  async writeMem(deviceAddr: number, bytes: Uint8Array): Promise<void> {
    writeSync(this.dmaFd, bytes, 0, bytes.length, this.dmaOffset(deviceAddr, bytes.length));
  }

  async readMem(deviceAddr: number, size: number): Promise<Uint8Array> {
    const out = new Uint8Array(size);
    readSync(this.dmaFd, out, 0, size, this.dmaOffset(deviceAddr, size));
    return out;
  }

  private registerPosition(offset: number): number {
    if (offset < 0 || offset + 4 > this.profile.registers.span || offset % 4) throw new RangeError(`register offset ${offset} is outside the ${this.profile.name} register window`);
    return this.profile.registers.base + offset;
  }

  async writeReg(offset: number, value: number): Promise<void> {
    this.word.writeUInt32LE(value >>> 0, 0);
    writeSync(this.regFd, this.word, 0, 4, this.registerPosition(offset));
  }

  async readReg(offset: number): Promise<number> {
    readSync(this.regFd, this.word, 0, 4, this.registerPosition(offset));
    return this.word.readUInt32LE(0);
  }

  async wait(cycles: number): Promise<WaitReport> {
    const ms = cycles / ((this.opts.clockMHz ?? 100) * 1000);
    // Sub-millisecond waits just yield, as the de10nano driver's poll loop does.
    await new Promise((r) => (ms < 1 ? setImmediate(r) : setTimeout(r, ms)));
    return {};
  }

  async end(): Promise<EndReport> {
    return {};
  }

  async abandon(): Promise<void> {}

  async close(): Promise<void> {
    closeSync(this.regFd);
    closeSync(this.dmaFd);
  }
}

/**
 * The emulated board: our RTL under Verilator behind the emulated-board memory model (seeded
 * latency, out-of-order read completion, back-pressure), reached only through the simulator's
 * host-port commands — register writes and reads, the clock advancing between polls, memory
 * writes and reads. Nothing on the C++ side programs the VCR here: the shared launch sequence
 * does, exactly as on a board.
 *
 * It places each bundle where a DE10-Nano would: in a DMA region at a high physical address
 * (0x10000000, i.e. device address 0x90000000), so the relocation through the VCR base pointers
 * is exercised on every run.
 */
import type { VtaParams } from '../../../runtime/config/config.js';
import { repoPath } from '../../../runtime/repo.js';
import { ensureBuilt, type BuiltSimulator } from '../../tsim/build.js';
import { memoryArgs, memoryLabel, TsimMemoryError, type TsimMemory } from '../../tsim/memory-option.js';
import { loadProbeMap } from '../../tsim/probe-map.js';
import { ownRtl } from '../../tsim/rtl-source.js';
import type { Backend, DeviceRegion, EndReport, RunCapture, WaitReport } from '../backend.js';
import { boardProfile, type BoardProfile, type NamedCounter } from '../board-profiles.js';
import { BoardMemoryError } from '../errors.js';
import { HostPortProcess } from './host-port-process.js';

export interface EmuBackendOptions {
  /** The memory behind the design; default the emulated board with seed 1. */
  memory?: TsimMemory;
  /** A seeded-bug variant of our RTL (fixtures/rtl-variants/) as the board's bitstream. */
  variant?: string;
}

/** CPU physical address of the emulated DMA region (device address: + 0x80000000). */
const DMA_PHYS = 0x10000000;
const DMA_SIZE = 0x60000000;

/** The VCR counters our RTL has: upstream's 0x24 plus the ones its probe map lists. */
function ownRtlCounters(): NamedCounter[] {
  const map = loadProbeMap(repoPath('fixtures', 'probe-maps', 'vta-trace-rtl.json'));
  return [{ name: 'acc_writes', offset: 0x24 }, ...map.counters.map((c) => ({ name: c.name, offset: c.offset }))];
}

export class EmuBackend implements Backend {
  readonly profile: BoardProfile = boardProfile('emu', ownRtlCounters());
  private readonly memory: TsimMemory;
  private readonly variant: string | undefined;
  private built: BuiltSimulator | undefined;
  /** One build per configuration for the backend's lifetime, as a bitstream would be. */
  private readonly builds = new Map<string, Promise<BuiltSimulator>>();
  private proc: HostPortProcess | undefined;
  /** The last run did not finish cleanly: the design's state is unknown, start a new process. */
  private stale = false;

  constructor(opts: EmuBackendOptions = {}) {
    this.memory = opts.memory ?? { kind: 'emu', seed: 1 };
    // The board places bundles itself (its DMA region); the harness must not relocate them again.
    if (this.memory.dma) throw new TsimMemoryError(`the emulated board already places each bundle in its DMA region: give its memory without +dma (got ${memoryLabel(this.memory)})`);
    this.variant = opts.variant;
  }

  /** "Load the bitstream": build (or find cached) our RTL for this configuration. */
  async prepare(params: VtaParams): Promise<void> {
    let pending = this.builds.get(params.hash);
    if (!pending) {
      pending = ownRtl(params, this.variant).then((spec) => ensureBuilt(spec, params));
      pending.catch(() => this.builds.delete(params.hash));
      this.builds.set(params.hash, pending);
    }
    const built = await pending;
    if (this.proc && this.built?.dir !== built.dir) await this.dropProcess();
    this.built = built;
  }

  private async process(): Promise<HostPortProcess> {
    if (!this.built) throw new Error('emu backend: prepare() was not called');
    if (!this.proc?.alive) this.proc = await HostPortProcess.start(this.built, memoryArgs(this.memory));
    return this.proc;
  }

  private get live(): HostPortProcess {
    if (!this.proc) throw new Error('emu backend: no run in progress');
    return this.proc;
  }

  async begin(bytes: number, align: number, capture: RunCapture): Promise<DeviceRegion> {
    const deviceStart = DMA_PHYS + this.profile.deviceAddressOffset;
    const deviceAddr = Math.ceil(deviceStart / align) * align;
    if (deviceAddr + bytes > deviceStart + DMA_SIZE) throw new BoardMemoryError('emu', bytes, align, DMA_SIZE);
    if (this.stale) await this.dropProcess();
    this.stale = false;
    const proc = await this.process();
    await proc.open(capture);
    return { deviceAddr, size: bytes };
  }

  async writeMem(deviceAddr: number, bytes: Uint8Array): Promise<void> {
    this.live.memWrite(deviceAddr, bytes);
  }

  readMem(deviceAddr: number, size: number): Promise<Uint8Array> {
    return this.live.memRead(deviceAddr, size);
  }

  async writeReg(offset: number, value: number): Promise<void> {
    await this.live.regWrite(offset, value);
  }

  async readReg(offset: number): Promise<number> {
    return (await this.live.regRead(offset)).value;
  }

  async wait(cycles: number): Promise<WaitReport> {
    const s = await this.live.clock(cycles);
    return { cycle: s.cycle, idleCycles: s.idle };
  }

  async end(finished: boolean): Promise<EndReport> {
    const s = await this.live.close(!finished);
    // After anything but a clean finish the design's state is unknown: start afresh next run
    // (not now: the outputs are still to be read).
    this.stale = !finished;
    return { retired: s.retired };
  }

  /** The design stopped or the process died: forget it (the next run starts a new one). */
  async abandon(): Promise<void> {
    this.proc?.kill();
    this.proc = undefined;
  }

  private async dropProcess(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    await p?.exit();
  }

  async close(): Promise<void> {
    await this.dropProcess();
  }
}

/**
 * A board that goes away in the middle of a chosen run: wraps a real backend and, during the
 * first poll wait of its `dropOnRun`-th run (1-based), calls `drop` (a test closes the agent
 * there, so the host sees the connection close with the run in flight). Everything else is the
 * wrapped backend's.
 */
import type { VtaParams } from '../../../runtime/config/config.js';
import type { Backend, DeviceRegion, EndReport, RunCapture, WaitReport } from '../backend.js';

export class DroppingBackend implements Backend {
  private runs = 0;
  private dropped = false;

  constructor(
    private readonly inner: Backend,
    private readonly dropOnRun: number,
    private readonly drop: () => void,
  ) {}

  get profile() {
    return this.inner.profile;
  }

  /** Runs begun so far (the dropped one included). */
  get runsBegun(): number {
    return this.runs;
  }

  prepare(params: VtaParams): Promise<void> {
    return this.inner.prepare(params);
  }

  begin(bytes: number, align: number, capture: RunCapture): Promise<DeviceRegion> {
    this.runs++;
    return this.inner.begin(bytes, align, capture);
  }

  writeMem(addr: number, bytes: Uint8Array): Promise<void> {
    return this.inner.writeMem(addr, bytes);
  }

  readMem(addr: number, size: number): Promise<Uint8Array> {
    return this.inner.readMem(addr, size);
  }

  writeReg(offset: number, value: number): Promise<void> {
    return this.inner.writeReg(offset, value);
  }

  readReg(offset: number): Promise<number> {
    return this.inner.readReg(offset);
  }

  wait(cycles: number): Promise<WaitReport> {
    if (this.runs === this.dropOnRun && !this.dropped) {
      this.dropped = true;
      this.drop();
    }
    return this.inner.wait(cycles);
  }

  end(finished: boolean): Promise<EndReport> {
    return this.inner.end(finished);
  }

  abandon(): Promise<void> {
    return this.inner.abandon();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

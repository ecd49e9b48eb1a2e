/**
 * The small client of the simulator's host-port commands (docs/fpga-protocol.md, "Host-port
 * commands"): one simulator process, driven one register access, clock advance or memory access
 * at a time, each answered by one HOST_STATE frame. EVENTS frames that arrive in between go to
 * the current run's listener. Nothing here knows what the registers mean; that is the shared
 * launch sequence's business (../launch-sequence.ts).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import type { BuiltSimulator } from '../../tsim/build.js';
import {
  FrameDecoder,
  REPLY,
  clockCmd,
  exitCmd,
  hostCloseCmd,
  hostOpenCmd,
  memClearCmd,
  memReadCmd,
  memWriteCmd,
  parseDone,
  parseHostState,
  regReadCmd,
  regWriteCmd,
  type Frame,
  type HostState,
} from '../../tsim/protocol.js';

/** The design stopped ($fatal, a memory protocol error, a dead VCR) or the process died. */
export class HostPortStopped extends Error {
  override name = 'HostPortStopped';
}

const KEPT_OUTPUT_LINES = 20;

export class HostPortProcess {
  private readonly decoder = new FrameDecoder();
  private readonly queue: ((f: Frame | Error) => void)[] = [];
  private exited = false;
  private deathMessage = '';
  private readonly output: string[] = [];
  private onEvents: ((batch: Buffer) => void) | undefined;
  private readonly closed: Promise<void>;

  private constructor(private readonly child: ChildProcess) {
    const replies = child.stdio[3] as Readable;
    replies.on('data', (chunk: Buffer) => {
      for (const f of this.decoder.push(chunk)) {
        if (f.type === REPLY.events) this.onEvents?.(f.body);
        else this.queue.shift()?.(f);
      }
    });
    const keep = (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (line.trim()) this.output.push(line);
      this.output.splice(0, Math.max(0, this.output.length - KEPT_OUTPUT_LINES));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    (child.stdin as Writable).on('error', () => {}); // reported through 'close'
    this.closed = new Promise((res) => {
      child.on('close', (code, signal) => {
        this.exited = true;
        const tail = this.output.length ? `\n${this.output.join('\n')}` : '';
        this.deathMessage = `${signal ? `simulator process killed by ${signal}` : `simulator process exited with code ${code}`}${tail}`;
        for (const w of this.queue.splice(0)) w(new HostPortStopped(this.deathMessage));
        res();
      });
    });
  }

  /** Start the simulator (`memoryArgs`: e.g. ['--memory', 'emu:7']) and wait for its HELLO. */
  static async start(built: BuiltSimulator, memoryArgs: string[]): Promise<HostPortProcess> {
    const child = spawn(built.binary, [built.probesTxt, String(built.dataBits), ...memoryArgs], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    const p = new HostPortProcess(child);
    const hello = await p.reply();
    if (hello.type !== REPLY.hello) throw new HostPortStopped(`simulator did not start: ${hello.body.toString('utf8')}`);
    return p;
  }

  get alive(): boolean {
    return !this.exited;
  }

  private reply(): Promise<Frame> {
    return new Promise((res, rej) => {
      if (this.exited) return rej(new HostPortStopped(this.deathMessage));
      this.queue.push((f) => (f instanceof Error ? rej(f) : res(f)));
    });
  }

  /** Send a command answered by HOST_STATE; DONE (crash) or FATAL in its place is a HostPortStopped. */
  private async request(cmd: Buffer): Promise<HostState> {
    const wait = this.reply();
    this.send(cmd);
    const f = await wait;
    if (f.type === REPLY.hostState) return parseHostState(f.body);
    if (f.type === REPLY.done) throw new HostPortStopped(parseDone(f.body).message);
    throw new HostPortStopped(`simulator: ${f.body.toString('utf8')}`);
  }

  private send(buf: Buffer): void {
    if (!this.exited) (this.child.stdin as Writable).write(buf);
  }

  /** Start a run: forget DRAM, reset the memory model and tracer; events go to `onEvents`. */
  open(o: { events: boolean; iters: boolean; reads?: boolean; dramGranule: number; onEvents?: (batch: Buffer) => void }): Promise<HostState> {
    this.onEvents = o.onEvents;
    this.send(memClearCmd());
    return this.request(hostOpenCmd(o));
  }

  regWrite(offset: number, value: number): Promise<HostState> {
    return this.request(regWriteCmd(offset, value));
  }

  regRead(offset: number): Promise<HostState> {
    return this.request(regReadCmd(offset));
  }

  clock(cycles: number): Promise<HostState> {
    return this.request(clockCmd(cycles));
  }

  async close(unfinished: boolean): Promise<HostState> {
    const s = await this.request(hostCloseCmd(unfinished));
    this.onEvents = undefined;
    return s;
  }

  memWrite(addr: number, bytes: Uint8Array): void {
    this.send(memWriteCmd(addr, bytes));
  }

  async memRead(addr: number, size: number): Promise<Uint8Array> {
    const wait = this.reply();
    this.send(memReadCmd(addr, size));
    const f = await wait;
    if (f.type !== REPLY.memData) throw new HostPortStopped(`simulator answered a memory read with frame ${f.type}`);
    return new Uint8Array(f.body);
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  async exit(): Promise<void> {
    if (this.exited) return;
    this.send(exitCmd());
    (this.child.stdin as Writable).end();
    const timer = setTimeout(() => this.kill(), 1000);
    await this.closed;
    clearTimeout(timer);
  }
}

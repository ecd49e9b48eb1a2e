/**
 * One long-lived simulator process and the conversation with it: start (wait for HELLO), send
 * commands, deliver EVENTS batches as they arrive, and notice when the process dies. Never blocks
 * the caller: everything is a promise, and killing the process settles whatever was waiting.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import type { BuiltSimulator } from './build.js';
import { ProbeMapError } from './errors.js';
import {
  FrameDecoder,
  REPLY,
  exitCmd,
  memReadCmd,
  parseDone,
  parseHello,
  runCmd,
  type Done,
  type Frame,
  type Hello,
  type RunCommand,
} from './protocol.js';

/** How a run ended from the process's point of view. */
export type RunOutcome = { kind: 'done'; done: Done } | { kind: 'died'; message: string };

interface Waiter {
  frame(f: Frame): void;
  died(message: string): void;
}

const KEPT_OUTPUT_LINES = 30;

export class SimProcess {
  private readonly decoder = new FrameDecoder();
  private waiter: Waiter | undefined;
  private exited = false;
  private exitMessage = '';
  private readonly outputLines: string[] = [];
  private readonly exitPromise: Promise<void>;
  /** When the last byte came from the process on its reply pipe (Date.now()). */
  lastReplyAt = Date.now();

  private constructor(
    private readonly child: ChildProcess,
    readonly built: BuiltSimulator,
  ) {
    const replies = child.stdio[3] as Readable;
    replies.on('data', (chunk: Buffer) => {
      this.lastReplyAt = Date.now();
      for (const f of this.decoder.push(chunk)) this.waiter?.frame(f);
    });
    const keep = (d: Buffer) => {
      for (const line of d.toString().split('\n')) if (line.trim()) this.outputLines.push(line);
      this.outputLines.splice(0, Math.max(0, this.outputLines.length - KEPT_OUTPUT_LINES));
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    (child.stdin as Writable).on('error', () => {}); // a dead process: reported through 'exit'
    this.exitPromise = new Promise((res) => {
      // 'close', not 'exit': by then stdout/stderr are drained, so output holds the last words.
      child.on('close', (code, signal) => {
        this.exited = true;
        this.exitMessage = signal ? `simulator process killed by ${signal}` : `simulator process exited with code ${code}`;
        // Let the reply pipe drain first: frames sent just before dying must still arrive.
        replies.once('close', () => this.settleDeath());
        if (replies.readableEnded || replies.destroyed) this.settleDeath();
        res();
      });
    });
  }

  private settleDeath(): void {
    const w = this.waiter;
    this.waiter = undefined;
    w?.died(this.describeDeath());
  }

  /** The exit reason plus the last lines the design printed. */
  describeDeath(): string {
    const tail = this.outputLines.length ? `\n${this.outputLines.join('\n')}` : '';
    return `${this.exitMessage || 'simulator process ended'}${tail}`;
  }

  get alive(): boolean {
    return !this.exited;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * What the kernel says of the process (Linux /proc): its state letter (R running, S sleeping,
   * T stopped, Z zombie…) and the CPU time it has used, in clock ticks; undefined where unknown.
   */
  processState(): { state: string; cpuTicks: number } | undefined {
    if (this.exited || this.child.pid === undefined) return undefined;
    try {
      const stat = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) in parentheses: state is the 3rd, utime and stime the 14th and 15th.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return { state: f[0]!, cpuTicks: Number(f[11]) + Number(f[12]) };
    } catch {
      return undefined;
    }
  }

  /** Last lines of the design's stdout/stderr. */
  get output(): readonly string[] {
    return this.outputLines;
  }

  /** `args`: run-time options of the harness after the two fixed arguments (e.g. `--memory emu:7`). */
  static async start(built: BuiltSimulator, args: string[] = []): Promise<{ proc: SimProcess; hello: Hello }> {
    const child = spawn(built.binary, [built.probesTxt, String(built.dataBits), ...args], { stdio: ['pipe', 'pipe', 'pipe', 'pipe'] });
    const proc = new SimProcess(child, built);
    const first = await proc.next();
    if (first.kind === 'died') throw new Error(`tsim: simulator did not start: ${first.message}`);
    if (first.frame.type === REPLY.fatal) {
      // The harness could not resolve a probe: the probe map names something the design lacks.
      const text = first.frame.body.toString('utf8');
      const [entry, ...rest] = text.split(': ');
      throw new ProbeMapError(built.probeMap.file, entry ?? '(probes)', rest.join(': ') || text);
    }
    if (first.frame.type !== REPLY.hello) throw new Error(`tsim: unexpected first frame ${first.frame.type}`);
    return { proc, hello: parseHello(first.frame.body) };
  }

  /** Wait for the next frame (or death). */
  private next(): Promise<{ kind: 'frame'; frame: Frame } | { kind: 'died'; message: string }> {
    return new Promise((res) => {
      if (this.exited && !this.waiter) return res({ kind: 'died', message: this.describeDeath() });
      this.waiter = {
        frame: (f) => {
          this.waiter = undefined;
          res({ kind: 'frame', frame: f });
        },
        died: (message) => res({ kind: 'died', message }),
      };
    });
  }

  send(buf: Buffer): void {
    if (!this.exited) (this.child.stdin as Writable).write(buf);
  }

  /** Run a program; `onEvents` gets each EVENTS batch as it arrives. */
  run(cmd: RunCommand, onEvents: (batch: Buffer) => void): Promise<RunOutcome> {
    return new Promise((res) => {
      if (this.exited) return res({ kind: 'died', message: this.describeDeath() });
      this.waiter = {
        frame: (f) => {
          if (f.type === REPLY.events) {
            onEvents(f.body);
          } else if (f.type === REPLY.done) {
            this.waiter = undefined;
            res({ kind: 'done', done: parseDone(f.body) });
          } else {
            this.waiter = undefined;
            res({ kind: 'died', message: `simulator: ${f.body.toString('utf8')}` });
          }
        },
        died: (message) => res({ kind: 'died', message }),
      };
      this.send(runCmd(cmd));
    });
  }

  async memRead(addr: number, size: number): Promise<Uint8Array> {
    const wait = this.next();
    this.send(memReadCmd(addr, size));
    const r = await wait;
    if (r.kind === 'died') throw new Error(`tsim: simulator died while reading memory: ${r.message}`);
    if (r.frame.type !== REPLY.memData) throw new Error(`tsim: unexpected frame ${r.frame.type} for a memory read`);
    return new Uint8Array(r.frame.body);
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** Ask the process to exit; kill it if it does not within a second. */
  async close(): Promise<void> {
    if (this.exited) return;
    this.send(exitCmd());
    (this.child.stdin as Writable).end();
    const timer = setTimeout(() => this.kill(), 1000);
    await this.exitPromise;
    clearTimeout(timer);
  }
}

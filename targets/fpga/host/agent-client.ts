/**
 * One connection to a board agent, host side: connect, say HELLO, then run bundles one at a
 * time, handing STARTED, EVENTS and OUTPUT frames to the caller as they arrive and resolving
 * with DONE. A connection that drops, an ERROR frame or a frame the protocol refuses ends the
 * waiting run with a typed error that names the board.
 */
import { connect as netConnect, type Socket } from 'node:net';
import { AgentAuthError, AgentProtocolError, BoardConnectionError } from '../errors.js';
import { DEFAULT_MAX_FRAME_BYTES, FrameReader, type Frame } from '../protocol/frames.js';
import { MSG, PROTOCOL_VERSION, encode, jsonBody, splitHeaded, type DoneMessage, type ErrorMessage, type RunOptions, type Started, type Welcome } from '../protocol/messages.js';

export interface Endpoint {
  /** For messages: the board's name from the boards file, or "local emu". */
  board: string;
  host: string;
  port: number;
  token?: string;
}

export interface RunHandlers {
  onStarted?(s: Started): void;
  onEvents?(batch: Buffer): void;
  onOutput?(o: { name: string; addr: number; bytes: Uint8Array }): void;
  onTraceRing?(written: number, bytes: Uint8Array): void;
}

export interface ClientOptions {
  connectTimeoutMs?: number;
  maxFrameBytes?: number;
  /** Protocol version to announce (tests of the version check). */
  version?: number;
}

type Listener = { frame(f: Frame): void; fail(e: Error): void };

export class AgentClient {
  private listener: Listener | undefined;
  private ended: Error | undefined;
  welcome!: Welcome;

  private constructor(
    private readonly socket: Socket,
    readonly endpoint: Endpoint,
    reader: FrameReader,
  ) {
    socket.on('data', (chunk: Buffer) => {
      for (const f of reader.push(chunk)) {
        if (!this.listener) return this.end(new AgentProtocolError('unexpected', `${this.label}: sent frame type ${f.type} while no request was waiting`));
        this.listener.frame(f);
      }
      if (reader.refused) this.end(this.named(reader.refused));
    });
    socket.on('error', (e: NodeJS.ErrnoException) => this.end(new BoardConnectionError(`${this.label}: ${e.code ?? e.message}`)));
    socket.on('close', () => {
      const midFrame = reader.pending ? ` in the middle of a frame (${reader.pending} bytes of it received)` : '';
      this.end(new BoardConnectionError(`${this.label} closed the connection${midFrame}`));
    });
  }

  get label(): string {
    return `board ${this.endpoint.board} (${this.endpoint.host}:${this.endpoint.port})`;
  }

  private named(e: Error): Error {
    if (e instanceof AgentProtocolError) return new AgentProtocolError(e.code, `${this.label}: ${e.message}`);
    return e;
  }

  /** Give up on the connection (a run past its wall-clock limit): the waiting request fails with `e`. */
  abort(e: Error): void {
    this.end(e);
  }

  /** The connection is over: fail whoever waits, and everyone after. */
  private end(e: Error): void {
    if (this.ended) return;
    this.ended = e;
    this.socket.destroy();
    const l = this.listener;
    this.listener = undefined;
    l?.fail(e);
  }

  get alive(): boolean {
    return this.ended === undefined;
  }

  /** An ERROR frame as the typed error it stands for. */
  private errorOf(f: Frame): Error {
    let e: ErrorMessage;
    try {
      e = jsonBody<ErrorMessage>(f, 'ERROR');
    } catch (err) {
      return this.named(err as Error);
    }
    const text = `${this.label} refused: ${e.message}`;
    return e.code === 'auth' ? new AgentAuthError(text) : new AgentProtocolError(e.code, text);
  }

  /** Connect and complete the handshake. */
  static async connect(ep: Endpoint, opts: ClientOptions = {}): Promise<AgentClient> {
    const socket = netConnect({ host: ep.host, port: ep.port });
    socket.setNoDelay(true);
    const client = new AgentClient(socket, ep, new FrameReader(opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES));
    const timeout = opts.connectTimeoutMs ?? 10_000;
    const timer = setTimeout(() => client.end(new BoardConnectionError(`${client.label}: no answer within ${timeout} ms`)), timeout);
    try {
      const welcome = await client.request<Welcome>(encode.hello({ version: opts.version ?? PROTOCOL_VERSION, client: 'vta-trace', ...(ep.token !== undefined ? { token: ep.token } : {}) }), (f, done) => {
        if (f.type !== MSG.welcome) throw new AgentProtocolError('unexpected', `${client.label}: expected WELCOME, got frame type ${f.type}`);
        done(jsonBody<Welcome>(f, 'WELCOME'));
      });
      client.welcome = welcome;
      return client;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Send `frame`, then feed reply frames to `onFrame` until it calls `done` (ERROR frames reject). */
  private request<T>(frame: Buffer, onFrame: (f: Frame, done: (v: T) => void) => void): Promise<T> {
    return new Promise<T>((res, rej) => {
      if (this.ended) return rej(this.ended);
      if (this.listener) return rej(new Error(`${this.label}: one request at a time`));
      this.listener = {
        frame: (f) => {
          if (f.type === MSG.error) {
            // A refused request: the agent closes the connection if it cannot go on.
            this.listener = undefined;
            return rej(this.errorOf(f));
          }
          try {
            onFrame(f, (v) => {
              this.listener = undefined;
              res(v);
            });
          } catch (e) {
            // A frame we cannot read: the stream can no longer be trusted.
            this.end(this.named(e as Error));
          }
        },
        fail: rej,
      };
      this.socket.write(frame);
    });
  }

  run(bundle: Uint8Array, options: RunOptions, h: RunHandlers): Promise<DoneMessage> {
    return this.request<DoneMessage>(encode.run(options, bundle), (f, done) => {
      if (f.type === MSG.started) h.onStarted?.(jsonBody<Started>(f, 'STARTED'));
      else if (f.type === MSG.events) h.onEvents?.(f.body);
      else if (f.type === MSG.output) {
        const { head, data } = splitHeaded<{ name: string; addr: number }>(f, 'OUTPUT');
        h.onOutput?.({ name: head.name, addr: head.addr, bytes: new Uint8Array(data) });
      } else if (f.type === MSG.traceRing) {
        if (f.body.length < 4) throw new AgentProtocolError('malformed', 'malformed TRACE_RING frame: shorter than its count');
        h.onTraceRing?.(f.body.readUInt32LE(0), new Uint8Array(f.body.subarray(4)));
      } else if (f.type === MSG.done) done(jsonBody<DoneMessage>(f, 'DONE'));
      else throw new AgentProtocolError('unexpected', `unexpected frame type ${f.type} during a run`);
    });
  }

  /** Say BYE and close. */
  async close(): Promise<void> {
    if (this.ended) return;
    this.socket.end(encode.bye());
    await new Promise<void>((res) => {
      const t = setTimeout(() => {
        this.socket.destroy();
        res();
      }, 1000);
      this.socket.once('close', () => {
        clearTimeout(t);
        res();
      });
    });
    this.ended ??= new BoardConnectionError(`${this.label}: connection closed`);
  }
}

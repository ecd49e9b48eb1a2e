/**
 * The board agent: a TCP server in front of one Backend. A client says HELLO (protocol version,
 * token), then sends RUN frames; the agent runs each bundle with the shared launch sequence and
 * streams STARTED, EVENTS, OUTPUT and DONE back (docs/fpga-protocol.md). Runs from all
 * connections are served one at a time: there is one board. Malformed, oversized or unexpected
 * frames get an ERROR frame, never a crash; a client that vanishes mid-run leaves the run to
 * finish so the board is in a known state for the next one.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { decodeBundle } from '../../../runtime/bundle/bundle-file.js';
import { VtaUserError } from '../../../runtime/errors.js';
import type { Backend } from '../backend.js';
import { runOnBoard } from '../board-run.js';
import { AgentConfigError, AgentProtocolError } from '../errors.js';
import { DEFAULT_MAX_FRAME_BYTES, FrameReader, PRE_AUTH_MAX_FRAME_BYTES, type Frame } from '../protocol/frames.js';
import { MSG, PROTOCOL_VERSION, decodeHello, encode, splitHeaded, type ErrorCode, type RunOptions } from '../protocol/messages.js';
import { isLoopback, tokensMatch } from './token.js';

export interface AgentOptions {
  backend: Backend;
  host?: string;
  /** 0: any free port (read it from `address`). */
  port?: number;
  /** Required unless `host` is a loopback address. */
  token?: string;
  /** Largest frame a client that has been let in may send (said in WELCOME). */
  maxFrameBytes?: number;
  /** Largest frame before that: the HELLO (default PRE_AUTH_MAX_FRAME_BYTES). */
  preAuthMaxFrameBytes?: number;
  /** A connection that has not said HELLO by then is closed. */
  helloTimeoutMs?: number;
  /** A frame begun but not continued for this long (no byte of it arrives) closes the connection. */
  frameStallMs?: number;
  /** Wall-clock limit of a run whose client gave none. */
  defaultTimeoutMs?: number;
  log?: (line: string) => void;
}

const DEFAULT_HELLO_TIMEOUT_MS = 10_000;
const DEFAULT_FRAME_STALL_MS = 30_000;
/** Bytes one connection may deliver per turn of the event loop (see accept). */
const TURN_BYTES = 64 * 1024;
const DEFAULT_RUN_TIMEOUT_MS = 30 * 60_000;
const DEFAULT_IDLE_CYCLES = 200_000;

export class AgentServer {
  private readonly sockets = new Set<Socket>();
  /** Runs queue here: one board, one run at a time. */
  private board: Promise<void> = Promise.resolve();

  private constructor(
    private readonly server: Server,
    private readonly opts: AgentOptions,
  ) {}

  static async start(opts: AgentOptions): Promise<AgentServer> {
    const host = opts.host ?? '127.0.0.1';
    if (!isLoopback(host) && opts.token === undefined) {
      throw new AgentConfigError(`refusing to listen on ${host} without a token: give --token-file or set VTA_AGENT_TOKEN (only loopback addresses may go without)`);
    }
    const server = createServer();
    const agent = new AgentServer(server, { ...opts, host });
    server.on('connection', (s) => agent.accept(s));
    await new Promise<void>((res, rej) => {
      server.once('error', (e: NodeJS.ErrnoException) => rej(new AgentConfigError(`cannot listen on ${host}:${opts.port ?? 0}: ${e.code ?? e.message}`)));
      server.listen(opts.port ?? 0, host, () => res());
    });
    return agent;
  }

  get address(): { host: string; port: number } {
    const a = this.server.address() as AddressInfo;
    return { host: this.opts.host!, port: a.port };
  }

  private log(line: string): void {
    this.opts.log?.(line);
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    // Replies are small frames written one by one: without this, Nagle's algorithm holds each
    // behind the client's delayed ACK (about 40 ms a run).
    socket.setNoDelay(true);
    const peer = `${socket.remoteAddress}:${socket.remotePort}`;
    const maxFrameBytes = this.opts.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    // Until HELLO has let the client in, it may send only a small frame: its first frame is read
    // alone, against that limit, and nothing after it is parsed until HELLO has been checked.
    const reader = new FrameReader(Math.min(maxFrameBytes, this.opts.preAuthMaxFrameBytes ?? PRE_AUTH_MAX_FRAME_BYTES));
    let firstTaken = false;
    let greeted = false;
    let closing = false;
    // Frames of one connection are handled in order, each after the previous one finished.
    let queue = Promise.resolve();

    const send = (frame: Buffer) => {
      if (!socket.destroyed && socket.writable) socket.write(frame);
    };
    const fail = (code: ErrorCode, message: string, close: boolean) => {
      this.log(`${peer}: ${code}: ${message}`);
      send(encode.error({ code, message }));
      if (close) {
        closing = true;
        socket.end();
      }
    };
    const helloTimer = setTimeout(() => fail('unexpected', `no HELLO within ${this.opts.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS} ms`, true), this.opts.helloTimeoutMs ?? DEFAULT_HELLO_TIMEOUT_MS);
    // A frame begun and then left unfinished would hold its bytes forever: after frameStallMs
    // without a byte of it, the connection is closed.
    const stallMs = this.opts.frameStallMs ?? DEFAULT_FRAME_STALL_MS;
    let stallTimer: NodeJS.Timeout | undefined;
    const watchStall = () => {
      if (stallTimer) clearTimeout(stallTimer);
      stallTimer = undefined;
      if (!reader.pending || closing || !greeted) return; // before HELLO the HELLO deadline applies
      stallTimer = setTimeout(() => fail('malformed', `a frame was left unfinished: no byte of it for ${stallMs} ms (${reader.pending} bytes of it received)`, true), stallMs);
    };

    const handle = async (f: Frame): Promise<void> => {
      if (closing) return;
      if (!greeted) {
        if (f.type !== MSG.hello) return fail('unexpected', `expected HELLO (type ${MSG.hello}) first, got frame type ${f.type}`, true);
        clearTimeout(helloTimer);
        const hello = decodeHello(f);
        if (hello.version !== PROTOCOL_VERSION) return fail('version', `protocol version ${hello.version} is not supported; this agent speaks version ${PROTOCOL_VERSION}`, true);
        if (hello.token !== undefined && typeof hello.token !== 'string') return fail('auth', `malformed HELLO: the token must be a string, got ${typeof hello.token}`, true);
        if (this.opts.token !== undefined && !tokensMatch(this.opts.token, hello.token)) {
          return fail('auth', hello.token === undefined ? 'this agent requires a token' : 'wrong token', true);
        }
        greeted = true;
        reader.maxFrameBytes = maxFrameBytes;
        // What the client sent after its HELLO waited unparsed: read it now, against the raised limit.
        take(reader.drain());
        watchStall();
        const p = this.opts.backend.profile;
        const counters = p.shell.kind === 'vcr' ? ['cycles', ...p.shell.counters.map((c) => c.name)] : [];
        send(encode.welcome({ version: PROTOCOL_VERSION, board: p.name, trace: p.name === 'emu', reads: p.name === 'emu', counters, maxFrameBytes: reader.maxFrameBytes }));
        this.log(`${peer}: ${hello.client} connected`);
        return;
      }
      if (f.type === MSG.run) return this.serveRun(f, send);
      if (f.type === MSG.bye) {
        closing = true;
        socket.end();
        return;
      }
      if (f.type === MSG.hello) return fail('unexpected', 'HELLO was already received on this connection', false);
      fail('unknown-command', `unknown frame type ${f.type}`, false);
    };

    const enqueue = (step: () => Promise<void> | void) => {
      queue = queue.then(async () => {
        try {
          await step();
        } catch (e) {
          // Before HELLO has let the client in, any failure closes the connection.
          const err = e as Error;
          if (err instanceof AgentProtocolError) fail(err.code as ErrorCode, err.message, !greeted);
          else fail('internal', err.message, !greeted);
        }
      });
    };
    const take = (frames: Frame[]) => {
      for (const f of frames) enqueue(() => handle(f));
      // After a refused length the stream cannot be resynchronised: say why, then hang up.
      const refused = reader.refused;
      if (refused) enqueue(() => fail(refused.code as ErrorCode, refused.message, true));
    };

    // Fairness: a connection that has delivered TURN_BYTES in this turn of the event loop waits
    // for the next turn, so a client streaming a large frame cannot starve the others (copying a
    // frame into fresh memory is what costs; how much of it one turn may do is bounded here).
    let turnBytes = 0;
    socket.on('data', (chunk: Buffer) => {
      if (closing) return;
      turnBytes += chunk.length;
      if (turnBytes >= TURN_BYTES && !socket.isPaused()) {
        socket.pause();
        setImmediate(() => {
          turnBytes = 0;
          if (!socket.destroyed) socket.resume();
        });
      }
      if (greeted) take(reader.push(chunk));
      else {
        const first = reader.push(chunk, firstTaken ? 0 : 1);
        if (first.length) firstTaken = true;
        // Bytes after the first frame wait (at most the rest of this chunk: HELLO is checked before
        // the next chunk is read, and then the connection is either let in or closed).
        take(first);
      }
      watchStall();
    });
    socket.on('error', (e) => this.log(`${peer}: ${e.message}`));
    socket.on('close', () => {
      clearTimeout(helloTimer);
      if (stallTimer) clearTimeout(stallTimer);
      this.sockets.delete(socket);
      if (reader.pending) this.log(`${peer}: connection closed in the middle of a frame (${reader.pending} bytes of it received)`);
    });
  }

  /** RUN: decode, then wait for the board and run; the reply frames go out as they are produced. */
  private async serveRun(f: Frame, send: (frame: Buffer) => void): Promise<void> {
    const { head, data } = splitHeaded<RunOptions>(f, 'RUN');
    if (typeof head.runId !== 'number') throw new AgentProtocolError('malformed', 'malformed RUN frame: no runId');
    let bundle;
    try {
      bundle = decodeBundle(data, `RUN ${head.runId}`);
    } catch (e) {
      send(encode.error({ code: 'bad-run', message: (e as Error).message }));
      return;
    }
    const turn = this.board.then(async () => {
      try {
        const r = await runOnBoard(
          this.opts.backend,
          bundle,
          {
            idleCycles: head.idleCycles ?? DEFAULT_IDLE_CYCLES,
            timeoutMs: head.timeoutMs ?? this.opts.defaultTimeoutMs ?? DEFAULT_RUN_TIMEOUT_MS,
            ...(head.maxCycles !== undefined ? { maxCycles: head.maxCycles } : {}),
          },
          {
            events: head.events === true,
            iters: head.iters === true,
            reads: head.reads === true,
            dramGranule: bundle.params.elemBytes.out,
            onEvents: (batch) => send(encode.events(batch)),
            onPlaced: (deviceBase, traceRing) => send(encode.started({ runId: head.runId, deviceBase, ...(traceRing ? { traceRing } : {}) })),
            onTraceRing: (written, bytes) => send(encode.traceRing(written, bytes)),
            onOutput: (o) => send(encode.output({ name: o.name, addr: o.addr }, o.bytes)),
          },
        );
        send(encode.done({ runId: head.runId, status: r.status, ...(r.message !== undefined ? { message: r.message } : {}), counters: r.counters, ...(r.retired ? { retired: r.retired } : {}), polls: r.polls }));
      } catch (e) {
        send(encode.error({ code: e instanceof VtaUserError ? 'bad-run' : 'internal', message: (e as Error).message }));
      }
    });
    this.board = turn;
    await turn;
  }

  /** Stop listening and drop every connection. The backend stays open (its owner closes it). */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((res) => this.server.close(() => res()));
  }
}

/**
 * The messages of the agent protocol (docs/fpga-protocol.md) and their encodings. Control
 * messages are JSON; bulk data (bundles, event batches, output bytes) is binary, with a JSON
 * header in front where it needs one.
 */
import { AgentProtocolError } from '../errors.js';
import { encodeFrame, type Frame } from './frames.js';

export const PROTOCOL_VERSION = 1;
/** First bytes of a HELLO payload: tells a vta-trace client from anything else that connects. */
export const HELLO_MAGIC = Buffer.from('VTA-FPGA', 'ascii');

export const MSG = {
  // client → agent
  hello: 1,
  run: 2,
  bye: 3,
  // agent → client
  welcome: 128,
  started: 129,
  events: 130,
  output: 131,
  done: 132,
  traceRing: 133,
  error: 255,
} as const;

export type ErrorCode = 'version' | 'auth' | 'frame-too-large' | 'malformed' | 'unknown-command' | 'unexpected' | 'bad-run' | 'internal';

export interface Hello {
  version: number;
  token?: string;
  client: string;
}

export interface Welcome {
  version: number;
  board: string;
  /** Whether runs return per-instruction trace events. */
  trace: boolean;
  /**
   * Whether those events can include what each LOAD read from DRAM (RunOptions.reads; record kind
   * 4). Absent (an agent from before it): no. A real board observes no memory traffic: false.
   */
  reads?: boolean;
  /** Named counters the board reports after a run. */
  counters: string[];
  maxFrameBytes: number;
}

export interface RunOptions {
  runId: number;
  events: boolean;
  iters: boolean;
  /** With events: also the read bursts of the LOADs (only when WELCOME.reads). */
  reads?: boolean;
  maxCycles?: number;
  idleCycles?: number;
  timeoutMs?: number;
}

export interface Started {
  runId: number;
  /** Device address of the bundle's address 0: dram.store trace addresses are relative to it. */
  deviceBase: number;
  /** Where the trace unit's records go (configurations with TRACE_UNIT): its writes are not the program's. */
  traceRing?: { addr: number; slots: number };
}

export interface DoneMessage {
  runId: number;
  status: 'ok' | 'hang' | 'timeout' | 'crash';
  message?: string;
  counters: Record<string, number>;
  retired?: [number, number, number];
  polls: number;
}

export interface ErrorMessage {
  code: ErrorCode;
  message: string;
}

const json = (v: unknown) => Buffer.from(JSON.stringify(v), 'utf8');

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
}

export const encode = {
  hello: (h: Hello) => encodeFrame(MSG.hello, HELLO_MAGIC, json(h)),
  run: (o: RunOptions, bundle: Uint8Array) => {
    const head = json(o);
    return encodeFrame(MSG.run, u32(head.length), head, bundle);
  },
  bye: () => encodeFrame(MSG.bye),
  welcome: (w: Welcome) => encodeFrame(MSG.welcome, json(w)),
  started: (s: Started) => encodeFrame(MSG.started, json(s)),
  events: (batch: Uint8Array) => encodeFrame(MSG.events, batch),
  output: (o: { name: string; addr: number }, bytes: Uint8Array) => {
    const head = json(o);
    return encodeFrame(MSG.output, u32(head.length), head, bytes);
  },
  done: (d: DoneMessage) => encodeFrame(MSG.done, json(d)),
  traceRing: (written: number, bytes: Uint8Array) => encodeFrame(MSG.traceRing, u32(written), bytes),
  error: (e: ErrorMessage) => encodeFrame(MSG.error, json(e)),
};

/** JSON body of a control frame, as an object; anything else is a malformed frame. */
export function jsonBody<T>(f: Frame, what: string, from = 0): T {
  let v: unknown;
  try {
    v = JSON.parse(f.body.subarray(from).toString('utf8'));
  } catch {
    throw new AgentProtocolError('malformed', `malformed ${what} frame: its payload is not JSON`);
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new AgentProtocolError('malformed', `malformed ${what} frame: expected a JSON object`);
  return v as T;
}

export function decodeHello(f: Frame): Hello {
  if (f.body.length < HELLO_MAGIC.length || !f.body.subarray(0, HELLO_MAGIC.length).equals(HELLO_MAGIC)) {
    throw new AgentProtocolError('malformed', 'not a vta-trace agent client: HELLO lacks the protocol magic');
  }
  const h = jsonBody<Hello>(f, 'HELLO', HELLO_MAGIC.length);
  if (typeof h.version !== 'number') throw new AgentProtocolError('malformed', 'malformed HELLO frame: no protocol version');
  return h;
}

/** A frame with a u32-length JSON header followed by binary data (RUN, OUTPUT). */
export function splitHeaded<T>(f: Frame, what: string): { head: T; data: Buffer } {
  if (f.body.length < 4) throw new AgentProtocolError('malformed', `malformed ${what} frame: shorter than its header length`);
  const n = f.body.readUInt32LE(0);
  if (4 + n > f.body.length) throw new AgentProtocolError('malformed', `malformed ${what} frame: header of ${n} bytes runs past the frame`);
  const head = jsonBody<T>({ type: f.type, body: f.body.subarray(4, 4 + n) }, what);
  return { head, data: f.body.subarray(4 + n) };
}

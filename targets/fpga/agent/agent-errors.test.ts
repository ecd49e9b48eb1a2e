/**
 * What the agent and the host side do with everything that is not a well-behaved run: a wrong
 * or missing token, another protocol version, an oversized, truncated or garbage frame, an
 * unknown command, and a board that goes away mid-run. Each gives a typed error (or an ERROR
 * frame) naming what is wrong; the agent goes on serving; earlier runs in the trace database
 * stay intact. The board behind the agent is the simulated register file (fast, no RTL).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import { buildWorkload } from '../../../runtime/workloads/index.js';
import { makeTraceSpec } from '../../../tracer/spec.js';
import { TraceStore } from '../../../tracer/store/trace-store.js';
import { traceRun } from '../../../tracer/trace-run.js';
import { boardProfile } from '../board-profiles.js';
import { AgentAuthError, AgentConfigError, AgentProtocolError, BoardConnectionError } from '../errors.js';
import { AgentClient } from '../host/agent-client.js';
import { FpgaTarget } from '../host/fpga-target.js';
import { FrameReader, encodeFrame, type Frame } from '../protocol/frames.js';
import { MSG, encode } from '../protocol/messages.js';
import { FakeBoard } from '../testing/fake-board.js';
import { AgentServer } from './agent-server.js';

const TOKEN = 'sekrit-1';
const quiet = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };
const bundle = () => buildWorkload('random', { config: resolveConfig('small'), seed: 4 });
const dir = mkdtempSync(join(tmpdir(), 'vta-fpga-err-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const agents: AgentServer[] = [];
afterEach(async () => {
  for (const a of agents.splice(0)) await a.close();
});

async function startAgent(opts: { finishAfter?: number; msPerWait?: number; maxFrameBytes?: number } = {}) {
  const backend = new FakeBoard(boardProfile('de10nano'), { finishAfter: opts.finishAfter ?? 100, msPerWait: opts.msPerWait ?? 0 });
  const agent = await AgentServer.start({ backend, token: TOKEN, ...(opts.maxFrameBytes ? { maxFrameBytes: opts.maxFrameBytes } : {}) });
  agents.push(agent);
  return { agent, backend, endpoint: { board: 'bench-1', ...agent.address, token: TOKEN } };
}

/** Send raw bytes; collect the frames the agent answers with until it closes (or 2 s pass). */
function rawExchange(port: number, ...chunks: Buffer[]): Promise<{ frames: Frame[]; closed: boolean }> {
  return new Promise((res) => {
    const reader = new FrameReader();
    const frames: Frame[] = [];
    const s = connect({ host: '127.0.0.1', port }, () => chunks.forEach((c) => s.write(c)));
    const timer = setTimeout(() => {
      s.destroy();
      res({ frames, closed: false });
    }, 2000);
    s.on('data', (d) => frames.push(...reader.push(d)));
    s.on('error', () => {});
    s.on('close', () => {
      clearTimeout(timer);
      res({ frames, closed: true });
    });
  });
}

const errorOf = (f: Frame) => JSON.parse(f.body.toString('utf8')) as { code: string; message: string };
const hello = (token = TOKEN) => encode.hello({ version: 1, client: 'test', token });

/** The agent still serves a proper client after whatever the test did. */
async function stillServes(endpoint: { board: string; host: string; port: number; token: string }) {
  const t = new FpgaTarget({ name: 'fpga:bench-1', endpoint });
  try {
    const r = await t.run({ bundle: bundle(), sink: quiet });
    expect(r.status, r.message).toBe('ok');
  } finally {
    await t.close();
  }
}

describe('agent handshake', () => {
  it('refuses a wrong token with AgentAuthError and keeps serving', async () => {
    const { endpoint } = await startAgent();
    const err = await AgentClient.connect({ ...endpoint, token: 'guess' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentAuthError);
    expect((err as Error).message).toBe(`board bench-1 (127.0.0.1:${endpoint.port}) refused: wrong token`);
    const { token: _t, ...noToken } = endpoint;
    await expect(AgentClient.connect(noToken)).rejects.toThrow(/refused: this agent requires a token/);
    await stillServes(endpoint);
  });

  it('refuses another protocol version, naming both', async () => {
    const { endpoint } = await startAgent();
    const err = await AgentClient.connect(endpoint, { version: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentProtocolError);
    expect((err as AgentProtocolError).code).toBe('version');
    expect((err as Error).message).toMatch(/protocol version 2 is not supported; this agent speaks version 1/);
  });

  it('will not listen beyond loopback without a token', async () => {
    const backend = new FakeBoard(boardProfile('de10nano'), { finishAfter: 1 });
    await expect(AgentServer.start({ backend, host: '0.0.0.0' })).rejects.toThrow(AgentConfigError);
    await expect(AgentServer.start({ backend, host: '0.0.0.0' })).rejects.toThrow(/refusing to listen on 0.0.0.0 without a token/);
  });
});

describe('bad frames get an ERROR frame, never a crash', () => {
  it('an oversized frame: ERROR frame-too-large, then the agent hangs up', async () => {
    const { agent, endpoint } = await startAgent({ maxFrameBytes: 1 << 20 });
    const head = Buffer.alloc(5);
    head.writeUInt32LE((1 << 20) + 1, 0);
    head[4] = MSG.run;
    const r = await rawExchange(agent.address.port, hello(), head);
    expect(r.frames.map((f) => f.type)).toEqual([MSG.welcome, MSG.error]);
    expect(errorOf(r.frames[1]!)).toEqual({ code: 'frame-too-large', message: `frame of ${(1 << 20) + 1} bytes exceeds the limit of ${1 << 20} bytes` });
    expect(r.closed).toBe(true);
    await stillServes(endpoint);
  });

  it('a garbage connection: ERROR, hang up, agent unharmed', async () => {
    const { agent, endpoint } = await startAgent();
    const r = await rawExchange(agent.address.port, Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n'));
    // "GET " read as a little-endian length is 0x20544547 bytes: far over the limit.
    expect(r.frames.map((f) => [f.type, errorOf(f).code])).toEqual([[MSG.error, 'frame-too-large']]);
    expect(r.closed).toBe(true);
    const r2 = await rawExchange(agent.address.port, encodeFrame(MSG.hello, Buffer.from('{"version":1}')));
    expect(errorOf(r2.frames[0]!)).toEqual({ code: 'malformed', message: 'not a vta-trace agent client: HELLO lacks the protocol magic' });
    const r3 = await rawExchange(agent.address.port, encodeFrame(MSG.run, Buffer.alloc(3)));
    expect(errorOf(r3.frames[0]!).message).toBe(`expected HELLO (type ${MSG.hello}) first, got frame type ${MSG.run}`);
    await stillServes(endpoint);
  });

  it('a truncated frame from the client leaves the agent serving', async () => {
    const { agent, endpoint } = await startAgent();
    const whole = encode.run({ runId: 1, events: false, iters: false }, new Uint8Array(1000));
    const r = await rawExchange(agent.address.port, hello(), whole.subarray(0, 200));
    expect(r.frames.map((f) => f.type)).toEqual([MSG.welcome]); // nothing for half a frame
    await stillServes(endpoint);
  });

  it('an unknown command or a malformed RUN: ERROR frame, the connection stays usable', async () => {
    const { agent } = await startAgent();
    const r = await rawExchange(agent.address.port, hello(), encodeFrame(77, Buffer.from('x')), encodeFrame(MSG.run, Buffer.from([5, 0, 0, 0, 123])), encode.run({ runId: 3, events: false, iters: false }, Buffer.from('not a bundle')), encode.bye());
    expect(r.frames.map((f) => f.type)).toEqual([MSG.welcome, MSG.error, MSG.error, MSG.error]);
    expect(errorOf(r.frames[1]!)).toEqual({ code: 'unknown-command', message: 'unknown frame type 77' });
    expect(errorOf(r.frames[2]!)).toEqual({ code: 'malformed', message: 'malformed RUN frame: header of 5 bytes runs past the frame' });
    expect(errorOf(r.frames[3]!).code).toBe('bad-run');
    expect(r.closed).toBe(true); // by our BYE
  });

  it('a truncated frame from the agent: the run fails naming the board', async () => {
    // A fake agent: answers HELLO with half a WELCOME, then hangs up.
    const server: Server = createServer((s) => s.once('data', () => s.end(encode.welcome({ version: 1, board: 'x', trace: false, counters: [], maxFrameBytes: 1 }).subarray(0, 9))));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const err = await AgentClient.connect({ board: 'half', host: '127.0.0.1', port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BoardConnectionError);
      expect((err as Error).message).toBe(`board half (127.0.0.1:${port}) closed the connection in the middle of a frame (9 bytes of it received)`);
    } finally {
      server.close();
    }
  });

  it('an answer larger than the host accepts fails the run with frame-too-large', async () => {
    const { endpoint } = await startAgent();
    const t = new FpgaTarget({ name: 'fpga:bench-1', endpoint, client: { maxFrameBytes: 64 } });
    try {
      const r = await t.run({ bundle: bundle(), sink: quiet });
      expect(r.status).toBe('crash');
      expect(r.message).toMatch(/^fpga:bench-1: board bench-1 \(127\.0\.0\.1:\d+\): frame of \d+ bytes exceeds the limit of 64 bytes$/);
    } finally {
      await t.close();
    }
  });
});

describe('a board that does not finish', () => {
  it('is a timeout past the run’s wall-clock limit, with the outputs read back', async () => {
    const { endpoint } = await startAgent({ finishAfter: 1e12, msPerWait: 5 });
    const t = new FpgaTarget({ name: 'fpga:bench-1', endpoint });
    try {
      const b = bundle();
      const r = await t.run({ bundle: b, sink: quiet, limits: { timeoutMs: 200 } });
      expect(r.status).toBe('timeout');
      expect(r.message).toMatch(/^fpga:bench-1: not done after 200 ms of wall clock \(\d+ polls\)$/);
      expect(r.outputs.map((o) => o.name)).toEqual(b.outputs.map((o) => o.name));
    } finally {
      await t.close();
    }
  });
});

describe('a board that goes away mid-run', () => {
  it('marks that run crashed, naming the board, and leaves earlier runs in the database intact', async () => {
    const { agent, endpoint } = await startAgent({ finishAfter: 1e12, msPerWait: 5 });
    const store = TraceStore.open(join(dir, 'kill.db'));
    const spec = makeTraceSpec({ mode: 'outputs' });
    const b = bundle();
    try {
      const fsim = await traceRun({ target: (await import('../../fsim/fsim-target.js')).createFsimTarget(), bundle: b, spec, store, handleSigint: false });
      expect(fsim.status).toBe('ok');
      const target = new FpgaTarget({ name: 'fpga:bench-1', endpoint });
      const running = traceRun({ target, bundle: b, spec, store, handleSigint: false });
      await new Promise((r) => setTimeout(r, 150));
      await agent.close(); // the agent goes away with the run in flight
      const lost = await running;
      await target.close();
      expect(lost.status).toBe('crash');
      expect(lost.result.message).toBe(`fpga:bench-1: board bench-1 (127.0.0.1:${endpoint.port}) closed the connection (returned before that: the run's start, 0 output range(s))`);
      expect(target.connectionLost).toBe(true);
    } finally {
      store.close();
    }
    const reopened = TraceStore.open(join(dir, 'kill.db'), { mustExist: true });
    try {
      expect(reopened.runs().map((r) => [r.target, r.status])).toEqual([
        ['fsim', 'ok'],
        ['fpga:bench-1', 'crash'],
      ]);
    } finally {
      reopened.close();
    }
  });
});

/**
 * The fpga target: sends a bundle to a board agent over TCP and turns what comes back —
 * outputs, counters, and whatever trace the board captured — into a RunResult and sink calls,
 * like fsim and tsim do. A board that drops the connection mid-run makes that run a crash whose
 * message names the board; what it returned until then (events, outputs) is kept.
 */
import { encodeBundle } from '../../../runtime/bundle/bundle-file.js';
import type { ProgramBundle } from '../../../runtime/bundle/bundle.js';
import { MODULES, type Module } from '../../../runtime/isa/insn.js';
import { BOARD_RECORD_BYTES, parseBoardRing, type BoardRecord } from '../../../runtime/contract/board-digest.js';
import { DEFAULT_RUN_TIMEOUT_MS, type Counters, type RunRequest, type RunResult, type RunStatus, type Target } from '../../../runtime/contract/target.js';
import { eventForwarder } from '../../tsim/event-forwarder.js';
import { staticCounters, tokenDeadlock, viewProgram, type ProgramView } from '../../tsim/program-view.js';
import { BoardConnectionError } from '../errors.js';
import type { DoneMessage, Started } from '../protocol/messages.js';
import { AgentClient, type ClientOptions, type Endpoint } from './agent-client.js';

/** How long past the run's own wall-clock limit the host waits for the agent's answer. */
const AGENT_GRACE_MS = 30_000;

export interface FpgaTargetOptions {
  /** "fpga", "fpga:<board>". */
  name: string;
  /** Where the agent is; a function for agents started on demand (the local emulated board). */
  endpoint: Endpoint | (() => Promise<Endpoint>);
  client?: ClientOptions;
  /** Called by close() after the connection is closed (stops an agent started for this target). */
  onClose?: () => Promise<void>;
  /**
   * False: never ask the agent for events, as with a board that has no host-side probes — runs
   * bring back outputs, counters and (TRACE_UNIT) the trace unit's records only. Default true.
   */
  probes?: boolean;
}

export class FpgaTarget implements Target {
  readonly name: string;
  private client: AgentClient | undefined;
  private nextRunId = 1;
  /** True once a run lost its connection: a pool takes this board out of rotation. */
  connectionLost = false;
  /** The on-board trace unit's records of the last run (configurations with TRACE_UNIT), oldest first. */
  boardRecords: BoardRecord[] | undefined;

  constructor(private readonly opts: FpgaTargetOptions) {
    this.name = opts.name;
  }

  /**
   * False when this target's runs bring back no events: it asks for none (no-probes), or its
   * board cannot observe the design (WELCOME.trace false: a real board). Undefined before the
   * first handshake. Read by the tracer by shape, so a run of such a board is stored as one
   * without host events even when it stopped before its trace unit's records could be read.
   */
  get sendsEvents(): boolean | undefined {
    if (this.opts.probes === false) return false;
    return this.client?.welcome?.trace;
  }

  /**
   * Whether runs bring back what each LOAD read (WELCOME.reads: the emulated board; a real board
   * cannot see its memory traffic, and the divergence engine leaves the dram.load stream out of
   * comparisons with it). False before the first handshake and without probes.
   */
  get recordsDramReads(): boolean {
    return this.opts.probes !== false && this.client?.welcome?.reads === true;
  }

  /** Connect and handshake now (typed errors for a refused connection, a wrong token, a wrong version). */
  async connect(): Promise<AgentClient> {
    if (this.client?.alive) return this.client;
    const ep = typeof this.opts.endpoint === 'function' ? await this.opts.endpoint() : this.opts.endpoint;
    this.client = await AgentClient.connect(ep, this.opts.client);
    return this.client;
  }

  async run(req: RunRequest): Promise<RunResult> {
    const { bundle, sink, limits = {} } = req;
    const probes = this.opts.probes !== false;
    const view = viewProgram(bundle);
    const retired: Record<Module, number> = { load: 0, compute: 0, store: 0 };
    const outputs: RunResult['outputs'] = [];
    let placed: Started = { runId: 0, deviceBase: 0 };
    const received = { started: false, eventBatches: 0 };
    const forwardEvents = eventForwarder(sink, view, retired, bundle.insnCount, (addr) => bundleAddress(placed, addr));
    const forward = (batch: Buffer) => {
      received.eventBatches++;
      forwardEvents(batch);
    };
    this.boardRecords = undefined;
    let done: DoneMessage | undefined;
    let failure: string | undefined;
    let timedOut = false;
    let timer: NodeJS.Timeout | undefined;
    // The same default as every target's, so that a board or agent that stops answering cannot hold the run forever.
    const timeoutMs = limits.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
    try {
      const client = await this.connect();
      {
        // The agent enforces the limit; this catches an agent or network that stopped answering.
        const ms = timeoutMs + AGENT_GRACE_MS;
        timer = setTimeout(() => {
          timedOut = true;
          client.abort(new BoardConnectionError(`${client.label}: no result within ${ms} ms; connection dropped`));
        }, ms);
      }
      done = await client.run(
        encodeBundle(bundle),
        {
          runId: this.nextRunId++,
          events: probes && sink.wantsEvents,
          iters: probes && sink.wantsIters,
          reads: probes && sink.wantsEvents && sink.wantsReads === true && client.welcome?.reads === true,
          ...(limits.maxCycles !== undefined ? { maxCycles: limits.maxCycles } : {}),
          timeoutMs,
        },
        {
          onStarted: (s) => {
            placed = s;
            received.started = true;
          },
          onEvents: forward,
          onOutput: (o) => outputs.push(o),
          onTraceRing: (written, bytes) => (this.boardRecords = parseBoardRing(bytes, written)),
        },
      );
    } catch (e) {
      if (e instanceof BoardConnectionError && !timedOut) this.connectionLost = true;
      failure = `${(e as Error).message}${returnedSoFar(received, outputs.length, retired)}`;
    } finally {
      clearTimeout(timer);
    }
    const result = this.result(bundle, view, retired, outputs, done, failure);
    return timedOut ? { ...result, status: 'timeout' } : result;
  }

  private result(bundle: ProgramBundle, view: ProgramView, counted: Record<Module, number>, outputs: RunResult['outputs'], done: DoneMessage | undefined, failure: string | undefined): RunResult {
    // The board's own retire counts when it has them; else all of them after a clean finish;
    // else what the events showed.
    const retired: Record<Module, number> = done?.retired
      ? { load: done.retired[0], compute: done.retired[1], store: done.retired[2] }
      : done?.status === 'ok'
        ? { load: view.pcs.load.length, compute: view.pcs.compute.length, store: view.pcs.store.length }
        : counted;
    const counters: Counters = { cycles: done?.counters.cycles ?? 0, ...staticCounters(bundle.params, view, retired) };
    const busy = busyCounters(done?.counters);
    if (busy) counters.busy = busy;
    if (!done) return { status: 'crash', message: `${this.name}: ${failure}`, outputs, counters };
    let status: RunStatus = done.status;
    let message = done.message;
    let blocked: RunResult['blocked'];
    if (status === 'hang') {
      blocked = tokenDeadlock(view, retired);
      if (blocked) {
        status = 'deadlock';
        message = `token deadlock: ${blocked.map((b) => `${b.module} #${b.pc} waits on ${b.queue}`).join(', ')}\n${message ?? ''}`;
      }
    }
    return { status, ...(message !== undefined ? { message: `${this.name}: ${message}` } : {}), ...(blocked ? { blocked } : {}), outputs, counters };
  }

  async close(): Promise<void> {
    const c = this.client;
    this.client = undefined;
    await c?.close();
    await this.opts.onClose?.();
  }
}

/** EVENTS batches (the simulator's record format) into sink calls; the k-th retire of module M is M's k-th instruction. */
/**
 * The board stored at device addresses; the trace speaks the bundle's. The trace unit's ring
 * writes are the board's, not the program's.
 */
function bundleAddress(placed: Started, addr: number): number | undefined {
  const ring = placed.traceRing;
  return ring && addr >= ring.addr && addr < ring.addr + ring.slots * BOARD_RECORD_BYTES ? undefined : addr - placed.deviceBase;
}

/** What a run that broke off had brought back, for its crash message. */
function returnedSoFar(r: { started: boolean; eventBatches: number }, outputs: number, retired: Record<Module, number>): string {
  // A connection refused or a handshake refused: the error says it all.
  if (!r.started) return '';
  const events = r.eventBatches ? `, ${r.eventBatches} event batch(es) with ${retired.load + retired.compute + retired.store} retire(s)` : '';
  return ` (returned before that: the run's start${events}, ${outputs} output range(s))`;
}

function busyCounters(c: Record<string, number> | undefined): Record<Module, number> | undefined {
  if (!c || MODULES.some((m) => c[`busy_${m}`] === undefined)) return undefined;
  return { load: c.busy_load!, compute: c.busy_compute!, store: c.busy_store! };
}

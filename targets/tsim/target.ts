/**
 * The tsim target: runs a bundle on Verilator-built RTL through the harness process and turns
 * what it reports into trace events, outputs, counters and a status (targets/tsim/README.md).
 */
import { prepareOutputFile } from '../../runtime/files/output-path.js';
import { resolve as resolvePath, basename } from 'node:path';
import type { VtaParams } from '../../runtime/config/config.js';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { VtaUserError } from '../../runtime/errors.js';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { MODULES, type Module } from '../../runtime/isa/insn.js';
import { BOARD_RECORD_BYTES, BoardRingError, parseBoardRing, type BoardRecord } from '../../runtime/contract/board-digest.js';
import { DEFAULT_RUN_TIMEOUT_MS, type Counters, type DesignRecord, type RunRequest, type RunResult, type RunStatus, type Target } from '../../runtime/contract/target.js';
import { checkCapabilities, type Capabilities } from '../../runtime/capabilities.js';
import { loadDesign, type Design } from './design.js';
import { ensureBuilt, type BuiltSimulator } from './build.js';
import type { ProbeMap } from './probe-map.js';
import { eventForwarder } from './event-forwarder.js';
import { memClearCmd, memWriteCmd, NO_STATE, type Done } from './protocol.js';
import { mnemonic } from '../../runtime/isa/disasm.js';
import { staticCounters, tokenDeadlock, viewProgram, type ProgramView } from './program-view.js';
import { checkTsimMemory, memoryArgs, memoryLabel, type TsimMemory } from './memory-option.js';
import { ownRtl, rtlSourcesHash, variantChanges, type RtlSpec } from './rtl-source.js';
import { SimProcess } from './sim-process.js';
import { vcrCountersOf, type VcrCounters } from './vcr-counters.js';

export interface TsimOptions {
  /** Fixture config name or path, or params; default: the configuration each bundle carries. */
  config?: string | VtaParams;
  /** A seeded-bug variant of our RTL (fixtures/rtl-variants/<name>/). */
  variant?: string;
  /** A design description file (docs/design-description.md; an RTL description JSON is one). */
  rtl?: string;
  /** Dump an FST waveform of run cycles [from, to) to `file` (default vta-trace-<from>-<to>.fst). */
  wave?: { from: number; to: number; file?: string };
  /** Cycles without any retire, buffer write or memory traffic before a run is declared hung. */
  idleCycles?: number;
  /**
   * Cycles a module with instructions left may sit in its idle state (the probe map's state named
   * IDLE) while nothing else moves, before the run ends as a hang naming its next instruction as
   * never accepted (0 = off). Default DEFAULT_ACCEPT_CYCLES.
   */
  acceptCycles?: number;
  /**
   * Liveness of the simulator process, in wall-clock ms (default DEFAULT_LIVENESS_MS): a process
   * that sends nothing for this long while it uses no CPU or is stopped (SIGSTOP), or — when
   * events are on, which the harness ships at least every 16 384 cycles of progress — sends nothing
   * for this long at all (it spins without progress), is killed and the run is a `hang` with the
   * events it sent: what the harness's own idle watchdog cannot see. With a very large
   * `idleCycles`, raise this too (an idle design then sends nothing for a long time).
   */
  livenessMs?: number;
  /**
   * The memory behind VTAMemDPI (memory-option.ts): in-order (default) or the emulated board,
   * `{ kind: 'emu', seed }`, either with `dma: true` to place the bundle as a board does (VCR base
   * registers non-zero). Chosen when the simulator process starts; the build is the same.
   */
  memory?: TsimMemory;
  /**
   * Where the trace unit keeps its ring on configurations with TRACE_UNIT (others have no unit and
   * ignore it): `slots` records of 16 bytes from `base` (16-byte aligned, clear of the bundle's
   * buffers). Default DEFAULT_TRACE_RING; `false`: no ring (the unit is left unprogrammed). After
   * each run, `boardRecords` holds the records read back.
   */
  traceRing?: { base: number; slots: number } | false;
  /**
   * `+name=value` arguments for the design's $value$plusargs, given when the simulator process
   * starts (vta-trace mutate turns one mutant of an instrumented design on with +vta_mutant=K).
   * Not part of the build: one binary serves every value.
   */
  plusargs?: string[];
}

const DEFAULT_IDLE_CYCLES = 200_000;
/**
 * The trace ring of TRACE_UNIT runs when the caller names none: far above anything the runtime's
 * allocator hands out (buffers from 4 KiB upwards), and as small as a board's might be, 64
 * records: a run of more instructions wraps it, so every such run also checks the unit's
 * wrap-around (a record written outside the ring is a DRAM write no instruction makes; the last
 * 64 records must be in their slots). Only the slots written are read back.
 */
export const DEFAULT_TRACE_RING = { base: 0xf000_0000, slots: 64 } as const;
/**
 * With nothing moving and no memory burst outstanding, a module idle with work left can only be
 * waiting for an instruction that will never be accepted; a few thousand cycles is far beyond any
 * pipeline drain of our RTL (a LOAD's longest gap without a write on emu memory is ~250 cycles).
 */
const DEFAULT_ACCEPT_CYCLES = 2_000;
/** See TsimOptions.livenessMs: far above the longest gap between a live harness's frames. */
export const DEFAULT_LIVENESS_MS = 30_000;
/** The run-cycle cap when the caller gives none: far beyond any test program, but finite. */
const DEFAULT_MAX_CYCLES = 2 ** 40;

export class TsimTarget implements Target {
  readonly name: string;
  private readonly builds = new Map<string, Promise<{ built: BuiltSimulator; spec: RtlSpec }>>();
  /** The design description named by `rtl`, read when the target is made. */
  readonly design: Design | undefined;
  private proc: SimProcess | undefined;
  private readonly fixedParams: VtaParams | undefined;
  private readonly memory: TsimMemory;
  /**
   * The trace unit's records of the last run, oldest first (configurations with TRACE_UNIT), on
   * every run: regress and mutate compare them with fsim's board digests.
   */
  unitRecords: BoardRecord[] | undefined;
  /**
   * The same, only when the caller gave `traceRing`: the tracer then keeps them as the run's board
   * records (trace-run.ts boardEnd) instead of computing them from tsim's events, as it did before
   * every TRACE_UNIT run had a ring (with the default ring's 64 slots they may be the last ones only).
   */
  boardRecords: BoardRecord[] | undefined;
  /** The last run wrote more records than its ring has slots: `boardRecords` are the last ones only. */
  boardRingWrapped = false;
  /** Why the last run's ring could not be read as records (a slot holding the wrong record index), if it could not. */
  boardRingError: string | undefined;
  /**
   * The VCR counters of the last run that ended ok, by the probe map's names (`counters`), and
   * `harnessCycles`, the harness's own count of the run's cycles (targets/tsim/vcr-counters.ts).
   */
  vcrCounters: VcrCounters | undefined;
  /** Whether the last prepared design's probe map says whose read bursts are whose (`reads`): known after prepareRun. */
  recordsDramReads = false;

  constructor(private readonly opts: TsimOptions = {}) {
    if (opts.variant !== undefined && opts.rtl !== undefined) throw new VtaUserError('tsim: give either a variant or an RTL description, not both');
    this.fixedParams = typeof opts.config === 'string' ? resolveConfig(opts.config) : opts.config;
    this.memory = checkTsimMemory(opts.memory ?? { kind: 'in-order' });
    const ring = opts.traceRing || undefined;
    if (ring && (!Number.isInteger(ring.base) || ring.base < 0 || ring.base % 16 !== 0 || ring.base + ring.slots * BOARD_RECORD_BYTES > 2 ** 32 || !Number.isInteger(ring.slots) || ring.slots < 1)) {
      throw new VtaUserError(`tsim: traceRing needs a 16-byte aligned base and at least one slot, all below 4 GiB; got ${JSON.stringify(ring)}`);
    }
    for (const a of opts.plusargs ?? []) if (!/^\+\w+(=\S*)?$/.test(a)) throw new VtaUserError(`tsim: a plusarg is +name or +name=value without spaces, got ${JSON.stringify(a)}`);
    // Unknown variants and unreadable descriptions are errors of the command, before anything runs.
    if (opts.variant !== undefined) variantChanges(opts.variant);
    this.design = opts.rtl !== undefined ? loadDesign(opts.rtl) : undefined;
    // The name as the user wrote it: reports and reproduce lines print it, and it runs as printed.
    const base = opts.variant ? `tsim:${opts.variant}` : opts.rtl ? `tsim=${opts.rtl}` : 'tsim';
    this.name = this.memory.kind === 'in-order' && !this.memory.dma ? base : `${base}@${memoryLabel(this.memory)}`;
  }

  /**
   * Build (or fetch) the simulator for these params and start its process now, so that a later
   * run does not wait for the process to start (diff --wave starts the waveform run's simulator
   * while the diff runs). The process is the one run() then uses.
   */
  async warm(params: VtaParams): Promise<void> {
    await this.process(await this.prepare(params), params);
  }

  /** Change the FST window of later runs; only a target made with `wave` has the FST build. */
  setWave(wave: { from: number; to: number; file?: string }): void {
    if (this.opts.wave === undefined) throw new VtaUserError(`${this.name}: made without a waveform, so its build has none; give wave when making it`);
    (this.opts as { wave?: TsimOptions['wave'] }).wave = wave;
  }

  /** Build (or fetch from the cache) the simulator for these params. */
  async prepare(params?: VtaParams): Promise<BuiltSimulator> {
    return (await this.prepared(params)).built;
  }

  private prepared(params?: VtaParams): Promise<{ built: BuiltSimulator; spec: RtlSpec }> {
    const p = params ?? this.fixedParams ?? resolveConfig('default');
    let b = this.builds.get(p.hash);
    if (!b) {
      b = (async () => {
        const spec: RtlSpec = this.design ? await this.design.rtl(p) : await ownRtl(p, this.opts.variant);
        return { built: await ensureBuilt(spec, p, { wave: this.opts.wave !== undefined }), spec };
      })();
      b.catch(() => this.builds.delete(p.hash));
      this.builds.set(p.hash, b);
    }
    return b;
  }

  /** What the design declares it implements (from its description). */
  get capabilities(): Capabilities | undefined {
    return this.design?.capabilities;
  }

  /** A bundle that needs what the design lacks is refused before it runs (runtime/capabilities.ts). */
  check(bundle: ProgramBundle): void {
    checkCapabilities(bundle, this.design?.capabilities, this.name);
  }

  async prepareRun(bundle: ProgramBundle): Promise<DesignRecord> {
    const { spec, built } = await this.prepared(this.paramsFor(bundle));
    this.recordsDramReads = built.probeMap.reads !== undefined;
    return { label: spec.label, ...(this.design ? { file: this.design.file } : {}), sourcesHash: rtlSourcesHash(spec) };
  }

  /** The trace ring of runs on `params`: none without a trace unit. */
  private ringFor(params: VtaParams): { base: number; slots: number } | undefined {
    if (!params.traceUnit || this.opts.traceRing === false) return undefined;
    return this.opts.traceRing ?? DEFAULT_TRACE_RING;
  }

  private async process(built: BuiltSimulator, params: VtaParams): Promise<SimProcess> {
    if (this.proc && this.proc.alive && this.proc.built.dir === built.dir) return this.proc;
    await this.dropProcess();
    const ring = this.ringFor(params);
    const ringArgs = ring ? ['--trace-ring', `${ring.base}:${ring.slots}`] : [];
    this.proc = (await SimProcess.start(built, [...memoryArgs(this.memory), ...ringArgs, ...(this.opts.plusargs ?? [])])).proc;
    return this.proc;
  }

  private async dropProcess(): Promise<void> {
    const p = this.proc;
    this.proc = undefined;
    if (p) await p.close();
  }

  async run(req: RunRequest): Promise<RunResult> {
    const { bundle, sink, limits = {} } = req;
    const params = this.paramsFor(bundle);
    const built = await this.prepare(params);
    const proc = await this.process(built, params);
    const view = viewProgram(bundle);
    const ring = this.ringFor(params);
    if (ring) {
      const end = ring.base + ring.slots * BOARD_RECORD_BYTES;
      const hit = bundle.buffers.find((b) => b.addr < end && b.addr + b.bytes.length > ring.base);
      if (hit) throw new VtaUserError(`tsim: buffer ${hit.name} [0x${hit.addr.toString(16)}, +${hit.bytes.length}) overlaps the trace ring [0x${ring.base.toString(16)}, 0x${end.toString(16)})`);
    }

    proc.send(memClearCmd());
    for (const b of bundle.buffers) proc.send(memWriteCmd(b.addr, b.bytes));

    const retired: Record<Module, number> = { load: 0, compute: 0, store: 0 };
    const onEvents = eventForwarder(sink, view, retired, bundle.insnCount);
    let timedOut = false;
    const timeoutMs = limits.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS;
    const timer = setTimeout(() => {
      timedOut = true;
      proc.kill();
    }, timeoutMs);
    const watch = watchLiveness(proc, this.opts.livenessMs ?? DEFAULT_LIVENESS_MS, sink.wantsEvents);
    const wave = this.opts.wave;
    const outcome = await proc.run(
      {
        count: bundle.insnCount,
        insnAddr: bundle.insnAddr,
        events: sink.wantsEvents,
        iters: sink.wantsIters,
        reads: sink.wantsEvents && sink.wantsReads === true && built.probeMap.reads !== undefined,
        dramGranule: params.elemBytes.out,
        maxCycles: limits.maxCycles ?? DEFAULT_MAX_CYCLES,
        idleCycles: this.opts.idleCycles ?? DEFAULT_IDLE_CYCLES,
        waveFrom: wave?.from ?? 0,
        waveTo: wave?.to ?? 0,
        wavePath: wave ? prepareOutputFile(resolvePath(wave.file ?? `vta-trace-${wave.from}-${wave.to}.fst`), 'waveform') : '',
        acceptCycles: this.opts.acceptCycles ?? DEFAULT_ACCEPT_CYCLES,
        moduleCount: [view.pcs.load.length, view.pcs.compute.length, view.pcs.store.length],
        idleState: MODULES.map((m) => idleStateOf(built.probeMap, m)) as [number, number, number],
      },
      onEvents,
    );
    clearTimeout(timer);

    let status: RunStatus;
    let message: string | undefined;
    let blocked: RunResult['blocked'];
    let done: Done | undefined;
    if (outcome.kind === 'died' && watch.hung) {
      status = 'hang';
      message = `${watch.hung}; simulator killed. Retired before: load ${retired.load}, compute ${retired.compute}, store ${retired.store} (their events are kept)`;
    } else if (outcome.kind === 'died') {
      status = timedOut ? 'timeout' : 'crash';
      message = timedOut ? `wall-clock limit of ${timeoutMs} ms passed; simulator killed` : outcome.message;
    } else {
      done = outcome.done;
      // The harness counts every retire, also when no events were asked for.
      MODULES.forEach((m, i) => (retired[m] = done!.retired[i]!));
      if (done.status === 'ok') status = 'ok';
      else if (done.status === 'crash') status = 'crash';
      else {
        blocked = tokenDeadlock(view, retired);
        status = blocked ? 'deadlock' : 'hang';
      }
      message = done.status === 'ok' ? undefined : describeStop(done, built.probeMap, blocked, view, retired, params);
    }

    const outputs: RunResult['outputs'] = [];
    this.boardRecords = undefined;
    this.unitRecords = undefined;
    this.boardRingError = undefined;
    this.boardRingWrapped = false;
    this.vcrCounters = undefined;
    try {
      if (proc.alive && status !== 'crash') {
        for (const o of bundle.outputs) outputs.push({ name: o.name, addr: o.addr, bytes: await proc.memRead(o.addr, o.size) });
        if (ring) {
          // One record per retire, unless the unit dropped some (then parsing names the gap).
          // Before the ring wraps only the slots written are read (record k is in slot k).
          const written = MODULES.reduce((n, m) => n + retired[m], 0);
          const slots = Math.max(1, Math.min(written, ring.slots));
          this.boardRingWrapped = written > ring.slots;
          try {
            this.unitRecords = parseBoardRing(await proc.memRead(ring.base, slots * BOARD_RECORD_BYTES), written);
            if (this.opts.traceRing) this.boardRecords = this.unitRecords;
          } catch (e) {
            if (!(e instanceof BoardRingError)) throw e;
            this.boardRingError = e.message;
          }
        }
      }
    } catch (e) {
      // A process that stops answering after its run (the liveness watch killed it) ends as a hang.
      if (!watch.hung) throw e;
      status = 'hang';
      message = `${watch.hung} while its outputs were read back; simulator killed`;
    } finally {
      watch.stop();
    }
    // After anything but a clean finish the design's state is unknown: start afresh next time.
    if (status !== 'ok') await this.dropProcess();
    // What the design printed ($fatal text, assertion messages) explains a crash best.
    if (status === 'crash' && proc.output.length) message = `${message}\n${proc.output.join('\n')}`;

    const counters: Counters = {
      cycles: done ? (done.status === 'ok' ? done.vcrCycles : done.cycles) : 0,
      ...staticCounters(params, view, retired),
    };
    const busy = busyCounters(built.probeMap, done);
    if (busy) counters.busy = busy;
    if (done && done.status === 'ok') this.vcrCounters = vcrCountersOf(built.probeMap, done, built.dataBits, params.traceUnit);
    return { status, ...(message !== undefined ? { message } : {}), ...(blocked ? { blocked } : {}), outputs, counters };
  }

  private paramsFor(bundle: ProgramBundle): VtaParams {
    const fixed = this.fixedParams;
    if (fixed && fixed.hash !== bundle.params.hash) {
      throw new VtaUserError(`tsim: the bundle was built for configuration ${bundle.params.bitstream}, the target for ${fixed.bitstream}`);
    }
    return bundle.params;
  }

  async close(): Promise<void> {
    await this.dropProcess();
  }
}

/**
 * Watch a simulator process from the outside while it should be working (see
 * TsimOptions.livenessMs); kill it, saying why in `hung`, when it is not.
 */
function watchLiveness(proc: SimProcess, limitMs: number, eventsOn: boolean): { hung: string | undefined; stop(): void } {
  const since = Date.now();
  let cpu = proc.processState()?.cpuTicks;
  let cpuAt = since;
  const w = { hung: undefined as string | undefined, stop: () => clearInterval(timer) };
  const timer = setInterval(
    () => {
      const now = Date.now();
      const st = proc.processState();
      if (!st) return; // exited: the run's own outcome says how
      if (st.cpuTicks !== cpu) {
        cpu = st.cpuTicks;
        cpuAt = now;
      }
      const silent = now - Math.max(proc.lastReplyAt, since);
      if (silent < limitMs) return;
      const stopped = st.state === 'T' || st.state === 't';
      if (stopped) w.hung = `simulator process stopped (state ${st.state}, e.g. SIGSTOP) and sent nothing for ${silent} ms`;
      else if (now - cpuAt >= limitMs) w.hung = `simulator process used no CPU and sent nothing for ${silent} ms (state ${st.state})`;
      else if (eventsOn) w.hung = `simulator process sent nothing for ${silent} ms while using CPU (state ${st.state}): it spins without progress (a live harness sends events at least every 16384 cycles that retire or write something)`;
      else return;
      w.stop();
      proc.kill();
    },
    Math.max(20, Math.min(1000, limitMs / 4)),
  );
  return w;
}

/** Turns EVENTS batches into sink calls: the k-th retire of module M is M's k-th instruction. */
/** The harness's stop report with state values named from the probe map. */
function describeStop(done: Done, map: ProbeMap, blocked: RunResult['blocked'], view: ProgramView, retired: Record<Module, number>, params: VtaParams): string {
  const lines = done.message
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const u = /^unaccepted (load|compute|store)$/.exec(l);
      if (u) {
        // The module's next instruction is the one after the ones it retired.
        const m = u[1] as Module;
        const pc = view.pcs[m][retired[m]];
        const insn = pc === undefined ? undefined : view.insns[pc];
        return `${m} never accepted #${pc ?? '?'} ${insn ? mnemonic(params, insn) : '(undecodable)'} (idle with it waiting while nothing else moved)`;
      }
      const m = /^state (\w+) (0x[0-9a-f]+)$/.exec(l);
      if (!m) return l;
      const names = map.state[m[1] as Module]?.names;
      const name = names?.[String(parseInt(m[2]!, 16))];
      return name ? `state ${m[1]} ${name} (${m[2]})` : l;
    });
  if (blocked) lines.unshift(`token deadlock: ${blocked.map((b) => `${b.module} #${b.pc} waits on ${b.queue}`).join(', ')}`);
  return lines.join('\n');
}

/** The value of a module's state signal that the probe map names IDLE, or NO_STATE. */
function idleStateOf(map: ProbeMap, m: Module): number {
  const names = map.state[m]?.names ?? {};
  const hit = Object.entries(names).find(([, n]) => n.toUpperCase() === 'IDLE');
  return hit ? Number(hit[0]) : NO_STATE;
}

function busyCounters(map: ProbeMap, done: Done | undefined): Record<Module, number> | undefined {
  if (!done || done.status !== 'ok') return undefined;
  const busy: Partial<Record<Module, number>> = {};
  map.counters.forEach((c, i) => {
    const m = /^busy_(load|compute|store)$/.exec(c.name);
    if (m) busy[m[1] as Module] = done.extra[i] ?? 0;
  });
  return MODULES.every((m) => busy[m] !== undefined) ? (busy as Record<Module, number>) : undefined;
}

export function createTsimTarget(opts: TsimOptions = {}): TsimTarget {
  return new TsimTarget(opts);
}

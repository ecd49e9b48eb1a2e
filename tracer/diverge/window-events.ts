/**
 * Phase 2's input: the canonical events of one run in a window of instructions, re-read from
 * the database when the run stored them, otherwise obtained by re-running the run's target on
 * its bundle at full detail but only inside the window.
 */
import { STREAMS, STREAM_ID, type Stream } from '../../runtime/contract/events.js';
import type { EventGroup } from '../recorder.js';
import { digestsStream, makeTraceSpec, parseSpecDescription, storesStream, type TraceSpec, type Window } from '../spec.js';
import type { BundleInfo } from '../store/bundle-record.js';
import type { RunRow, TraceStore } from '../store/trace-store.js';

export interface RerunRequest {
  run: RunRow;
  bundle: BundleInfo;
  /** Full-detail spec narrowed to the window (and to the run's digest scope). */
  spec: TraceSpec;
}
/** Supplied by callers that can create targets (the CLI, regression); undefined result = cannot. */
export type Rerun = (req: RerunRequest) => Promise<EventGroup[] | undefined>;

/** One canonical event, keyed for comparison. */
export interface WindowEvent {
  stream: Stream;
  pc: number;
  addr: number;
  cycle: number;
  data: Uint8Array;
}

export interface RunWindow {
  events: WindowEvent[];
  source: 'stored' | 're-run';
  /** The streams `events` covers completely (a subset of the compared streams when only part was stored). */
  streams: Stream[];
  /** Why the window could not be re-run, when a re-run was needed and failed. */
  rerunFailed?: string;
  /**
   * The window's dram.load events (what its LOADs read), when the run has them completely: its
   * target reports reads (runs.dram_reads) and they were stored or re-run. Absent otherwise.
   */
  reads?: WindowEvent[];
}

/** Whether a run can give its LOADs' DRAM reads (its target reports them). */
const readsKnown = (run: RunRow) => run.dramReads === true;

/** Streams phase 2 compares: the ones the digests cover (so phase 2 explains what phase 1 saw). */
export function comparedStreams(spec: TraceSpec): Stream[] {
  return STREAMS.filter((s) => s !== 'gemm.iter' && s !== 'alu.iter' && digestsStream(spec, s));
}

export function flatten(groups: EventGroup[]): WindowEvent[] {
  const out: WindowEvent[] = [];
  for (const g of groups) {
    const isRetire = STREAM_ID[g.stream] <= STREAM_ID['insn.store'];
    for (let i = 0; i < g.addrs.length; i++) {
      out.push({
        stream: g.stream,
        pc: g.pc,
        addr: isRetire ? -1 : g.addrs[i]!,
        cycle: g.cycles[i]!,
        data: g.data.subarray(i * g.elemLen, (i + 1) * g.elemLen),
      });
    }
  }
  return out;
}

export async function windowEvents(store: TraceStore, run: RunRow, bundle: BundleInfo, win: Window, rerun?: Rerun): Promise<RunWindow> {
  const spec = parseSpecDescription(run.spec);
  const wanted = comparedStreams(spec);
  const windowStored = spec.insn.from <= win.from && spec.insn.to >= win.to && spec.cycles.from === 0 && !Number.isFinite(spec.cycles.to);
  const storedStreams = windowStored ? wanted.filter((s) => storesStream(spec, s)) : [];
  const readsStored = windowStored && readsKnown(run) && storesStream(spec, 'dram.load');
  const readStored = (): RunWindow => ({
    events: storedStreams.length ? flatten(store.eventGroups(run.id, { pcFrom: win.from, pcTo: win.to, streams: storedStreams })) : [],
    source: 'stored',
    streams: storedStreams,
    ...(readsStored ? { reads: flatten(store.eventGroups(run.id, { pcFrom: win.from, pcTo: win.to, streams: ['dram.load'] })) } : {}),
  });
  // Reads alone never cost a re-run: a run stored without them is compared without them.
  if (storedStreams.length === wanted.length) return readStored();
  // Part or none stored: a re-run gives everything; without one, what is stored may still explain it.
  let failed: string | undefined;
  const fromRerun = rerun
    ? await rerunWindow(rerun, run, bundle, spec, wanted, win).catch((e: Error) => {
        failed = e.message;
        return undefined;
      })
    : undefined;
  return fromRerun ?? { ...readStored(), ...(failed !== undefined ? { rerunFailed: failed } : {}) };
}

async function rerunWindow(rerun: Rerun, run: RunRow, bundle: BundleInfo, spec: TraceSpec, wanted: Stream[], win: Window): Promise<RunWindow | undefined> {
  const reads = readsKnown(run);
  const detail = makeTraceSpec({
    mode: 'sram',
    kinds: reads ? [...wanted, 'dram.load'] : wanted,
    buffers: spec.buffers ? [...spec.buffers] : undefined,
    insn: win,
  });
  const groups = await rerun({ run, bundle, spec: detail });
  if (!groups) return undefined;
  const keep = new Set(wanted);
  const inWin = groups.filter((g) => g.pc >= win.from && g.pc < win.to);
  return {
    events: flatten(inWin.filter((g) => keep.has(g.stream))),
    source: 're-run',
    streams: wanted,
    ...(reads ? { reads: flatten(inWin.filter((g) => g.stream === 'dram.load')) } : {}),
  };
}

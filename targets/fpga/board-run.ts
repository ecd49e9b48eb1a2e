/**
 * One bundle on one board, agent side: place the DRAM image in device memory, run the shared
 * launch sequence, read back the output ranges. Used by the agent for every backend.
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import type { Backend, RunCapture } from './backend.js';
import { launchAndWait } from './launch-sequence.js';

/** One trace-unit record: u32 pc, module, digest, index (runtime/contract/board-digest.ts). */
const RECORD_BYTES = 16;

export type BoardRunStatus = 'ok' | 'hang' | 'timeout' | 'crash';

export interface BoardRunLimits {
  maxCycles?: number;
  idleCycles?: number;
  timeoutMs?: number;
}

export interface BoardRunResult {
  status: BoardRunStatus;
  message?: string;
  /** Device address of the bundle's address 0 (trace addresses of dram.store are device addresses). */
  deviceBase: number;
  /** Named counters (`cycles` first) as the board reported them. */
  counters: Record<string, number>;
  retired?: [number, number, number];
  polls: number;
}

export interface BoardRunCallbacks extends RunCapture {
  /** Called once the image is placed, before launch; `traceRing` where the trace unit's records go. */
  onPlaced?(deviceBase: number, traceRing?: { addr: number; slots: number }): void;
  /** The trace unit's ring after the run: how many records it wrote, and the ring's bytes. */
  onTraceRing?(written: number, bytes: Uint8Array): void;
  /** Each output range as it is read back. */
  onOutput?(o: { name: string; addr: number; bytes: Uint8Array }): void;
}

/**
 * Of the first `written` records of a ring that did not wrap (one slot per instruction), how many
 * are in memory: record k carries its index k in its last word. After a stop the count can run
 * ahead of memory when the stop also stalled the writes (a slot never written reads as zeros).
 */
export function recordsLanded(ring: Uint8Array, written: number): number {
  const dv = new DataView(ring.buffer, ring.byteOffset, ring.byteLength);
  const slots = Math.floor(ring.length / RECORD_BYTES);
  let k = 0;
  while (k < Math.min(written, slots) && dv.getUint32(k * RECORD_BYTES + 12, true) === k) k++;
  return k;
}

/** Smallest power of two ≥ the bundle's highest address: the region's size and alignment. */
export function regionSizeFor(bundle: ProgramBundle): number {
  let end = 0x1000;
  for (const b of bundle.buffers) end = Math.max(end, b.addr + b.bytes.length);
  for (const o of bundle.outputs) end = Math.max(end, o.addr + o.size);
  return 2 ** Math.ceil(Math.log2(end));
}

export async function runOnBoard(backend: Backend, bundle: ProgramBundle, limits: BoardRunLimits, cb: BoardRunCallbacks): Promise<BoardRunResult> {
  await backend.prepare(bundle.params);
  const size = regionSizeFor(bundle);
  // A trace unit gets one ring slot per instruction (nothing wraps), right after the image.
  const slots = bundle.params.traceUnit && backend.profile.shell.kind === 'vcr' ? Math.max(1, bundle.insnCount) : 0;
  const region = await backend.begin(size + slots * RECORD_BYTES, size, cb);
  const base = region.deviceAddr;
  const traceRing = slots ? { addr: base + size, slots } : undefined;
  try {
    for (const b of bundle.buffers) await backend.writeMem(base + b.addr, b.bytes);
    if (traceRing) await backend.writeMem(traceRing.addr, new Uint8Array(slots * RECORD_BYTES));
    cb.onPlaced?.(base, traceRing);
    const out = await launchAndWait(backend, { insnCount: bundle.insnCount, insnAddr: base + bundle.insnAddr, dataBase: base, ...limits, ...(traceRing ? { traceRing } : {}) });
    const end = await backend.end(out.status === 'ok');
    // Outputs also after a hang or timeout: what the design wrote so far helps the diagnosis.
    for (const o of bundle.outputs) cb.onOutput?.({ name: o.name, addr: o.addr, bytes: await backend.readMem(base + o.addr, o.size) });
    // The ring after any run the trace unit took part in; after a hang or timeout it holds the
    // records written until the stop, which name the instruction where the board stopped.
    const written = out.counters.trace_written;
    if (traceRing && written !== undefined) {
      const ring = await backend.readMem(traceRing.addr, slots * RECORD_BYTES);
      cb.onTraceRing?.(out.status === 'ok' ? written : recordsLanded(ring, written), ring);
    }
    return {
      status: out.status,
      ...(out.message !== undefined ? { message: out.message } : {}),
      deviceBase: base,
      counters: out.counters,
      ...(end.retired ? { retired: end.retired } : {}),
      polls: out.polls,
    };
  } catch (e) {
    await backend.abandon();
    return { status: 'crash', message: (e as Error).message, deviceBase: base, counters: {}, polls: 0 };
  }
}

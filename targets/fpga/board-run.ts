/**
 * One bundle on one board, agent side: place the DRAM image in device memory, run the shared
 * launch sequence, read back the output ranges. Used by the agent for every backend.
 */
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import type { Backend, RunCapture } from './backend.js';
import { launchAndWait } from './launch-sequence.js';

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
  /** Called once the image is placed, before launch. */
  onPlaced?(deviceBase: number): void;
  /** Each output range as it is read back. */
  onOutput?(o: { name: string; addr: number; bytes: Uint8Array }): void;
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
  const region = await backend.begin(size, size, cb);
  const base = region.deviceAddr;
  try {
    for (const b of bundle.buffers) await backend.writeMem(base + b.addr, b.bytes);
    cb.onPlaced?.(base);
    const out = await launchAndWait(backend, { insnCount: bundle.insnCount, insnAddr: base + bundle.insnAddr, dataBase: base, ...limits });
    const end = await backend.end(out.status === 'ok');
    // Outputs also after a hang or timeout: what the design wrote so far helps the diagnosis.
    for (const o of bundle.outputs) cb.onOutput?.({ name: o.name, addr: o.addr, bytes: await backend.readMem(base + o.addr, o.size) });
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

/**
 * The one register sequence every board runs, written once against the Backend interface:
 * program the registers in the order the upstream driver for the board's shell does
 * (vta-isa.md §6.4), poll for completion with the device running between polls, then read the
 * counters. The emulated board runs exactly this code in CI; Pynq and DE10-Nano run it on
 * hardware.
 *
 * One deliberate difference from upstream: upstream writes 0 to the data base pointers because
 * its runtime patches absolute physical addresses into the instructions. A bundle's addresses
 * are its own (page 1 upward), so the pointers carry the device address of the region the
 * bundle was placed in. The Chisel VCR ORs them into data addresses and the HLS design adds
 * them; the region is aligned to a power of two at least as large as the bundle's address span,
 * so both mean the same.
 */
import type { Backend } from './backend.js';
import { HLS_BLOCK, type VcrShell } from './board-profiles.js';

export const VCR = { ctrl: 0x00, cycles: 0x04, count: 0x08, insnAddr: 0x0c, ptrFirst: 0x10, ptrLast: 0x20 } as const;
/** The on-board trace unit's registers (configurations with TRACE_UNIT; targets/tsim/rtl/README.md). */
export const TRACE_RING = { base: 0x44, slots: 0x48, written: 0x4c, dropped: 0x50 } as const;
/** HLS register offsets within each block (pynq_driver.h). */
export const HLS = {
  control: 0x00,
  fetchCount: 0x10,
  fetchAddr: 0x18,
  loadInp: 0x10,
  loadWgt: 0x18,
  computeDoneRead: 0x18,
  computeUop: 0x20,
  computeBias: 0x28,
  storeOut: 0x10,
  start: 0x1,
  autorestart: 0x81,
  done: 0x1,
} as const;

export interface LaunchRequest {
  insnCount: number;
  /** Device address of the instruction stream. */
  insnAddr: number;
  /** Device address that the bundle's address 0 maps to (written to the data base pointers). */
  dataBase: number;
  /** A run still polling after this many device cycles is a hang (backends that count cycles). */
  maxCycles?: number;
  /** This many consecutive cycles without activity is a hang (backends that can tell). */
  idleCycles?: number;
  /** Wall-clock limit of the whole sequence. */
  timeoutMs?: number;
  /** VCR with a trace unit: where its ring of 16-byte records goes (device address, slots). */
  traceRing?: { addr: number; slots: number };
}

export type LaunchStatus = 'ok' | 'hang' | 'timeout';

export interface LaunchOutcome {
  status: LaunchStatus;
  message?: string;
  /** Cycles from launch to finish as the device counted them (0 where the shell has no counter). */
  cycles: number;
  /** Named counters read after completion (VCR user counters). */
  counters: Record<string, number>;
  polls: number;
}

/**
 * Poll intervals in device cycles: short at first (short programs), doubling up to the cap. The
 * cap bounds how far past done a poll can land (≤ 16384 cycles, 164 µs at 100 MHz) and how many
 * polls a long run costs (on the emulated board each is a round trip to the simulator, which on
 * a loaded machine costs a scheduling delay: 4096 made a 1M-cycle run take 512 round trips).
 */
const FIRST_WAIT = 32;
const MAX_WAIT = 16384;
/** Upstream's pynq driver waits about 1 µs after start before it polls. */
const HLS_START_WAIT = 100;

export async function launchAndWait(backend: Backend, req: LaunchRequest): Promise<LaunchOutcome> {
  const shell = backend.profile.shell;
  if (shell.kind === 'vcr') await programVcr(backend, req);
  else await programHls(backend, req);
  const polled = await pollUntilDone(backend, req, shell.kind === 'vcr' ? vcrDone : hlsDone);
  if (polled.status !== 'ok') {
    // The records the trace unit wrote before the run stopped say how far each module got (board-run.ts sends them).
    const counters = shell.kind === 'vcr' && req.traceRing ? await ringCountsAfterStop(backend) : {};
    return { ...polled, cycles: 0, counters };
  }
  const counters = shell.kind === 'vcr' ? await readVcrCounters(backend, shell) : {};
  let polls = polled.polls;
  if (shell.kind === 'vcr' && req.traceRing) {
    // The unit's last records leave after FINISH: wait until every instruction's record is
    // written or dropped.
    const ring = await pollUntilDone(backend, req, async (b) => (await b.readReg(TRACE_RING.written)) + (await b.readReg(TRACE_RING.dropped)) >= req.insnCount);
    polls += ring.polls;
    if (ring.status !== 'ok') return { status: ring.status, message: `trace ring: ${ring.message}`, polls, cycles: counters.cycles ?? 0, counters };
    counters.trace_written = await backend.readReg(TRACE_RING.written);
    counters.trace_dropped = await backend.readReg(TRACE_RING.dropped);
  }
  return { status: 'ok', polls, cycles: counters.cycles ?? 0, counters };
}

/**
 * Cycles the device runs after a stopped run's record count is read and before the ring is:
 * a record counts as written once its last piece is sent, and the write may still be in flight
 * (the emulated board's memory delays writes by up to a few hundred cycles).
 */
export const RING_DRAIN_CYCLES = 4096;

/**
 * After a hang or timeout: how many records the trace unit had written (and dropped), read
 * before letting the in-flight writes land. Best effort: a device that no longer answers gives
 * no counts (and so no ring), and the run keeps its own status.
 */
async function ringCountsAfterStop(b: Backend): Promise<Record<string, number>> {
  try {
    const counts = { trace_written: await b.readReg(TRACE_RING.written), trace_dropped: await b.readReg(TRACE_RING.dropped) };
    await b.wait(RING_DRAIN_CYCLES);
    return counts;
  } catch {
    return {};
  }
}

/** DE10-Nano / tsim order: clear the cycle counter, count, address, pointers, then launch. */
async function programVcr(b: Backend, req: LaunchRequest): Promise<void> {
  await b.writeReg(VCR.cycles, 0);
  await b.writeReg(VCR.count, req.insnCount);
  await b.writeReg(VCR.insnAddr, req.insnAddr);
  for (let r: number = VCR.ptrFirst; r <= VCR.ptrLast; r += 4) await b.writeReg(r, req.dataBase);
  if (req.traceRing) {
    await b.writeReg(TRACE_RING.base, req.traceRing.addr);
    await b.writeReg(TRACE_RING.slots, req.traceRing.slots);
  }
  await b.writeReg(VCR.ctrl, 1);
}

/** Pynq order: count and address, the five base registers, then start fetch and auto-restart the rest. */
async function programHls(b: Backend, req: LaunchRequest): Promise<void> {
  await b.writeReg(HLS_BLOCK.fetch + HLS.fetchCount, req.insnCount);
  await b.writeReg(HLS_BLOCK.fetch + HLS.fetchAddr, req.insnAddr);
  await b.writeReg(HLS_BLOCK.load + HLS.loadInp, req.dataBase);
  await b.writeReg(HLS_BLOCK.load + HLS.loadWgt, req.dataBase);
  await b.writeReg(HLS_BLOCK.compute + HLS.computeUop, req.dataBase);
  await b.writeReg(HLS_BLOCK.compute + HLS.computeBias, req.dataBase);
  await b.writeReg(HLS_BLOCK.store + HLS.storeOut, req.dataBase);
  await b.writeReg(HLS_BLOCK.fetch + HLS.control, HLS.start);
  await b.writeReg(HLS_BLOCK.load + HLS.control, HLS.autorestart);
  await b.writeReg(HLS_BLOCK.compute + HLS.control, HLS.autorestart);
  await b.writeReg(HLS_BLOCK.store + HLS.control, HLS.autorestart);
  await b.wait(HLS_START_WAIT);
}

async function vcrDone(b: Backend): Promise<boolean> {
  return ((await b.readReg(VCR.ctrl)) & 2) !== 0;
}

async function hlsDone(b: Backend): Promise<boolean> {
  return (await b.readReg(HLS_BLOCK.compute + HLS.computeDoneRead)) === HLS.done;
}

async function pollUntilDone(
  b: Backend,
  req: LaunchRequest,
  done: (b: Backend) => Promise<boolean>,
): Promise<{ status: LaunchStatus; message?: string; polls: number }> {
  const started = Date.now();
  let interval = FIRST_WAIT;
  for (let polls = 1; ; polls++) {
    if (await done(b)) return { status: 'ok', polls };
    if (req.timeoutMs !== undefined && Date.now() - started > req.timeoutMs) {
      return { status: 'timeout', polls, message: `not done after ${req.timeoutMs} ms of wall clock (${polls} polls)` };
    }
    const w = await b.wait(interval);
    interval = Math.min(interval * 2, MAX_WAIT);
    if (req.idleCycles !== undefined && w.idleCycles !== undefined && w.idleCycles >= req.idleCycles) {
      return { status: 'hang', polls, message: `no retire, buffer write or memory traffic for ${w.idleCycles} cycles (cycle ${w.cycle ?? '?'}); done never set` };
    }
    if (req.maxCycles !== undefined && w.cycle !== undefined && w.cycle >= req.maxCycles) {
      return { status: 'hang', polls, message: `cycle limit ${req.maxCycles} reached (cycle ${w.cycle}); done never set` };
    }
  }
}

async function readVcrCounters(b: Backend, shell: VcrShell): Promise<Record<string, number>> {
  const counters: Record<string, number> = { cycles: await b.readReg(VCR.cycles) };
  for (const c of shell.counters) counters[c.name] = await b.readReg(c.offset);
  return counters;
}

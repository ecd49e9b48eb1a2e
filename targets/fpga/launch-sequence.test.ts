/**
 * The shared register sequence against a simulated register file. Expected sequences are
 * written out by hand from vta-isa.md §6.4 (the upstream de10nano/tsim and pynq drivers), with
 * the one documented change: the data base pointers carry the region's device address.
 */
import { describe, expect, it } from 'vitest';
import { boardProfile } from './board-profiles.js';
import { launchAndWait } from './launch-sequence.js';
import { FakeBoard } from './testing/fake-board.js';

const req = { insnCount: 46, insnAddr: 0x90001000, dataBase: 0x90000000 };

describe('launch sequence on a VCR shell (DE10-Nano, emulated board)', () => {
  it('programs count, address and pointers before launch, polls CTRL until done, then reads the counters', async () => {
    const board = new FakeBoard(boardProfile('de10nano'), { finishAfter: 100, counterValues: { 0x24: 7 } });
    const out = await launchAndWait(board, { ...req, idleCycles: 1000 });
    expect(out.status).toBe('ok');
    expect(out.cycles).toBe(100);
    expect(out.counters).toEqual({ cycles: 100, acc_writes: 7 });
    // Polls at 0, 32 and 96 waited cycles find it running; after 128 more (224 ≥ 100) it is done.
    expect(out.polls).toBe(4);
    expect(board.registerLog()).toEqual([
      ['write', 0x04, 0],
      ['write', 0x08, 46],
      ['write', 0x0c, 0x90001000],
      ['write', 0x10, 0x90000000],
      ['write', 0x14, 0x90000000],
      ['write', 0x18, 0x90000000],
      ['write', 0x1c, 0x90000000],
      ['write', 0x20, 0x90000000],
      ['write', 0x00, 1],
      ['read', 0x00, 1],
      ['read', 0x00, 1],
      ['read', 0x00, 1],
      ['read', 0x00, 2],
      ['read', 0x04, 100],
      ['read', 0x24, 7],
    ]);
    expect(board.log.filter((a) => a.op === 'wait')).toEqual([
      { op: 'wait', cycles: 32 },
      { op: 'wait', cycles: 64 },
      { op: 'wait', cycles: 128 },
    ]);
  });

  it('reads every counter the board lists, in order', async () => {
    const counters = [
      { name: 'acc_writes', offset: 0x24 },
      { name: 'busy_load', offset: 0x28 },
    ];
    const board = new FakeBoard(boardProfile('emu', counters), { finishAfter: 1, counterValues: { 0x24: 3, 0x28: 9 } });
    const out = await launchAndWait(board, req);
    expect(out.counters).toEqual({ cycles: 1, acc_writes: 3, busy_load: 9 });
    expect(board.registerLog().slice(-3)).toEqual([
      ['read', 0x04, 1],
      ['read', 0x24, 3],
      ['read', 0x28, 9],
    ]);
  });

  it('with a trace unit: programs the ring before launch, then waits until every record is written or dropped', async () => {
    const board = new FakeBoard(boardProfile('emu', []), { finishAfter: 1, counterValues: { 0x4c: 40, 0x50: 6 } });
    const out = await launchAndWait(board, { ...req, traceRing: { addr: 0x90004000, slots: 46 } });
    expect(out.status).toBe('ok');
    expect(out.counters).toEqual({ cycles: 1, trace_written: 40, trace_dropped: 6 });
    const log = board.registerLog();
    expect(log.slice(8, 11)).toEqual([
      ['write', 0x44, 0x90004000],
      ['write', 0x48, 46],
      ['write', 0x00, 1],
    ]);
    expect(log.slice(-4)).toEqual([
      ['read', 0x4c, 40],
      ['read', 0x50, 6],
      ['read', 0x4c, 40],
      ['read', 0x50, 6],
    ]);
  });

  it('calls a design that never finishes and stays idle a hang, without reading counters', async () => {
    const board = new FakeBoard(boardProfile('de10nano'), { finishAfter: Infinity });
    const out = await launchAndWait(board, { ...req, idleCycles: 5000 });
    expect(out.status).toBe('hang');
    expect(out.message).toMatch(/no retire.*for \d+ cycles/);
    // 32+64+…+4096 = 8160 ≥ 5000 after the 8th wait: 8 polls.
    expect(out.polls).toBe(8);
    expect(board.registerLog().every(([op, off]) => op === 'write' || off === 0x00)).toBe(true);
  });

  it('stops at the cycle limit', async () => {
    const board = new FakeBoard(boardProfile('de10nano'), { finishAfter: 10_000 });
    const out = await launchAndWait(board, { ...req, maxCycles: 200 });
    expect(out.status).toBe('hang');
    expect(out.message).toMatch(/cycle limit 200/);
  });
});

describe('launch sequence on the HLS shell (Pynq)', () => {
  it('writes count and address to fetch, the five base registers, starts fetch and auto-restarts load, compute, store, then polls compute done', async () => {
    const board = new FakeBoard(boardProfile('pynq'), { finishAfter: 150 });
    const out = await launchAndWait(board, req);
    expect(out.status).toBe('ok');
    expect(out.counters).toEqual({});
    expect(out.cycles).toBe(0); // the HLS design has no cycle counter
    expect(board.registerLog()).toEqual([
      ['write', 0x0010, 46],
      ['write', 0x0018, 0x90001000],
      ['write', 0x1010, 0x90000000],
      ['write', 0x1018, 0x90000000],
      ['write', 0x2020, 0x90000000],
      ['write', 0x2028, 0x90000000],
      ['write', 0x3010, 0x90000000],
      ['write', 0x0000, 0x1],
      ['write', 0x1000, 0x81],
      ['write', 0x2000, 0x81],
      ['write', 0x3000, 0x81],
      // 100-cycle start wait, then polls after 32 and 64 more (196 ≥ 150 → done at the third).
      ['read', 0x2018, 0],
      ['read', 0x2018, 0],
      ['read', 0x2018, 1],
    ]);
    expect(board.log.find((a) => a.op === 'wait')).toEqual({ op: 'wait', cycles: 100 });
  });
});

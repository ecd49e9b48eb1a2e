/**
 * The harness end to end, on the tiny stand-in design (testing/tiny-rtl.ts): DPI host and memory
 * paths, event attribution, outputs, counters, and the hang / deadlock / crash / timeout statuses.
 * Expected values come from the design's documented behaviour and the event semantics of
 * fixtures/probe-maps/README.md, never from the harness's own output.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { encodeProgram } from '../../runtime/isa/codec.js';
import type { Insn } from '../../runtime/isa/insn.js';
import { createTsimTarget, type TsimTarget } from './target.js';
import { bundleOf, finishInsn, gemmInsn, memInsn, OUT_ADDR, RecordingSink } from './testing/bundles.js';
import { writeTinyRtl } from './testing/tiny-rtl.js';

const params = resolveConfig('default');
const rtl = writeTinyRtl(mkdtempSync(join(tmpdir(), 'tsim-tiny-')));
let target: TsimTarget;

beforeAll(async () => {
  target = createTsimTarget({ rtl, idleCycles: 2000 });
  await target.prepare(params);
}, 300_000);
afterAll(async () => target.close());

const program: Insn[] = [
  memInsn(0, 2, { x_size: 3, y_size: 2 }), // LOAD INP 6 elements: load module
  gemmInsn(), // compute
  memInsn(1, 4, { dram_base: OUT_ADDR / 16, x_size: 2 }), // STORE 2 elements: store module
  finishInsn(), // compute
];
const bytes = encodeProgram(params, program);
const insnAt = (pc: number) => bytes.subarray(pc * 16, pc * 16 + 16);

describe('tsim harness on the tiny design', () => {
  it('runs a program: retires map to program indices, writes go to the owner module, outputs and counters', async () => {
    const sink = new RecordingSink();
    const r = await target.run({ bundle: bundleOf(params, program), sink });
    expect(r.status).toBe('ok');

    const retires = sink.events.filter((e) => e.kind === 'retire');
    expect(retires.map((e) => [e.pc, e.module])).toEqual([
      [0, 'load'],
      [1, 'compute'],
      [2, 'store'],
      [3, 'compute'],
    ]);
    for (const e of retires) expect(Buffer.from(e.data).equals(Buffer.from(insnAt(e.pc)))).toBe(true);

    // The design writes ACC row k = instruction k repeated four times. ACC belongs to compute, so
    // rows written while load/store instructions ran go to compute's next instruction.
    const acc = sink.events.filter((e) => e.stream === 'sram.acc');
    expect(acc.map((e) => [e.pc, e.addr])).toEqual([
      [1, 0],
      [1, 1],
      [3, 2],
      [3, 3],
    ]);
    for (const e of acc) {
      expect(e.data.length).toBe(params.elemBytes.acc);
      const want = Buffer.concat([0, 1, 2, 3].map(() => Buffer.from(insnAt(e.addr))));
      expect(Buffer.from(e.data).equals(want)).toBe(true);
    }
    // Each acc event arrives before the retire of the instruction it belongs to.
    const order = sink.events.map((e) => `${e.kind}:${e.pc}`);
    expect(order.indexOf('write:3')).toBeLessThan(order.indexOf('retire:3'));

    // The STORE wrote bytes 0..11 of its own instruction (strobes 0xff then 0x0f) at dram_base·16.
    const expectedOut = new Uint8Array(32).fill(0xa5);
    expectedOut.set(insnAt(2).subarray(0, 12), 0);
    const dram = sink.events.filter((e) => e.stream === 'dram.store');
    expect(dram.map((e) => [e.pc, e.addr])).toEqual([[2, OUT_ADDR]]);
    expect(Buffer.from(dram[0]!.data).equals(Buffer.from(expectedOut.subarray(0, 16)))).toBe(true);
    expect(r.outputs).toHaveLength(1);
    expect(Buffer.from(r.outputs[0]!.bytes).equals(Buffer.from(expectedOut))).toBe(true);

    expect(r.counters.insns).toEqual({ load: 1, compute: 2, store: 1 });
    expect(r.counters.bytes).toEqual({ uop: 0, inp: 6 * 16, wgt: 0, acc: 0, out: 2 * 16 });
    expect(r.counters.gemmOps).toBe(1);
    expect(r.counters.cycles).toBeGreaterThan(4);
    expect(r.counters.busy).toEqual({ load: 11, compute: 22, store: 33 }); // the design's fixed VCR values
  }, 120_000);

  it('reuses the process: a second program in a row gives its own results', async () => {
    const second: Insn[] = [gemmInsn({ uop_end: 3 }), finishInsn()];
    const sink = new RecordingSink();
    const r = await target.run({ bundle: bundleOf(params, second), sink });
    expect(r.status).toBe('ok');
    expect(sink.events.filter((e) => e.kind === 'retire').map((e) => e.pc)).toEqual([0, 1]);
    expect(r.counters.gemmOps).toBe(3);
    // Nothing stored: the output buffer is as the bundle loaded it.
    expect([...r.outputs[0]!.bytes].every((b) => b === 0xa5)).toBe(true);
  }, 120_000);

  it('sends no events in outputs-only mode', async () => {
    const sink = new RecordingSink(false);
    const r = await target.run({ bundle: bundleOf(params, program), sink });
    expect(r.status).toBe('ok');
    expect(sink.events).toEqual([]);
    expect(r.counters.insns).toEqual({ load: 1, compute: 2, store: 1 });
  }, 120_000);

  it('reports a token deadlock when the stalled instruction waits on a queue nobody pushed', async () => {
    // GEMM pops ld2cmp but no load instruction pushes it; the design stalls there.
    const stuck: Insn[] = [memInsn(0, 2), gemmInsn({ pop_prev_dep: 1 }), finishInsn()];
    const sink = new RecordingSink();
    const r = await target.run({ bundle: bundleOf(params, stuck), sink });
    expect(r.status).toBe('deadlock');
    expect(r.blocked).toEqual([{ pc: 1, module: 'compute', queue: 'ld2cmp' }]);
    expect(r.message).toMatch(/state load STALL/);
    // The load that did retire was kept.
    expect(sink.events.filter((e) => e.kind === 'retire').map((e) => e.pc)).toEqual([0]);
  }, 120_000);

  it('reports a hang (not a deadlock) when the token the stalled instruction needs was pushed', async () => {
    const stuck: Insn[] = [memInsn(0, 2, { push_next_dep: 1 }), gemmInsn({ pop_prev_dep: 1 }), finishInsn()];
    const r = await target.run({ bundle: bundleOf(params, stuck), sink: new RecordingSink() });
    expect(r.status).toBe('hang');
    expect(r.message).toMatch(/no retire, buffer write or memory traffic/);
  }, 120_000);

  it('reports $fatal as a crash with the message, and recovers for the next run', async () => {
    const many = Array.from({ length: 776 }, () => gemmInsn());
    const r = await target.run({ bundle: bundleOf(params, [...many, finishInsn()]), sink: new RecordingSink() });
    expect(r.status).toBe('crash');
    expect(r.message).toMatch(/tiny design: fatal on request/);
    const again = await target.run({ bundle: bundleOf(params, program), sink: new RecordingSink() });
    expect(again.status).toBe('ok');
  }, 120_000);

  it('keeps the events received when the simulator process is killed mid-run', async () => {
    const stalling = createTsimTarget({ rtl, idleCycles: 1e12 });
    try {
      const stuck: Insn[] = [memInsn(0, 2), gemmInsn(), gemmInsn({ pop_prev_dep: 1 }), finishInsn()];
      let killed = false;
      const sink = new RecordingSink(true, false, (e) => {
        if (e.kind === 'retire' && e.pc === 1 && !killed) {
          killed = true;
          // The process of this target is the only one it has; kill it from outside.
          (stalling as unknown as { proc: { kill(): void } }).proc.kill();
        }
      });
      const r = await stalling.run({ bundle: bundleOf(params, stuck), sink });
      expect(r.status).toBe('crash');
      expect(r.message).toMatch(/SIGKILL/);
      expect(sink.events.filter((e) => e.kind === 'retire').map((e) => e.pc)).toEqual([0, 1]);
    } finally {
      await stalling.close();
    }
  }, 120_000);

  it('a simulator process stopped (SIGSTOP) mid-run ends as a hang within the liveness limit, its events kept', async () => {
    const stalling = createTsimTarget({ rtl, idleCycles: 1e12, livenessMs: 800 });
    try {
      const stuck: Insn[] = [memInsn(0, 2), gemmInsn(), gemmInsn({ pop_prev_dep: 1 }), finishInsn()];
      let stoppedAt = 0;
      const sink = new RecordingSink(true, false, (e) => {
        if (e.kind === 'retire' && e.pc === 1 && !stoppedAt) {
          stoppedAt = Date.now();
          process.kill((stalling as unknown as { proc: { pid: number } }).proc.pid, 'SIGSTOP');
        }
      });
      const r = await stalling.run({ bundle: bundleOf(params, stuck), sink });
      expect(r.status).toBe('hang');
      expect(r.message).toMatch(/^simulator process stopped \(state [Tt], e\.g\. SIGSTOP\) and sent nothing for \d+ ms; simulator killed\. Retired before: load 1, compute 1, store 0/);
      expect(Date.now() - stoppedAt).toBeLessThan(5000);
      expect(sink.events.filter((e) => e.kind === 'retire').map((e) => e.pc)).toEqual([0, 1]);
    } finally {
      await stalling.close();
    }
  }, 120_000);

  it('enforces the wall-clock limit without blocking, then runs again', async () => {
    const stalling = createTsimTarget({ rtl, idleCycles: 1e12 });
    try {
      const stuck: Insn[] = [gemmInsn({ pop_prev_dep: 1 }), finishInsn()];
      const r = await stalling.run({ bundle: bundleOf(params, stuck), sink: new RecordingSink(), limits: { timeoutMs: 1500 } });
      expect(r.status).toBe('timeout');
      const again = await stalling.run({ bundle: bundleOf(params, program), sink: new RecordingSink() });
      expect(again.status).toBe('ok');
    } finally {
      await stalling.close();
    }
  }, 120_000);

  it('stops at the cycle limit', async () => {
    const r = await target.run({ bundle: bundleOf(params, program), sink: new RecordingSink(), limits: { maxCycles: 5 } });
    expect(r.status).toBe('hang');
    expect(r.message).toMatch(/cycle limit 5/);
  }, 120_000);
});

describe('tsim harness: a row written through split ports', () => {
  // The tiny design's ACC row k is {4{insn}}; its probes acc_lo (bytes 0..31) and acc_hi_inv (the
  // inverted bytes 32..63) describe it as two ports, so the harness must put the lower half at
  // bytes 0..31 and the upper half at 32..63 — the upper half then reads inverted.
  const lo = { enable: 'vta_tsim_top.acc_we', index: 'vta_tsim_top.acc_idx', data: 'vta_tsim_top.acc_lo', bytes: [0, 32] };
  const hi = { enable: 'vta_tsim_top.acc_we', index: 'vta_tsim_top.acc_idx', data: 'vta_tsim_top.acc_hi_inv', bytes: [32, 32] };

  it('assembles the row from its ports', async () => {
    const split = createTsimTarget({ rtl: writeTinyRtl(mkdtempSync(join(tmpdir(), 'tsim-tiny-split-')), { writes: { acc: [hi, lo] } }), idleCycles: 2000 });
    try {
      const sink = new RecordingSink();
      const r = await split.run({ bundle: bundleOf(params, program), sink });
      expect(r.status, r.message).toBe('ok');
      const rows = sink.events.filter((e) => e.kind === 'write' && e.stream === 'sram.acc');
      expect(rows.map((e) => e.addr)).toEqual([0, 1, 2, 3]);
      for (const e of rows) {
        const insn = insnAt(e.addr);
        const inverted = insn.map((b) => ~b & 0xff);
        expect(Buffer.from(e.data).toString('hex')).toBe(Buffer.concat([insn, insn, inverted, inverted]).toString('hex'));
      }
    } finally {
      await split.close();
    }
  }, 300_000);

  it('names the port whose data is not as wide as the bytes it claims', async () => {
    const wrong = createTsimTarget({ rtl: writeTinyRtl(mkdtempSync(join(tmpdir(), 'tsim-tiny-split-')), { writes: { acc: [lo, { ...hi, data: 'vta_tsim_top.acc_data' }] } }) });
    try {
      await expect(wrong.run({ bundle: bundleOf(params, program), sink: new RecordingSink() })).rejects.toThrow(
        /writes\.acc\[1\]\.data: vta_tsim_top\.acc_data is 512 bits wide, expected 256/,
      );
    } finally {
      await wrong.close();
    }
  }, 300_000);
});

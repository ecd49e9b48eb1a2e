/**
 * Our RTL on the emulated board's memory (harness/emu_memory.h: seeded latency, bursts completing
 * out of order and interleaved, stalls). Correct RTL must not notice: outputs and every write
 * event equal fsim's for several memory seeds, programs and configurations. The in-order-reads
 * variant (fixtures/rtl-variants/: beats credited to the oldest burst, ignoring the id) is the bug
 * only such a memory exposes: right under the in-order model, wrong under emu — and a diff between
 * the two memories names the instruction and buffer where it first goes wrong, which this test
 * finds independently by comparing raw events with fsim's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { VtaParams } from '../../../runtime/config/config.js';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import type { ProgramBundle } from '../../../runtime/bundle/bundle.js';
import { randomProgram } from '../../../runtime/workloads/random-program.js';
import { buildWorkload } from '../../../runtime/workloads/index.js';
import { createTarget } from '../../registry.js';
import { createFsimTarget } from '../../fsim/fsim-target.js';
import { diffTargets } from '../../../tracer/diff-targets.js';
import { retireStream } from '../../../runtime/contract/events.js';
import { makeTraceSpec } from '../../../tracer/spec.js';
import { TraceStore } from '../../../tracer/store/trace-store.js';
import { createTsimTarget, type TsimTarget } from '../target.js';
import { RecordingSink } from '../testing/bundles.js';

const limits = { maxCycles: 2_000_000, timeoutMs: 180_000 };
const MEMORY_SEEDS = [1, 2, 3];
const PROGRAM_SEEDS = [1, 2, 3, 4];
const dir = mkdtempSync(join(tmpdir(), 'vta-emu-'));
const open: TsimTarget[] = [];
afterAll(async () => {
  await Promise.all(open.map((t) => t.close()));
  rmSync(dir, { recursive: true, force: true });
});

function tsim(config: string, memorySeed: number | undefined, variant?: string): TsimTarget {
  const t = createTsimTarget({ config, ...(variant ? { variant } : {}), ...(memorySeed !== undefined ? { memory: { kind: 'emu', seed: memorySeed } } : {}) });
  open.push(t);
  return t;
}

/** Event lines per program index (sorted inside an instruction: targets may order writes differently). */
async function eventsByPc(target: { run: TsimTarget['run'] }, bundle: ProgramBundle): Promise<{ status: string; out: string; byPc: Map<number, string[]> }> {
  const sink = new RecordingSink(true);
  const r = await target.run({ bundle, sink, limits });
  const byPc = new Map<number, string[]>();
  for (const e of sink.events) {
    const line = `${e.kind} ${e.stream ?? retireStream(e.module!)} @${e.addr} ${Buffer.from(e.data).toString('hex')}`;
    byPc.set(e.pc, [...(byPc.get(e.pc) ?? []), line]);
  }
  for (const lines of byPc.values()) lines.sort();
  return { status: r.status, out: Buffer.from(r.outputs[0]?.bytes ?? []).toString('hex'), byPc };
}

/** The first program index whose events differ, and the streams of its differing events. */
function firstDifference(a: Map<number, string[]>, b: Map<number, string[]>, insnCount: number): { pc: number; streams: Set<string> } | undefined {
  for (let pc = 0; pc < insnCount; pc++) {
    const x = a.get(pc) ?? [];
    const y = b.get(pc) ?? [];
    if (x.join('\n') === y.join('\n')) continue;
    const streams = new Set([...x.filter((l) => !y.includes(l)), ...y.filter((l) => !x.includes(l))].map((l) => l.split(' ')[1]!));
    return { pc, streams };
  }
  return undefined;
}

describe('our RTL under the emulated-board memory', () => {
  it.each(['small', 'default', 'block32'])('%s configuration: outputs and events equal fsim for every memory seed', async (config) => {
    const params: VtaParams = resolveConfig(config);
    const fsim = createFsimTarget();
    const targets = MEMORY_SEEDS.map((s) => tsim(config, s));
    await targets[0]!.prepare(params);
    for (const seed of PROGRAM_SEEDS) {
      const bundle = randomProgram(params, seed);
      const want = await eventsByPc(fsim, bundle);
      expect(want.status).toBe('ok');
      for (const t of targets) {
        const got = await eventsByPc(t, bundle);
        expect(got.status, `${t.name}, program ${seed}`).toBe('ok');
        expect(got.out, `${t.name}, program ${seed}: output`).toBe(want.out);
        expect(firstDifference(want.byPc, got.byPc, bundle.insnCount), `${t.name}, program ${seed}: events`).toBeUndefined();
      }
    }
  }, 900_000);

  it('the in-order-reads variant is right under the in-order memory and wrong under emu', async () => {
    const params = resolveConfig('default');
    const inOrder = tsim('default', undefined, 'in-order-reads');
    await inOrder.prepare(params);
    const fsim = createFsimTarget();
    let wrongRuns = 0;
    const bundles = [buildWorkload('vec:matmul_blocked_4x4'), ...PROGRAM_SEEDS.map((s) => randomProgram(params, s))];
    for (const bundle of bundles) {
      const want = await eventsByPc(fsim, bundle);
      const right = await eventsByPc(inOrder, bundle);
      expect(right.out).toBe(want.out);
      expect(firstDifference(want.byPc, right.byPc, bundle.insnCount)).toBeUndefined();
      for (const s of MEMORY_SEEDS) {
        const emu = await eventsByPc(tsim('default', s, 'in-order-reads'), bundle);
        if (firstDifference(want.byPc, emu.byPc, bundle.insnCount)) wrongRuns++;
      }
    }
    // Every recorded and random program loads several bursts per client; reordering breaks them.
    expect(wrongRuns).toBe(bundles.length * MEMORY_SEEDS.length);
  }, 900_000);

  it('diff between the two memories names the first instruction the variant gets wrong, and its buffer', async () => {
    // 13 instructions: fetched in one burst, so the first victim is a data load, not the fetch.
    const bundle = buildWorkload('vec:gemm_multi_uop');
    const variantName = 'tsim:in-order-reads';
    const emuName = `${variantName}@emu:1`;
    // Independent expectation: the first instruction whose raw events differ from fsim's.
    const want = await eventsByPc(createFsimTarget(), bundle);
    const got = await eventsByPc(tsim('default', 1, 'in-order-reads'), bundle);
    const expected = firstDifference(want.byPc, got.byPc, bundle.insnCount);
    expect(expected).toBeDefined();

    const store = TraceStore.open(join(dir, 'memories.db'));
    try {
      for (const targets of [[variantName, emuName], ['fsim', emuName]]) {
        const { report } = await diffTargets({ targets, createTarget, bundle, spec: makeTraceSpec({ mode: 'digest' }), store, limits });
        expect(report.values, targets.join(' vs ')).toBe('diverge');
        expect(report.first!.pc, targets.join(' vs ')).toBe(expected!.pc);
        expect(expected!.streams.has(report.first!.stream!), `${report.first!.stream} among ${[...expected!.streams].join(',')}`).toBe(true);
        expect(report.first!.stream).toMatch(/^sram\./);
        expect(report.first!.buffer).toBe(report.first!.stream!.slice(5));
      }
    } finally {
      store.close();
    }
  }, 900_000);
});

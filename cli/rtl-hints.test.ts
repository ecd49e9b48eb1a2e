/**
 * The report's hints against seeded RTL bugs (fixtures/rtl-variants/): `diff fsim tsim:<variant>`
 * must give the hint the bug's nature implies — padding written as 1 is off by +1, a load that
 * reads the next DRAM row holds the expected row one row length up, an 8-bit ADD is a truncation
 * — and none for bugs with no such pattern (swapped shift operands, a late micro-op).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { insnBytes } from '../runtime/bundle/bundle.js';
import { decodeProgram } from '../runtime/isa/codec.js';
import type { MemInsn } from '../runtime/isa/insn.js';
import { repoPath } from '../runtime/repo.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { createTarget } from '../targets/registry.js';
import { probeMapOfTarget } from '../targets/rtl-probe-map.js';
import { diffTargets } from '../tracer/diff-targets.js';
import { makeTraceSpec } from '../tracer/spec.js';
import { TraceStore } from '../tracer/store/trace-store.js';
import { runCli } from './testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-rtl-hints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function diff(variant: string, workload: string) {
  const store = TraceStore.open(join(dir, `${variant}.db`));
  try {
    const bundle = buildWorkload(`vec:${workload}`);
    const { report, runIds } = await diffTargets({
      targets: ['fsim', `tsim:${variant}`],
      createTarget,
      bundle,
      spec: makeTraceSpec({ mode: 'digest' }),
      store,
      limits: { maxCycles: 1_000_000, timeoutMs: 120_000 },
      probes: probeMapOfTarget,
    });
    return { report, runIds, program: decodeProgram(bundle.params, insnBytes(bundle)) };
  } finally {
    store.close();
  }
}

describe('hints for seeded RTL bugs', () => {
  it('pad-value: the y_pad_1 rows are off by +1', async () => {
    const { report } = await diff('pad-value', 'load_inp_pad_y1');
    expect(report.first!.stream).toBe('sram.inp');
    expect(report.first!.hint).toMatchObject({ kind: 'offset', amount: 1 });
  }, 600_000);

  it('load-next-row: the first INP row holds the expected row one row length up', async () => {
    const { report, program } = await diff('load-next-row', 'load_inp_2d_stride');
    const pc = program.findIndex((i) => i.opcode === 0 && (i as MemInsn).memory_type === 2);
    const load = program[pc] as MemInsn;
    expect(report.first!.pc).toBe(pc);
    expect(report.first!.hint).toMatchObject({ kind: 'address', amount: load.x_pad_0 + load.x_size + load.x_pad_1, writtenBy: pc });
  }, 600_000);

  it('load-next-row: the report names the DRAM extent the load read, one x_stride after the one fsim read', async () => {
    const { report, program, runIds } = await diff('load-next-row', 'load_inp_2d_stride');
    const pc = program.findIndex((i) => i.opcode === 0 && (i as MemInsn).memory_type === 2);
    const load = program[pc] as MemInsn;
    // Default configuration: 16-byte INP elements, 8-byte bus beats (rows here are beat aligned).
    // fsim reads row y at (dram_base + y·x_stride) elements; x_stride > x_size, so every row is its own extent.
    expect(load.x_stride).toBeGreaterThan(load.x_size);
    const row = (y: number) => ({ addr: (load.dram_base + y * load.x_stride) * 16, bytes: load.x_size * 16 });
    expect(report.first!.read).toMatchObject({
      compared: true,
      ordinal: 0,
      extents: { [runIds[0]!]: row(0), [runIds[1]!]: row(1) },
      counts: { [runIds[0]!]: load.y_size, [runIds[1]!]: load.y_size },
      skipped: [],
      hint: { kind: 'read-address', amount: load.x_stride * 16 },
    });
  }, 600_000);

  it('the RTL behind the event: the INP write port and the load retire probe of the tsim run, in text and --json', async () => {
    const { runIds } = await diff('load-next-row', 'load_inp_2d_stride');
    // Expected signals straight from the probe map file; the load module is u_load under u_core.
    const map = JSON.parse(readFileSync(repoPath('fixtures', 'probe-maps', 'vta-trace-rtl.json'), 'utf8'));
    const want = {
      runs: [runIds[1]],
      probeMap: 'fixtures/probe-maps/vta-trace-rtl.json',
      instance: 'vta_tsim_top.u_core.u_load',
      entries: [
        { entry: 'writes.inp', signals: map.writes.inp },
        { entry: 'retire.load', signals: map.retire.load },
      ],
    };
    const db = join(dir, 'load-next-row.db');
    const json = await runCli('diff', '--db', db, String(runIds[0]), String(runIds[1]), '--json');
    expect(json.code).toBe(1);
    const r = JSON.parse(json.out);
    // fsim has no RTL: only the tsim run is named.
    expect(r.first.rtl).toEqual([{ ...want, entries: want.entries.map((e) => ({ ...e, signals: Object.fromEntries(Object.entries(e.signals).filter(([k]) => k !== 'granule')) })) }]);
    const text = (await runCli('diff', '--db', db, String(runIds[0]), String(runIds[1]))).out;
    expect(text).toContain(`  rtl      tsim:load-next-row (run ${runIds[1]}): instance vta_tsim_top.u_core.u_load (probe map fixtures/probe-maps/vta-trace-rtl.json)\n`);
    expect(text).toMatch(/^ {13}writes\.inp +enable vta_tsim_top\.u_core\.inp_we, index vta_tsim_top\.u_core\.inp_widx, data vta_tsim_top\.u_core\.inp_wdata, mask vta_tsim_top\.u_core\.inp_wmask$/m);
    expect(text).toMatch(/^ {13}retire\.load +valid vta_tsim_top\.u_core\.u_load\.retire_q, insn vta_tsim_top\.u_core\.u_load\.retired_q$/m);
  }, 600_000);

  it('add-lo8: the sums truncated to 8 bits', async () => {
    const { report } = await diff('add-lo8', 'alu_add_tensor');
    expect(report.first!.disasm).toMatch(/^ALU ADD/);
    expect(report.first!.hint).toMatchObject({ kind: 'truncation', amount: 8 });
  }, 600_000);

  it.each([
    ['alu-swap', 'alu_shr_tensor'],
    ['uop-late', 'gemm_multi_uop'],
  ])('%s on vec:%s: no pattern, no hint', async (variant, workload) => {
    const { report } = await diff(variant, workload);
    expect(report.first!.lanes!.differing.length).toBeGreaterThan(1);
    expect(report.first!.hint).toBeNull();
  }, 600_000);
});

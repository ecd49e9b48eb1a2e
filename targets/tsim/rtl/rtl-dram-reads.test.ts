/**
 * What LOADs read (the dram.load stream, docs/trace-schema.md §DRAM reads) on our RTL: the harness
 * gives each read burst to the LOAD that issued it (the probe map's `reads` entry), and the
 * canonical extents equal fsim's — under the in-order memory and under the emulated board's, which
 * delays, reorders and interleaves bursts, so the burst split and timing differ but the stream
 * must not (no false divergence). conv2d-small has LOAD INP/WGT (load module) and LOAD UOP
 * (compute module, with the dual pipe's completion groups).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import { insnBytes } from '../../../runtime/bundle/bundle.js';
import { decodeProgram } from '../../../runtime/isa/codec.js';
import type { MemInsn } from '../../../runtime/isa/insn.js';
import { buildWorkload } from '../../../runtime/workloads/index.js';
import { createTarget } from '../../registry.js';
import { diffTargets } from '../../../tracer/diff-targets.js';
import { makeTraceSpec } from '../../../tracer/spec.js';
import { TraceStore } from '../../../tracer/store/trace-store.js';

const store = TraceStore.open(':memory:');
afterAll(() => store.close());

describe('dram.load on tsim', () => {
  it('in-order and emulated-board memories read what fsim reads, LOAD by LOAD', async () => {
    const bundle = buildWorkload('conv2d-small', { config: resolveConfig('default') });
    const targets = ['fsim', 'tsim', 'tsim@emu:1', 'tsim@emu:2'];
    const { report, runIds } = await diffTargets({
      targets,
      createTarget,
      bundle,
      spec: makeTraceSpec({ mode: 'sram' }),
      store,
      limits: { maxCycles: 2_000_000, timeoutMs: 180_000 },
    });
    expect(report.values).toBe('agree');
    const reads = runIds.map((id) => {
      expect(store.run(id).dramReads).toBe(true);
      return store.eventGroups(id, { streams: ['dram.load'] }).map((g) => ({ pc: g.pc, addrs: [...g.addrs], data: Buffer.from(g.data).toString('hex') }));
    });
    // Every LOAD that moves data has its extents (x_size = 0 is a NOP).
    const program = decodeProgram(bundle.params, insnBytes(bundle));
    const loads = program.flatMap((i, pc) => (i.opcode === 0 && (i as MemInsn).x_size > 0 ? [pc] : []));
    expect(loads.length).toBeGreaterThan(4);
    expect(reads[0]!.map((r) => r.pc)).toEqual(loads);
    for (let i = 1; i < targets.length; i++) expect(reads[i], targets[i]).toEqual(reads[0]);
  }, 900_000);
});

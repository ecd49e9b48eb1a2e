/**
 * Probe maps for split memories (fixtures/probe-maps/README.md, "Split memories"), on RTL of our
 * own: the split-sram variant stores each scratchpad as FIRRTL stores upstream's Chisel ones —
 * UOP as two memories of even and odd elements, INP/WGT/ACC as one memory per 64-bit word — and
 * its probe map names every memory's write port (52 ports). The harness must assemble whole rows
 * from them: every SRAM and DRAM write event, with its instruction and value, must equal fsim's.
 */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import { buildWorkload } from '../../../runtime/workloads/index.js';
import { randomProgram } from '../../../runtime/workloads/random-program.js';
import type { ProgramBundle } from '../../../runtime/bundle/bundle.js';
import { createFsimTarget } from '../../fsim/fsim-target.js';
import { createTsimTarget } from '../target.js';
import { RecordingSink } from '../testing/bundles.js';

const limits = { maxCycles: 2_000_000, timeoutMs: 120_000 };

function eventLines(sink: RecordingSink): string[] {
  return sink.events
    .filter((e) => e.kind === 'write')
    .map((e) => `${e.stream} pc=${e.pc} @${e.addr} ${Buffer.from(e.data).toString('hex')}`)
    .sort();
}

describe('split scratchpads: rows assembled from per-memory ports', () => {
  it('agrees with fsim write by write (recorded programs, a conv layer, random programs)', async () => {
    const params = resolveConfig('default');
    const tsim = createTsimTarget({ config: 'default', variant: 'split-sram', idleCycles: 20_000 });
    const fsim = createFsimTarget();
    const bundles: [string, ProgramBundle][] = [
      ...['gemm_multi_uop', 'alu_shr_tensor', 'load_inp_pad_y1', 'load_acc_pad_16combos', 'matmul_blocked_4x4'].map((v): [string, ProgramBundle] => [v, buildWorkload(`vec:${v}`)]),
      ['conv:C11', buildWorkload('conv:C11', { config: params })],
      ...[1, 2, 3, 4].map((seed): [string, ProgramBundle] => [`random seed ${seed}`, randomProgram(params, seed)]),
    ];
    try {
      await tsim.prepare(params);
      for (const [name, bundle] of bundles) {
        const ts = new RecordingSink(true);
        const fs = new RecordingSink(true);
        const rt = await tsim.run({ bundle, sink: ts, limits });
        const rf = await fsim.run({ bundle, sink: fs, limits });
        expect(rf.status, `fsim, ${name}: ${rf.message}`).toBe('ok');
        expect(rt.status, `tsim, ${name}: ${rt.message}`).toBe('ok');
        const lines = eventLines(ts);
        // Every buffer is written through its split ports, and the rows come out whole.
        for (const buf of ['uop', 'inp', 'wgt', 'acc']) if (name.startsWith('random')) expect(lines.some((l) => l.startsWith(`sram.${buf} `)), `${name}: ${buf}`).toBe(true);
        expect(lines, `events, ${name}`).toEqual(eventLines(fs));
      }
    } finally {
      await tsim.close();
    }
  }, 900_000);
});

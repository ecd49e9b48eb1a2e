/**
 * Our RTL against fsim, the golden behavioural model, on seeded random programs for every fixture
 * configuration (runtime/workloads/random-program.ts: padded loads of every buffer, GEMM and ALU loop nests,
 * every ALU opcode of the configuration, strided STORE, token hand-offs). Besides the output bytes,
 * every SRAM and DRAM write event and every GEMM/ALU iteration record must match: same
 * instruction, same element or ordinal, same value — which also checks that the probe map
 * attributes each write and iteration to the right instruction.
 */
import { describe, expect, it } from 'vitest';
import { fixtureConfigNames, resolveConfig } from '../../../runtime/config/fixtures.js';
import { createFsimTarget } from '../../fsim/fsim-target.js';
import { createTsimTarget } from '../target.js';
import { RecordingSink } from '../testing/bundles.js';
import { randomProgram } from '../../../runtime/workloads/random-program.js';

const SEEDS = 12;
const limits = { maxCycles: 1_000_000, timeoutMs: 120_000 };

/** Events as sortable lines: the harness and fsim may order writes differently within an instruction. */
function eventLines(sink: RecordingSink): string[] {
  return sink.events
    .map((e) => `${e.kind} ${e.stream ?? e.module} pc=${e.pc} @${e.addr} ${Buffer.from(e.data).toString('hex')}`)
    .sort();
}

describe('our RTL matches fsim on random programs', () => {
  it.each(fixtureConfigNames())('%s configuration', async (name) => {
    const params = resolveConfig(name);
    const tsim = createTsimTarget({ config: name, idleCycles: 20_000 });
    const fsim = createFsimTarget();
    try {
      await tsim.prepare(params);
      for (let seed = 1; seed <= SEEDS; seed++) {
        const bundle = randomProgram(params, seed);
        const ts = new RecordingSink(true, true);
        const fs = new RecordingSink(true, true);
        const rt = await tsim.run({ bundle, sink: ts, limits });
        const rf = await fsim.run({ bundle, sink: fs, limits });
        expect(rf.status, `fsim, seed ${seed}: ${rf.message}`).toBe('ok');
        expect(rt.status, `tsim, seed ${seed}: ${rt.message}`).toBe('ok');
        expect(Buffer.from(rt.outputs[0]!.bytes).toString('hex'), `output, seed ${seed}`).toBe(Buffer.from(rf.outputs[0]!.bytes).toString('hex'));
        const lines = eventLines(ts);
        expect(lines.length).toBeGreaterThan(bundle.insnCount); // writes happened, not only retires
        expect(lines, `events, seed ${seed}`).toEqual(eventLines(fs));
      }
    } finally {
      await tsim.close();
    }
  }, 900_000);
});

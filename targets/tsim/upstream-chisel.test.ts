/**
 * Upstream's Chisel VTA (Verilog generated from apache/tvm-vta hardware/chisel, default
 * configuration) against fsim on the conformance workloads, through the shipped design
 * description fixtures/designs/upstream-chisel/ and its probe map of FIRRTL's split memories.
 * Needs the generated files (not ours, never committed): set VTA_UPSTREAM_RTL to the folder that
 * holds Test.DefaultAcxConfig.sv and the three DPI shims (docs/upstream-chisel.md). Skipped, saying
 * so, when it is not set.
 *
 * Each workload's first difference (testing/first-difference.ts) is checked against the shipped
 * known-differences file; a workload agrees, differs in a known way (the entry is counted), or
 * diverges in a way no entry explains — the test fails on the last, listing them.
 */
import { describe, expect, it } from 'vitest';
import { repoPath } from '../../runtime/repo.js';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { BUILDER_WORKLOADS, buildWorkload } from '../../runtime/workloads/index.js';
import { randomProgram } from '../../runtime/workloads/random-program.js';
import { vectorPrograms } from '../../runtime/workloads/vector-programs.js';
import { createFsimTarget } from '../fsim/fsim-target.js';
import { createTsimTarget } from './target.js';
import { RecordingSink } from './testing/bundles.js';
import { firstDifference } from './testing/first-difference.js';
import { explain, loadKnown } from './testing/known-match.js';

const RTL_DIR = process.env.VTA_UPSTREAM_RTL;
const DESIGN = repoPath('fixtures', 'designs', 'upstream-chisel', 'design.json');
const KNOWN = repoPath('fixtures', 'designs', 'upstream-chisel', 'known-differences.json');
/** The design's declared capabilities (design.json): what random programs keep inside. */
const CAPABILITIES = { aluOpcodes: [0, 1, 2, 3], acc8Load: false, depths: { uop: 2048 } };
const RANDOM_SEEDS = 20;
const limits = { maxCycles: 30_000_000, timeoutMs: 300_000 };

if (!RTL_DIR) console.log('upstream-chisel.test.ts: skipped — set VTA_UPSTREAM_RTL to the folder of the Verilog generated from upstream Chisel VTA (docs/upstream-chisel.md)');

type Group = 'vec' | 'builder' | 'operators' | 'random';

function workloads(): { group: Group; name: string; build: () => ProgramBundle }[] {
  const params = resolveConfig('default');
  const operator = (n: string) => /^(conv:|dense$|avgpool$|maxpool$|depthwise$)/.test(n);
  // randomProgram takes the design's capabilities where the generator knows them (docs/design-description.md);
  // a generator without that option makes unrestricted programs, which then differ in known ways.
  const random = randomProgram as unknown as (p: typeof params, seed: number, opts: object) => ProgramBundle;
  return [
    ...vectorPrograms().map((v) => ({ group: 'vec' as const, name: `vec:${v.name}`, build: () => buildWorkload(`vec:${v.name}`) })),
    ...BUILDER_WORKLOADS.filter((w) => !/^(resnet|mobilenet)/.test(w.name)).map((w) => ({
      group: operator(w.name) ? ('operators' as const) : ('builder' as const),
      name: w.name,
      build: () => buildWorkload(w.name, { config: params }),
    })),
    ...Array.from({ length: RANDOM_SEEDS }, (_, i) => ({ group: 'random' as const, name: `random:${i + 1}`, build: () => random(params, i + 1, { capabilities: CAPABILITIES }) })),
  ];
}

describe.skipIf(!RTL_DIR)('upstream Chisel VTA against fsim (VTA_UPSTREAM_RTL)', () => {
  it('every conformance workload agrees or differs only in a known way', async () => {
    const params = resolveConfig('default');
    const known = loadKnown(KNOWN);
    const tsim = createTsimTarget({ rtl: DESIGN, config: 'default', idleCycles: 20_000 });
    const fsim = createFsimTarget();
    const counts: Record<Group, { agree: number; known: number; new: number }> = {
      vec: { agree: 0, known: 0, new: 0 },
      builder: { agree: 0, known: 0, new: 0 },
      operators: { agree: 0, known: 0, new: 0 },
      random: { agree: 0, known: 0, new: 0 },
    };
    const byEntry = new Map<string, string[]>();
    const unexplained: string[] = [];
    try {
      await tsim.prepare(params);
      for (const w of workloads()) {
        const bundle = w.build();
        const ts = new RecordingSink(true);
        const fs = new RecordingSink(true);
        const rt = await tsim.run({ bundle, sink: ts, limits });
        const rf = await fsim.run({ bundle, sink: fs, limits });
        expect(rf.status, `fsim, ${w.name}: ${rf.message}`).toBe('ok');
        const outSame = rt.outputs.every((o, i) => Buffer.compare(Buffer.from(o.bytes), Buffer.from(rf.outputs[i]!.bytes)) === 0);
        const d = firstDifference(bundle, ts, fs);
        if (!d && outSame && rt.status === 'ok') {
          counts[w.group].agree++;
          continue;
        }
        const entry = d && explain(known, bundle, d, [rt.status], CAPABILITIES.depths.uop);
        if (entry) {
          counts[w.group].known++;
          byEntry.set(entry.id, [...(byEntry.get(entry.id) ?? []), w.name]);
        } else {
          counts[w.group].new++;
          unexplained.push(`${w.name}: ${rt.status}${d ? ` first difference #${d.pc} ${d.text} (${d.kind}, ${d.stream}${d.addr !== undefined ? ` @${d.addr}` : ''})` : ', outputs differ'}`);
        }
      }
    } finally {
      await tsim.close();
    }
    console.log('upstream Chisel VTA vs fsim (agree / known difference / new divergence):');
    for (const [g, c] of Object.entries(counts)) console.log(`  ${g.padEnd(10)} ${c.agree} / ${c.known} / ${c.new}`);
    for (const [id, names] of byEntry) console.log(`  known ${id}: ${names.length} (${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''})`);
    expect(unexplained, 'divergences no known-differences entry explains').toEqual([]);
    // The comparison is real: most workloads agree outright.
    expect(counts.operators.agree + counts.builder.agree).toBeGreaterThan(30);
  }, 3_600_000);
});

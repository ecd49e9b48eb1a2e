/**
 * The pipe:* workloads (runtime/workloads/pipe-workloads.ts) on our RTL, small configuration:
 * tsim stores the golden bytes and fsim's SRAM writes, and with a mutant of the commit-200
 * selection that the rest of the commit suite lets through (fixtures/mutation/pipe/, each the
 * mutant's patch as `vta-trace mutate` writes it) the workload that targets it diverges at the
 * instruction whose result the mutation changes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import { repoPath } from '../../../runtime/repo.js';
import { buildWorkload } from '../../../runtime/workloads/index.js';
import { createFsimTarget } from '../../fsim/fsim-target.js';
import { createTsimTarget, type TsimTarget } from '../target.js';
import { RecordingSink } from '../testing/bundles.js';

const params = resolveConfig('small');
const limits = { maxCycles: 1_000_000, timeoutMs: 120_000 };
const fsim = createFsimTarget();
const made: TsimTarget[] = [];
afterAll(async () => {
  for (const t of made) await t.close();
});

async function tsimOf(patch?: string): Promise<TsimTarget> {
  const t = createTsimTarget({ config: 'small', ...(patch ? { rtl: repoPath('fixtures', 'mutation', 'pipe', patch) } : {}) });
  made.push(t);
  await t.prepare(params);
  return t;
}

/** ACC writes as `pc row data` lines, in each target's order per instruction. */
function accWrites(sink: RecordingSink): string[] {
  return sink.events.filter((e) => e.kind === 'write' && e.stream === 'sram.acc').map((e) => `${e.pc} ${e.addr} ${Buffer.from(e.data).toString('hex')}`).sort();
}

async function bothRuns(tsim: TsimTarget, name: string) {
  const bundle = buildWorkload(name, { config: params, seed: 1 });
  const ts = new RecordingSink(true, false);
  const fs = new RecordingSink(true, false);
  const rt = await tsim.run({ bundle, sink: ts, limits });
  const rf = await fsim.run({ bundle, sink: fs, limits });
  expect(rf.status, `fsim: ${rf.message}`).toBe('ok');
  expect(rt.status, `tsim: ${rt.message}`).toBe('ok');
  return { bundle, rt, ts: accWrites(ts), fs: accWrites(fs) };
}

describe('pipe:* workloads on our RTL (small)', () => {
  it('store the golden bytes and fsim\'s ACC writes', async () => {
    const tsim = await tsimOf();
    for (const name of ['pipe:alu-src-footprint', 'pipe:early-load-push']) {
      const { bundle, rt, ts, fs } = await bothRuns(tsim, name);
      for (const o of rt.outputs) expect(o.bytes, `${name} ${o.name}`).toEqual(bundle.expected![o.name]);
      expect(ts, name).toEqual(fs);
    }
  }, 300_000);

  it('mutant #147 (a retire-queue entry\'s age counted from slot 0): after the queue wrapped the ALU pushes CMP->LD under the GEMM, which then multiplies reloaded INP', async () => {
    const tsim = await tsimOf('retire-queue-age-from-zero.patch');
    const { bundle, rt, ts, fs } = await bothRuns(tsim, 'pipe:early-load-push');
    expect(rt.outputs[0]!.bytes).not.toEqual(bundle.expected!.out0);
    // The first instruction whose ACC writes differ is the GEMM (program index 10: four loads,
    // six ALUs, then it), not the ALU that pushed too early.
    const byPc = (lines: string[]) => {
      const m = new Map<number, string[]>();
      for (const l of lines) m.set(Number(l.split(' ')[0]), [...(m.get(Number(l.split(' ')[0])) ?? []), l]);
      return m;
    };
    const [t, f] = [byPc(ts), byPc(fs)];
    const differ = [...new Set([...t.keys(), ...f.keys()])].filter((pc) => JSON.stringify(t.get(pc)) !== JSON.stringify(f.get(pc)));
    expect(Math.min(...differ)).toBe(10);
  }, 300_000);

  it('mutant #104 (the footprint adds src_factor_in to the inner extent instead of multiplying): the GEMM writes the ALU\'s last source row under it', async () => {
    const tsim = await tsimOf('footprint-src-factor-added.patch');
    const { bundle, rt, ts, fs } = await bothRuns(tsim, 'pipe:alu-src-footprint');
    expect(rt.outputs[0]!.bytes).not.toEqual(bundle.expected!.out0);
    // ALU rows 0..3 (program index 4) read row 41 after the GEMM (index 5) wrote it.
    const row3 = (lines: string[]) => lines.filter((l) => l.startsWith('4 3 '));
    expect(row3(ts)).not.toEqual(row3(fs));
  }, 300_000);
});

/**
 * Known differences (docs/known-differences.md) on fsim carrying a seeded fault: the fault's
 * divergence is reported as known when an entry describes it, and as a divergence when none does
 * or the entry is narrower than it. Where the engine goes on past a known difference, the next
 * divergence is checked against a plain scan of the stored full-detail events.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/testing/run-cli.js';
import { TraceStore } from '../store/trace-store.js';
import { STREAMS } from '../../runtime/contract/events.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import { decodeProgram } from '../../runtime/isa/codec.js';
import { insnBytes } from '../../runtime/bundle/bundle.js';

const bundle = buildWorkload('vec:matmul_blocked_4x4');

const dir = mkdtempSync(join(tmpdir(), 'vta-known-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// vec:matmul_blocked_4x4: #4 is GEMM uop [0,2) iter 2x2 (README of cli/fault-diff.test.ts).
const MATMUL = ['--workload', 'vec:matmul_blocked_4x4'];
const FAULT = 'fsim+gemm-lane:pc=4,lane=3';

function knownFile(name: string, entries: unknown[]): string {
  const f = join(dir, `${name}.json`);
  writeFileSync(f, JSON.stringify({ format: 'vta-trace.known-differences/1', entries }));
  return f;
}

let n = 0;
const db = () => join(dir, `k${n++}.db`);

describe('diff --known', () => {
  it('names a matching first divergence as known, with its reason, and exits 0', async () => {
    const k = knownFile('gemm', [{ id: 'gemm-lane3', match: { insn: 'GEMM', stream: 'sram.acc', fields: { uop_bgn: 0, iter_out: { min: 2 } } }, reason: 'lane 3 is wired to a spare', link: 'https://example.org/x' }]);
    const r = await runCli('diff', 'fsim', FAULT, ...MATMUL, '--db', db(), '--known', k);
    expect(r.out).toMatch(/^KNOWN DIFFERENCE: /);
    expect(r.out).toMatch(/known {4}gemm-lane3: lane 3 is wired to a spare \(https:\/\/example.org\/x\)/);
    expect(r.out).toMatch(/first divergence \(a known difference\) at instruction #4 \(compute\)/);
    expect(r.code).toBe(0);
    const json = JSON.parse((await runCli('diff', 'fsim', FAULT, ...MATMUL, '--db', db(), '--known', k, '--json')).out);
    expect(json.verdict).toBe('known');
    expect(json.values).toBe('diverge');
    expect(json.first.known).toMatchObject({ id: 'gemm-lane3', link: 'https://example.org/x' });
  });

  it('an entry that does not fit (other opcode, field value outside, other stream) leaves it a divergence', async () => {
    for (const match of [{ insn: 'ALU' }, { insn: 'GEMM', fields: { iter_out: { not: [2] } } }, { insn: 'GEMM', stream: 'sram.out' }, { insn: 'GEMM RESET' }]) {
      const k = knownFile('miss', [{ id: 'miss', match, reason: 'r' }]);
      const r = await runCli('diff', 'fsim', FAULT, ...MATMUL, '--db', db(), '--known', k);
      expect(r.out, JSON.stringify(match)).toMatch(/^DIVERGED: /);
      expect(r.code).toBe(1);
    }
  });

  it('with propagates false goes on to the first divergence no entry explains (checked by a scan of the stored events)', async () => {
    const file = db();
    // #8 ALU SHR computed as ADD: the rows it leaves feed #9 ALU MAX, which the entry does not name.
    const SHR_FAULT = 'fsim+alu-op:pc=8,op=2';
    const k = knownFile('contained', [{ id: 'shr-as-add', match: { insn: 'ALU SHR' }, reason: 'r', propagates: false }]);
    const r = await runCli('diff', 'fsim', SHR_FAULT, ...MATMUL, '--db', file, '--known', k, '--mode', 'full', '--json');
    const json = JSON.parse(r.out);
    // Independent: the first program index after #4 where the two runs' stored events differ.
    const store = TraceStore.open(file, { readonly: true });
    // Every ALU SHR is explained: the first unknown divergence is the first differing instruction
    // that is not one, and the SHRs that differ before it are the known ones.
    const insns = decodeProgram(bundle.params, insnBytes(bundle));
    const differing: number[] = [];
    let expected = -1;
    try {
      const [a, b] = json.runs.map((x: { id: number }) => x.id);
      const events = (id: number) => {
        const m = new Map<number, string[]>();
        for (const g of store.eventGroups(id, { streams: STREAMS.filter((s) => !s.endsWith('.iter')) })) {
          const list = m.get(g.pc) ?? [];
          list.push(`${g.stream}:${[...g.addrs].join(',')}:${Buffer.from(g.data).toString('hex')}`);
          m.set(g.pc, list);
        }
        return m;
      };
      const ea = events(a);
      const eb = events(b);
      for (let pc = 0; pc < json.bundle.insnCount; pc++) {
        if ((ea.get(pc) ?? []).sort().join('|') !== (eb.get(pc) ?? []).sort().join('|')) differing.push(pc);
      }
      expected = differing.find((pc) => { const i = insns[pc]!; return !(i.opcode === 4 && i.alu_opcode === 3); }) ?? -1;
    } finally {
      store.close();
    }
    expect(expected).toBeGreaterThan(8);
    expect(differing[0]).toBe(8);
    expect(json.known.map((x: { pc: number }) => x.pc)).toEqual(differing.filter((pc) => pc < expected));
    expect(json.first.pc).toBe(expected);
    expect(json.first.known).toBeUndefined();
    expect(json.verdict).toBe('diverge');
    const text = await runCli('diff', 'fsim', SHR_FAULT, ...MATMUL, '--db', db(), '--known', k, '--mode', 'full');
    expect(text.out).toMatch(new RegExp(`first unknown divergence at instruction #${expected} .*after ${json.known.length} known difference\\(s\\): #8 shr-as-add`));
    expect(text.code).toBe(1);
  });

  it('a wrong known-differences file is one error line naming file and entry (exit 2)', async () => {
    const k = knownFile('bad', [{ id: 'x', match: { insn: 'GEMM', fields: { nosuch: 1 } }, reason: 'r' }]);
    const r = await runCli('diff', 'fsim', FAULT, ...MATMUL, '--db', db(), '--known', k);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad\.json: entry "x": match\.fields\.nosuch: no instruction format has this field/);
    const c = knownFile('badcond', [{ id: 'y', match: { condition: 'alu-sometimes' }, reason: 'r' }]);
    expect((await runCli('diff', 'fsim', FAULT, ...MATMUL, '--db', db(), '--known', c)).err).toMatch(/entry "y": match\.condition: expected one of alu-imm-src-ne-dst/);
  });
});

/**
 * A design description as a target (docs/design-description.md), on our RTL with the seeded
 * refusal variant acc8-refused (compute never takes a LOAD ACC_8BIT) on the small configuration:
 * - `random` for a design without ACC_8BIT loads leaves them out, and then fsim and the design agree;
 * - without that capability the run ends fast as a hang naming the refused instruction, which a
 *   known-differences entry of the description explains; the general idle limit is what is left
 *   with the check turned off;
 * - the stored run records the description file and a hash of the sources, the reproduce line runs
 *   as printed, and a window re-run that cannot be made is reported as failed;
 * - a run of an untracked variant is recorded dirty.
 * The expected instruction is found by decoding the program, independent of the tool.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { insnBytes } from '../runtime/bundle/bundle.js';
import { resolveConfig } from '../runtime/config/fixtures.js';
import { decodeProgram } from '../runtime/isa/codec.js';
import { MEM_ID } from '../runtime/isa/layout.js';
import { repoPath } from '../runtime/repo.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import { TraceStore } from '../tracer/store/trace-store.js';
import { runCli, withoutProgress } from './testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-design-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KNOWN = join(dir, 'known.json');
writeFileSync(
  KNOWN,
  JSON.stringify({
    format: 'vta-trace.known-differences/1',
    // No status key: the run that never retires the instruction is the one that hangs, and that is the known difference.
    entries: [{ id: 'no-acc8', match: { insn: 'LOAD ACC_8BIT' }, reason: 'memory type 5 is not decoded' }],
  }),
);
const design = (name: string, body: object) => {
  const f = join(dir, name);
  writeFileSync(f, JSON.stringify({ base: 'vta-trace', variant: 'acc8-refused', ...body }));
  return f;
};
const WITH_CAPS = design('caps.json', { name: 'acc8-refused, declared', capabilities: { acc8Load: false } });
const NO_CAPS = design('nocaps.json', { known: 'known.json' });
const SMALL = ['--config', 'small', '--workload', 'random', '--seed', '1'];
const acc8Pc = decodeProgram(resolveConfig('small'), insnBytes(buildWorkload('random', { config: resolveConfig('small'), seed: 1 }))).findIndex(
  (i) => i.opcode === 0 && i.memory_type === MEM_ID.ACC_8BIT,
);

describe('tsim=DESIGN.json', () => {
  it('random keeps to the design capabilities: without an ACC_8BIT load, fsim and the design agree; the run records the design', async () => {
    const db = join(dir, 'caps.db');
    const r = await runCli('diff', 'fsim', `tsim=${WITH_CAPS}`, ...SMALL, '--db', db);
    expect(r.out).toMatch(/^values agree: fsim \(run 1\) vs tsim=.*caps\.json \(run 2\)/);
    expect(r.code).toBe(0);
    const store = TraceStore.open(db, { readonly: true });
    try {
      const run = store.run(2);
      expect(run.target).toBe(`tsim=${WITH_CAPS}`);
      expect(run.design).toMatchObject({ label: 'acc8-refused, declared', file: WITH_CAPS });
      expect(run.design!.sourcesHash).toMatch(/^[0-9a-f]{64}$/);
      expect(store.run(1).design).toBeNull();
    } finally {
      store.close();
    }
  }, 600_000);

  it('an instruction the design never accepts ends the run fast, named; its known entry explains it; the reproduce line runs as printed', async () => {
    expect(acc8Pc).toBeGreaterThanOrEqual(0);
    const db = join(dir, 'nocaps.db');
    const r = await runCli('diff', 'fsim', `tsim=${NO_CAPS}`, ...SMALL, '--db', db);
    expect(r.out).toMatch(new RegExp(`compute never accepted #${acc8Pc} LOAD ACC_8BIT`));
    expect(r.out).toMatch(/^KNOWN DIFFERENCE: /);
    expect(r.out).toMatch(/known {4}no-acc8: memory type 5 is not decoded/);
    expect(r.code).toBe(0);
    const store = TraceStore.open(db, { readonly: true });
    const cycles = store.run(2).counters!.cycles;
    store.close();
    // Ended within the accept limit (2000 idle cycles) of the last progress, far below the general 200 000.
    expect(cycles).toBeLessThan(10_000);

    // Without the entry it is a divergence, and the printed reproduce line runs as printed.
    const plain = design('plain.json', {});
    const d = await runCli('diff', 'fsim', `tsim=${plain}`, ...SMALL, '--db', join(dir, 'plain.db'));
    expect(d.code).toBe(1);
    const line = /^reproduce: vta-trace (.*)$/m.exec(d.out)![1]!;
    expect(line).toContain(`tsim=${plain}`);
    const again = await runCli(...line.split(' '), '--db', join(dir, 'again.db'));
    expect(again.code).toBe(1);
    expect(again.out).toMatch(new RegExp(`first divergence at instruction #${acc8Pc} \\(compute\\)`));
  }, 600_000);

  it('--accept-cycles 0 leaves only the general idle limit (--idle-cycles)', async () => {
    const r = await runCli('run', '--target', `tsim=${NO_CAPS}`, '--config', 'small', '--workload', 'random', '--seed', '1', '--accept-cycles', '0', '--idle-cycles', '30000', '--json');
    const j = JSON.parse(r.out);
    expect(j.status).toBe('hang');
    expect(j.message).not.toMatch(/never accepted/);
    expect(j.message).toMatch(/no retire, buffer write or memory traffic for 30000 cycles/);
  }, 600_000);

  it('a window re-run that cannot be made is reported as failed, never as re-ran', async () => {
    const moved = design('moved.json', {});
    const db = join(dir, 'moved.db');
    expect((await runCli('diff', 'fsim', `tsim=${moved}`, ...SMALL, '--db', db)).code).toBe(1);
    rmSync(moved);
    const r = await runCli('diff', '--db', db, '1', '2');
    expect(r.out).toMatch(/the window re-run failed:? \(?tsim=.*moved\.json \(run 2\): target tsim=.*moved\.json could not be made: .*cannot read the design description/);
    expect(r.out).not.toMatch(/re-ran the window at full detail/);
    const j = JSON.parse((await runCli('diff', '--db', db, '1', '2', '--json')).out);
    expect(j.first.rerunFailures).toEqual([expect.objectContaining({ runId: 2 })]);
  }, 600_000);

  it('a run of an untracked variant is recorded as a dirty checkout, with the hash of the sources it compiled', async () => {
    const name = `zz-untracked-${process.pid}`;
    const vdir = repoPath('fixtures', 'rtl-variants', name);
    cpSync(repoPath('fixtures', 'rtl-variants', 'acc8-refused'), vdir, { recursive: true });
    try {
      const db = join(dir, 'untracked.db');
      // The description's capabilities keep the ACC_8BIT load out of the program for all three.
      expect((await runCli('diff', 'fsim', `tsim:${name}`, `tsim=${WITH_CAPS}`, ...SMALL, '--db', db)).code).toBe(0);
      const store = TraceStore.open(db, { readonly: true });
      try {
        const untracked = store.run(2);
        expect(untracked.gitDirty).toBe(true);
        // Same bytes as acc8-refused (what the description builds): the same sources hash.
        expect(untracked.design!.sourcesHash).toBe(store.run(3).design!.sourcesHash);
        expect(untracked.design!.label).toBe(`vta-trace RTL + variant ${name}`);
      } finally {
        store.close();
      }
    } finally {
      rmSync(vdir, { recursive: true, force: true });
    }
  }, 600_000);

  it('errors are errors: an unknown variant, a missing RTL file, an RTL that does not build — exit 2, one line', async () => {
    const v = await runCli('diff', 'fsim', 'tsim:nosuchvariant', ...SMALL, '--db', join(dir, 'e.db'));
    expect([v.code, v.out]).toEqual([2, '']);
    expect(v.err).toMatch(/^vta-trace: .*no RTL variant "nosuchvariant"; known: .*acc8-refused/);
    const missing = join(dir, 'missing-file.json');
    writeFileSync(missing, JSON.stringify({ top: 't', files: ['nope.sv'], probeMap: 'p.json' }));
    const m = await runCli('diff', 'fsim', `tsim=${missing}`, ...SMALL, '--db', join(dir, 'e.db'));
    expect([m.code, m.out]).toEqual([2, '']);
    expect(m.err).toMatch(/missing-file\.json: source "nope\.sv" does not exist/);
    // Our RTL with a file that does not parse: Verilator's first %Error with its file:line, and the log.
    const broken = join(dir, 'broken');
    cpSync(repoPath('targets', 'tsim', 'rtl', 'vta_alu_row.sv'), join(broken, 'vta_alu_row.sv'));
    writeFileSync(join(broken, 'vta_alu_row.sv'), 'module vta_alu_row;\n  wire x = ;\nendmodule\n');
    const b = await runCli('diff', 'fsim', `tsim=${design('broken.json', { variant: undefined, overlay: 'broken' })}`, ...SMALL, '--db', join(dir, 'e.db'));
    expect([b.code, b.out]).toEqual([2, '']);
    expect(withoutProgress(b.err).trim().split('\n')).toHaveLength(1);
    expect(b.err).toMatch(/failed: %Error[-\w]*: .*broken\/vta_alu_row\.sv:2:\d+: .* \(full build log: .*\.log\)$/m);
  }, 600_000);

  it('regress --targets fsim,tsim=DESIGN.json: generated cases keep to the capabilities; without them the refusal is counted as the known difference it is', async () => {
    const base = ['regress', '--suite', 'commit', '--filter', '^random#[12]@small$', '--jobs', '2', '--json'];
    const withCaps = JSON.parse((await runCli(...base, '--targets', `fsim,tsim=${WITH_CAPS}`, '--no-results')).out).cases;
    expect(withCaps.map((c: { verdict: string }) => c.verdict)).toEqual(['pass', 'pass']);
    const results = join(dir, 'regress.db');
    const noCaps = await runCli(...base, '--targets', `fsim,tsim=${NO_CAPS}`, '--results', results);
    expect(JSON.parse(noCaps.out).cases.map((c: { verdict: string; known?: { id: string } }) => [c.verdict, c.known?.id])).toEqual([
      ['known', 'no-acc8'],
      ['known', 'no-acc8'],
    ]);
    expect(noCaps.code).toBe(0);
    // The results record the sources hash of the design each tsim run compiled.
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(results, { readonly: true });
    const hashes = db.prepare("SELECT DISTINCT design_hash FROM case_targets WHERE target LIKE 'tsim=%'").all() as { design_hash: string }[];
    db.close();
    expect(hashes).toHaveLength(1);
    expect(hashes[0]!.design_hash).toMatch(/^[0-9a-f]{64}$/);
  }, 600_000);
});

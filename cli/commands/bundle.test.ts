/**
 * `vta-trace bundle save|show`, and a saved file replayed by `diff --bundle`. Expected
 * instructions come from the recorded program's disassembly as listed in cli/fault-diff.test.ts
 * (#4 GEMM uop [0,2) iter 2x2 acc +2/+1, #8 ALU SHR imm 7) and the README (46 instructions).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { insnBytes } from '../../runtime/bundle/bundle.js';
import { bundleHash, loadBundle, saveBundle } from '../../runtime/bundle/bundle-file.js';
import { suiteCases } from '../../regression/suites.js';
import { encodeProgram } from '../../runtime/isa/codec.js';
import { NO_DEPS, type Insn } from '../../runtime/isa/insn.js';
import { MEM_ID } from '../../runtime/isa/layout.js';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import { TraceStore } from '../../tracer/store/trace-store.js';
import { runCli } from '../testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-bundle-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MATMUL = 'vec:matmul_blocked_4x4';
const matmulFile = join(dir, 'matmul.vtab');

describe('vta-trace bundle', () => {
  it('saves a recorded workload and shows its header and one line per instruction with its source', async () => {
    const saved = await runCli('bundle', 'save', '--workload', MATMUL, '-o', matmulFile);
    expect(saved.code).toBe(0);
    expect(saved.out).toMatch(/saved vec:matmul_blocked_4x4 \(46 instructions/);

    const shown = await runCli('bundle', 'show', matmulFile);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/^config +default +hash [0-9a-f]{16} +1x16_i8w8a32_15_15_18_17$/m);
    expect(shown.out).toMatch(/^workload +vec:matmul_blocked_4x4$/m);
    expect(shown.out).toMatch(/^program +46 instructions/m);
    const insns = shown.out.split('\n').filter((l) => /^ {2}#\d+ /.test(l));
    expect(insns).toHaveLength(46);
    expect(insns[4]).toMatch(/^ {2}#4 +GEMM +uop \[0,2\) +iter 2x2 +acc \+2\/\+1 .*; vec:matmul_blocked_4x4$/);
    expect(insns[8]).toMatch(/^ {2}#8 +ALU SHR .*imm 7 .*; vec:matmul_blocked_4x4$/);
  });

  it('saves a random workload on another config; --json gives the same program the workload builds', async () => {
    const file = join(dir, 'random-small.vtab');
    expect((await runCli('bundle', 'save', '--workload', 'random', '--config', 'small', '--seed', '3', '-o', file)).code).toBe(0);
    const r = await runCli('bundle', 'show', file, '--json');
    expect(r.code).toBe(0);
    const shown = JSON.parse(r.out) as {
      config: { name: string; bitstream: string };
      workload: { name: string; seed: number };
      insnCount: number;
      instructions: { pc: number; hex: string }[];
    };
    expect(shown.config.name).toBe('small');
    expect(shown.config.bitstream).toMatch(/^1x4_/); // small: 1x4x4
    expect(shown.workload).toEqual({ name: 'random', seed: 3 });
    // Independent path: build the same workload directly and read its instruction words.
    const direct = buildWorkload('random', { config: resolveConfig('small'), seed: 3 });
    const raw = insnBytes(direct);
    expect(shown.insnCount).toBe(direct.insnCount);
    expect(shown.instructions.map((i) => i.hex)).toEqual(
      Array.from({ length: direct.insnCount }, (_, k) => Buffer.from(raw.subarray(k * 16, k * 16 + 16)).reverse().toString('hex')),
    );
  });

  it('a saved file replays under diff --bundle: a seeded GEMM lane bug is named at instruction #4 (exit 1)', async () => {
    const r = await runCli('diff', 'fsim', 'fsim+gemm-lane:pc=4,lane=3', '--bundle', matmulFile, '--db', join(dir, 'diff.db'));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/first divergence at instruction #4 \(compute\)/);
    expect(r.out).toMatch(/insn +GEMM/);
    expect(r.out).toContain(`--bundle ${matmulFile}`);
  });

  it("runs of a bundle file are recorded under the bundle's own configuration, not --config", async () => {
    const file = join(dir, 'random-small-diff.vtab');
    expect((await runCli('bundle', 'save', '--workload', 'random', '--config', 'small', '--seed', '4', '-o', file)).code).toBe(0);
    const db = join(dir, 'cfg.db');
    expect((await runCli('diff', 'fsim', 'fsim', '--bundle', file, '--db', db)).code).toBe(0);
    const store = TraceStore.open(db, { readonly: true });
    const names = store.runs().map((r) => r.configName);
    store.close();
    expect(names).toEqual(['small', 'small']);
  });

  it('the same file diffed against itself on clean fsim agrees (exit 0)', async () => {
    const r = await runCli('diff', 'fsim', 'fsim', '--bundle', matmulFile, '--db', join(dir, 'same.db'));
    expect(r.code).toBe(0);
  });

  it('show flags a FINISH that does not wait for the last STORE, naming the store; a synchronised program says it waits', async () => {
    const p = resolveConfig('default');
    const store = { ...NO_DEPS, opcode: 1, memory_type: MEM_ID.OUT, sram_base: 0, dram_base: 0, is_pad_min_value: 0, y_size: 0, x_size: 0, x_stride: 0, y_pad_0: 0, y_pad_1: 0, x_pad_0: 0, x_pad_1: 0 } as Insn;
    const bytes = encodeProgram(p, [store, { ...NO_DEPS, opcode: 3 }]);
    const file = join(dir, 'unordered.vtab');
    saveBundle(file, { params: p, insnAddr: 0x1000, insnCount: 2, buffers: [{ name: 'insn', role: 'insn', addr: 0x1000, bytes }], outputs: [], sourceMap: [null, null] });
    const shown = await runCli('bundle', 'show', file);
    expect(shown.code).toBe(0);
    expect(shown.out).toMatch(/^finish +WARNING instruction #0: the store module's last instruction is not ordered before FINISH #1/m);
    const json = JSON.parse((await runCli('bundle', 'show', file, '--json')).out) as { finish: { index: number } };
    expect(json.finish.index).toBe(0);
    expect((await runCli('bundle', 'show', matmulFile)).out).toMatch(/^finish +waits for every module$/m);
  });

  it('save takes a regress case id with parameters, seed and config: the same program the case runs', async () => {
    const spec = suiteCases('nightly').find((c) => c.params && c.workload.startsWith('conv:') && c.config !== 'default')!;
    const file = join(dir, 'case.vtab');
    const r = await runCli('bundle', 'save', '--workload', spec.id, '-o', file);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const direct = buildWorkload(spec.workload, { config: resolveConfig(spec.config), seed: spec.seed, params: spec.params });
    expect(bundleHash(loadBundle(file))).toBe(bundleHash(direct));
    // Without its parameters the name alone builds another (the full-size) program.
    expect(bundleHash(buildWorkload(spec.workload, { config: resolveConfig(spec.config), seed: spec.seed }))).not.toBe(bundleHash(direct));
    const clash = await runCli('bundle', 'save', '--workload', spec.id, '--seed', String(spec.seed + 1), '-o', file);
    expect(clash.code).toBe(2);
    expect(clash.err).toMatch(/names seed \d+ but --seed is \d+/);
  });

  it('errors are one line naming the file and the problem (exit 2)', async () => {
    const bad = join(dir, 'bad.vtab');
    const bytes = readFileSync(matmulFile);
    bytes[bytes.length - 100] ^= 1;
    writeFileSync(bad, bytes);
    const corrupt = await runCli('bundle', 'show', bad);
    expect(corrupt.code).toBe(2);
    expect(corrupt.err).toBe(`vta-trace: bundle file ${bad}: checksum mismatch: the file is corrupt\n`);

    const diff = await runCli('diff', 'fsim', 'fsim', '--bundle', bad, '--db', join(dir, 'bad.db'));
    expect(diff.code).toBe(2);
    expect(diff.err).toMatch(/checksum mismatch/);

    const unknown = await runCli('bundle', 'save', '--workload', 'nonesuch', '-o', join(dir, 'x.vtab'));
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown workload "nonesuch"/);

    expect((await runCli('bundle', 'save', '--workload', MATMUL)).code).toBe(2); // no -o
  });
});

/**
 * The regression runner end to end, through the piscina pool (the compiled worker in dist/, built
 * by `npm run build` before the tests): passing suites, failures grouped into one bucket per
 * cause, per-case timeouts that do not stop the pool, shards and JUnit.
 */
import { describe, expect, it } from 'vitest';
import { insnBytes } from '../runtime/bundle/bundle.js';
import { decodeProgram } from '../runtime/isa/codec.js';
import { repoPath } from '../runtime/repo.js';
import { buildWorkload } from '../runtime/workloads/index.js';
import type { CaseResult } from './case-result.js';
import { junitXml } from './reporters/junit.js';
import { buckets, runCases } from './runner.js';
import { caseId, shard, suiteCases, type CaseSpec } from './suites.js';

const quiet = { reporters: [], caseTimeoutMs: 300_000 };
const vec = (name: string, targets: string[]): CaseSpec => ({ id: `vec:${name}`, workload: `vec:${name}`, config: 'default', seed: 0, targets, golden: true });

describe('suites', () => {
  it('shards are disjoint, complete and stable', () => {
    const all = suiteCases('commit').map((c) => c.id);
    const parts = [1, 2, 3].map((i) => shard(all, i, 3));
    expect(parts.flat().sort()).toEqual([...all].sort());
    expect(new Set(parts.flat()).size).toBe(all.length);
    expect(shard(all, 2, 3)).toEqual(parts[1]);
  });

  it('commit has a few hundred cases on every fixture config, fsim against tsim, builder workloads included', () => {
    const cases = suiteCases('commit');
    expect(cases.length).toBeGreaterThanOrEqual(200);
    for (const w of ['alu:add-imm', 'padded-load:top-left']) expect(cases.filter((c) => c.workload === w).map((c) => c.config).sort()).toEqual(['batch2', 'block32', 'default', 'rect-8x16', 'small', 'small-fork']);
    // The trace unit's configuration gets random programs and one of each data path.
    for (const w of ['gemm', 'conv2d-small']) expect(cases.filter((c) => c.workload === w).map((c) => c.config).sort()).toEqual(['batch2', 'block32', 'default', 'rect-8x16', 'small', 'small-fork', 'small-trace']);
    expect(cases.filter((c) => c.config === 'small-trace' && c.workload === 'random')).toHaveLength(4);
    // The two-pipe programs aimed at the dual-pipe survivors of the mutation score (runtime/workloads/pipe-workloads.ts).
    expect(cases.filter((c) => c.workload === 'pipe:alu-src-footprint' && c.golden).map((c) => c.config).sort()).toEqual(['batch2', 'block32', 'default', 'rect-8x16', 'small', 'small-fork']);
    // On small-trace too: the single-pipe compute path (mutants in vta_compute.sv's one-pipe branch).
    expect(cases.filter((c) => c.workload === 'pipe:early-load-push' && c.golden).map((c) => c.config).sort()).toEqual(['batch2', 'block32', 'default', 'rect-8x16', 'small', 'small-fork', 'small-trace']);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    expect(new Set(cases.map((c) => c.config))).toEqual(new Set(['default', 'small', 'batch2', 'block32', 'rect-8x16', 'small-fork', 'small-trace']));
    expect(cases.every((c) => c.targets.join() === (c.workload.startsWith('mem:') ? 'fsim,tsim@in-order+dma' : 'fsim,tsim'))).toBe(true);
    // The y_size = 0 LOAD and STORE: they kill mutants #60 and #68, which the rest of the suite lets survive.
    expect(cases.find((c) => c.id === 'mem:empty-rows#1@small')?.targets).toEqual(['fsim', 'tsim@in-order+dma']);
  });

  it('commit has every ResNet-18 convolution at full size on default, scaled by 4 elsewhere, and the pools and classifier', () => {
    const cases = suiteCases('commit');
    const layers = ['C2', 'C3', 'C4', 'C5', 'C6', 'C7', 'C8', 'C9', 'C10', 'C11'];
    const onDefault = cases.filter((c) => c.config === 'default' && /^(conv:|maxpool|avgpool|dense)/.test(c.workload));
    expect(onDefault.map((c) => c.id)).toEqual([...layers.map((l) => `conv:${l}#1@default`), 'maxpool#1@default', 'avgpool#1@default', 'dense#1@default']);
    // Full size: no parameters, so the workloads' defaults (the network's own shapes) apply.
    expect(onDefault.every((c) => c.params === undefined && c.golden && c.targets.join() === 'fsim,tsim')).toBe(true);
    const onSmall = cases.filter((c) => c.config === 'small' && c.workload.startsWith('conv:'));
    expect(onSmall.map((c) => c.id)).toEqual(layers.map((l) => `conv:${l},scale=4#1@small`));
    expect(onSmall.every((c) => c.params?.scale === 4)).toBe(true);
  });

  it('whole networks: scaled down on every config whose blocks are square in commit, full size on default first in nightly', () => {
    const square = ['batch2', 'block32', 'default', 'small', 'small-fork'];
    const nets = (suite: 'commit' | 'nightly') => suiteCases(suite).filter((c) => c.workload === 'resnet18' || c.workload === 'mobilenet');
    const commit = nets('commit');
    for (const w of ['resnet18', 'mobilenet']) expect(commit.filter((c) => c.workload === w).map((c) => c.config).sort()).toEqual(square);
    expect(commit.every((c) => c.params !== undefined && c.golden && c.targets.join() === 'fsim,tsim')).toBe(true);
    const nightly = suiteCases('nightly');
    expect(nightly.slice(0, 3).map((c) => c.id)).toEqual(['resnet18#1@default', 'mobilenet#1@default', 'resnet18,classes=10,hw=8,width=16#1@small']);
    expect(suiteCases('commit')[0]!.id).toBe('resnet18,classes=10,hw=8,width=16#1@small');
    expect(nets('nightly').filter((c) => c.params === undefined)).toHaveLength(2);
    expect(nets('nightly').filter((c) => c.params !== undefined).map((c) => c.id)).toEqual(commit.map((c) => c.id));
  });

  it('a case id lists its parameters sorted, in a form --filter matches literally', () => {
    expect(caseId('maxpool', { stride: 2, k: 3 }, 1, 'default')).toBe('maxpool,k=3,stride=2#1@default');
    expect(caseId('random', undefined, 7, 'small')).toBe('random#7@small');
    const ids = suiteCases('commit').map((c) => c.id);
    expect(ids.filter((id) => new RegExp('conv:C2,scale=4').test(id))).toEqual(['conv:C2,scale=4#1@small', 'conv:C2,scale=4#1@batch2', 'conv:C2,scale=4#1@block32', 'conv:C2,scale=4#1@rect-8x16', 'conv:C2,scale=4#1@small-fork']);
  });
});

describe('runner', () => {
  it('runs the smoke suite on two workers: every recorded program passes on fsim', async () => {
    const results = await runCases(suiteCases('smoke').filter((c) => c.workload.startsWith('vec:')), { ...quiet, jobs: 2 });
    expect(results).toHaveLength(55);
    expect(results.filter((r) => r.verdict !== 'pass').map((r) => r.id)).toEqual([]);
  });

  it('groups failures with one cause into one bucket and names the first divergence', async () => {
    // The same seeded fsim bug (the first ALU SHR executes ADD instead) in two programs; a third
    // program carries a fault on an instruction it does not have and must pass.
    const firstShr = (name: string) => {
      const b = buildWorkload(`vec:${name}`);
      return decodeProgram(b.params, insnBytes(b)).findIndex((i) => i.opcode === 4 && i.alu_opcode === 3);
    };
    const shrAt = { matmul_blocked_4x4: firstShr('matmul_blocked_4x4'), alu_shr_imm_pos: firstShr('alu_shr_imm_pos') };
    const results = await runCases(
      [
        vec('matmul_blocked_4x4', ['fsim', `fsim+alu-op:pc=${shrAt.matmul_blocked_4x4},op=2`]),
        vec('alu_shr_imm_pos', ['fsim', `fsim+alu-op:pc=${shrAt.alu_shr_imm_pos},op=2`]),
        vec('gemm_tile_4x3', ['fsim', 'fsim+gemm-lane:pc=999,lane=0']),
      ],
      { ...quiet, jobs: 2 },
    );
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    expect(byId['vec:gemm_tile_4x3']!.verdict).toBe('pass');
    expect(byId['vec:matmul_blocked_4x4']!.verdict).toBe('fail');
    expect(byId['vec:matmul_blocked_4x4']!.divergence).toMatchObject({ pc: shrAt.matmul_blocked_4x4, stream: 'sram.acc' });
    expect(byId['vec:alu_shr_imm_pos']!.verdict).toBe('fail');
    const groups = buckets(results);
    expect([...groups.keys()]).toEqual(['ALU SHR sram.acc']);
    expect(groups.get('ALU SHR sram.acc')).toHaveLength(2);
  });

  it('a case past its time limit is an error and the pool goes on', async () => {
    const results = await runCases([vec('matmul_blocked_4x4', ['fsim']), vec('gemm_tile_4x3', ['fsim'])], { reporters: [], jobs: 1, caseTimeoutMs: 0 });
    expect(results.map((r) => r.verdict)).toEqual(['error', 'error']);
    expect(results[0]!.signature).toBe('case timeout');
    const again = await runCases([vec('gemm_tile_4x3', ['fsim'])], { ...quiet, jobs: 1 });
    expect(again[0]!.verdict).toBe('pass');
  });

  it('a worker that hangs, dies or throws fails only its case; its pool replaces it and goes on', async () => {
    // One thread per pool: the cases after each misbehaving one must run on a replacement thread.
    const results = await runCases(
      [
        vec('gemm_tile_4x3', ['fsim', 'test:hang']),
        vec('gemm_tile_4x3', ['fsim', 'test:ok']),
        vec('matmul_blocked_4x4', ['fsim', 'test:crash']),
        vec('matmul_blocked_4x4', ['fsim', 'test:ok']),
        vec('alu_shr_imm_pos', ['fsim', 'test:throw']),
        vec('alu_shr_imm_pos', ['fsim', 'test:ok']),
      ],
      { reporters: [], jobs: 1, caseTimeoutMs: 5_000, workerFile: repoPath('dist', 'regression', 'testing', 'misbehaving-worker.js') },
    );
    expect(results.map((r) => [r.verdict, r.signature])).toEqual([
      ['error', 'case timeout'],
      ['pass', undefined],
      ['error', 'worker crash'],
      ['pass', undefined],
      ['error', 'worker crash'],
      ['pass', undefined],
    ]);
    expect(results[0]!.reason).toBe('target test:hang: no result within 5000 ms');
    expect(results[4]!.reason).toMatch(/the simulator library aborted/);
    // The fsim run of a case whose other target failed is still reported.
    expect(results[2]!.outcomes.map((o) => o.target)).toEqual(['fsim']);
  }, 60_000);

  it('fsim and tsim work go to separate pools: a slow tsim pool does not hold up fsim runs', async () => {
    const order: string[] = [];
    const results = await runCases(
      [vec('gemm_tile_4x3', ['fsim', 'test:hang']), vec('matmul_blocked_4x4', ['fsim']), vec('alu_shr_imm_pos', ['fsim'])],
      {
        reporters: [{ onCase: (r) => order.push(r.id) }],
        jobs: 1,
        caseTimeoutMs: 5_000,
        workerFile: repoPath('dist', 'regression', 'testing', 'misbehaving-worker.js'),
      },
    );
    // With one shared single-thread pool the fsim-only cases would queue behind the hanging run.
    expect(order).toEqual(['vec:matmul_blocked_4x4', 'vec:alu_shr_imm_pos', 'vec:gemm_tile_4x3']);
    expect(results.map((r) => r.verdict)).toEqual(['error', 'pass', 'pass']);
  }, 60_000);

  it('--compare digests catches a seeded bug the outputs hide; fsim and tsim agree on every digest', async () => {
    // GEMM #4 of the requantising matmul flips bit 0 of ACC lane 0; the later shift drops that bit,
    // so the outputs are right and only the instruction digests can tell.
    const masked = vec('matmul_single_tile_requant', ['fsim', 'fsim+gemm-lane:pc=4,lane=0']);
    const [byOutputs] = await runCases([masked], { ...quiet, jobs: 1, compare: 'outputs' });
    expect(byOutputs!.verdict).toBe('pass');
    const [byDigests, agreeing] = await runCases([masked, vec('matmul_blocked_4x4', ['fsim', 'tsim'])], { ...quiet, jobs: 1, compare: 'digests' });
    expect(byDigests!.verdict).toBe('fail');
    expect(byDigests!.reason).toContain('instruction digests differ from fsim (outputs agree)');
    expect(byDigests!.divergence).toMatchObject({ pc: 4, stream: 'sram.acc' });
    expect(agreeing!.verdict).toBe('pass');
    const [fsimDigest, tsimDigest] = agreeing!.outcomes.map((o) => o.digest);
    expect(fsimDigest).toMatch(/^[0-9a-f]{16}$/);
    expect(tsimDigest).toBe(fsimDigest);
  }, 300_000);

  it('a case’s parameters reach the worker: a ResNet-18 layer full size and scaled passes on fsim and tsim, a bad scale is a build error', async () => {
    const conv = (config: string, params?: { scale: number }): CaseSpec => ({ id: caseId('conv:C4', params, 1, config), workload: 'conv:C4', ...(params ? { params } : {}), config, seed: 1, targets: ['fsim', 'tsim'], golden: true });
    const results = await runCases([conv('default'), conv('small', { scale: 4 }), conv('small', { scale: 3 })], { ...quiet, jobs: 2 });
    expect(results.map((r) => [r.id, r.verdict])).toEqual([
      ['conv:C4#1@default', 'pass'],
      ['conv:C4,scale=4#1@small', 'pass'],
      ['conv:C4,scale=3#1@small', 'error'],
    ]);
    // 64 input channels are not divisible by 3: only a worker that received the parameter can say so.
    expect(results[2]!.reason).toMatch(/scale 3 does not divide the channels 64/);
    // Full size and scaled are different programs: 56×56 vs 14×14 inputs.
    expect(results[0]!.outcomes[1]!.cycles).toBeGreaterThan(4 * results[1]!.outcomes[1]!.cycles);
  }, 120_000);

  it('a seeded RTL bug makes commit cases fail in a single bucket', async () => {
    const cases = suiteCases('commit', { tsimVariant: 'alu-swap' }).filter((c) => c.config === 'small');
    const results = await runCases(cases, { ...quiet, jobs: 2 });
    const groups = buckets(results);
    expect(results.some((r) => r.verdict === 'fail')).toBe(true);
    expect([...groups.keys()]).toEqual(['ALU SHR sram.acc']);
  }, 600_000);
});

describe('JUnit XML', () => {
  it('lists every case with failures and errors marked', () => {
    const results: CaseResult[] = [
      { id: 'a', verdict: 'pass', outcomes: [], seconds: 0.5 },
      { id: 'b<1>', verdict: 'fail', reason: 'x & y', signature: 'GEMM sram.acc', report: 'DIVERGED: fsim (run 1) vs tsim (run 2)\n\nfirst divergence at instruction #4 (compute)\n\nreproduce: vta-trace diff fsim tsim --workload b\n', reproduce: 'vta-trace diff fsim tsim --workload b', outcomes: [], seconds: 1 },
      { id: 'c', verdict: 'error', reason: 'timeout', signature: 'case timeout', reproduce: 'vta-trace diff fsim tsim --workload c', outcomes: [], seconds: 2 },
    ];
    const xml = junitXml('smoke', results, 3.5);
    expect(xml).toContain('<testsuites tests="3" failures="1" errors="1" time="3.500">');
    expect(xml).toContain('<testcase classname="smoke" name="a" time="0.500"/>');
    expect(xml).toContain('<testcase classname="smoke" name="b&lt;1&gt;" time="1.000">');
    // The body: the divergence report (with its reproduce line, not repeated), else the reason and the reproduce line.
    expect(xml).toContain('<failure type="GEMM sram.acc" message="x &amp; y">DIVERGED: fsim (run 1) vs tsim (run 2)\n\nfirst divergence at instruction #4 (compute)\n\nreproduce: vta-trace diff fsim tsim --workload b</failure>');
    expect(xml).toContain('<error type="case timeout" message="timeout">timeout\nreproduce: vta-trace diff fsim tsim --workload c</error>');
    expect((xml.match(/<testcase /g) ?? []).length).toBe(3);
  });
});

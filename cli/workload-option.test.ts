/**
 * Every regression case id is a --workload for diff, run and bundle save, building the program the
 * case ran (same bundle hash as the regression worker's build), with one seed default everywhere.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleHash, loadBundle } from '../runtime/bundle/bundle-file.js';
import { buildCase } from '../regression/workers/build-case.js';
import { suiteCases } from '../regression/suites.js';
import { runCli } from './testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-workload-option-'));

describe('case ids as --workload', () => {
  const commitCase = (id: string) => suiteCases('commit').find((c) => c.id === id)!;

  it('bundle save builds the very bundle a parametrised case ran', async () => {
    const c = commitCase('conv:C5,scale=4#1@small');
    const file = join(dir, 'c5.vtab');
    const r = await runCli('bundle', 'save', '--workload', c.id, '-o', file);
    expect([r.code, r.err]).toEqual([0, '']);
    expect(bundleHash(loadBundle(file))).toBe(bundleHash(buildCase(c)));
    // The bare name builds the full-size layer on another configuration: another program.
    const bare = join(dir, 'bare.vtab');
    expect((await runCli('bundle', 'save', '--workload', 'conv:C5', '--config', 'small', '-o', bare)).code).toBe(0);
    expect(bundleHash(loadBundle(bare))).not.toBe(bundleHash(buildCase(c)));
  });

  it('diff and run take a case id; the seed default is the same in every command', async () => {
    const c = commitCase('random#1@small');
    const db = join(dir, 'diff.db');
    const d = await runCli('diff', 'fsim', 'fsim', '--workload', 'random', '--config', 'small', '--db', db, '--json');
    expect(d.code).toBe(0);
    expect(JSON.parse(d.out).bundle.hash).toBe(bundleHash(buildCase(c)));
    const run = await runCli('run', '--workload', 'random', '--config', 'small', '--json');
    const runById = await runCli('run', '--workload', c.id, '--json');
    expect(JSON.parse(run.out).counters).toEqual(JSON.parse(runById.out).counters);
    const saved = join(dir, 'random.vtab');
    expect((await runCli('bundle', 'save', '--workload', 'random', '--config', 'small', '-o', saved)).code).toBe(0);
    expect(bundleHash(loadBundle(saved))).toBe(bundleHash(buildCase(c)));
  });

  it('a parameter the workload does not take is an error naming it and what it takes', async () => {
    const r = await runCli('run', '--workload', 'conv:C5,scal=4@small');
    expect([r.code, r.err]).toEqual([2, 'vta-trace: workload conv:C5 has no parameter "scal" (did you mean "scale"?); it takes scale\n']);
    const vec = await runCli('run', '--workload', 'vec:matmul_blocked_4x4,scale=2');
    expect(vec.err).toContain('workload vec:matmul_blocked_4x4 takes no parameters (got scale)');
  });
});

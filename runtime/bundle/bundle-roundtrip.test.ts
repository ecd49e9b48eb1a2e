/**
 * Every bundle the project writes loads again (saveBundle and loadBundle share checkBundle), and
 * every workload places its buffers where upstream's allocator would: VTAMemAlloc hands out whole
 * 4 KiB pages from physical 0x1000 upward (src/vmem/virtual_memory.cc upstream), so allocating the
 * buffers in address order must land each one on the address the bundle records.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { largeGemmBundle, oneUopStreamBundle } from '../../bench/fsim.js';
import { resolveConfig } from '../config/fixtures.js';
import { buildWorkload, listWorkloads } from '../workloads/index.js';
import type { ProgramBundle } from './bundle.js';
import { BundleError, bundleHash, loadBundle, saveBundle } from './bundle-file.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-bundle-roundtrip-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Where upstream's allocator puts buffers allocated in address order: page after page from 0x1000. */
function upstreamPlacement(b: ProgramBundle): Record<string, number> {
  let next = 0x1000;
  const placed: Record<string, number> = {};
  for (const x of [...b.buffers].sort((u, v) => u.addr - v.addr)) {
    placed[x.name] = next;
    next += Math.ceil(x.bytes.length / 4096) * 4096;
  }
  return placed;
}

function roundTrip(b: ProgramBundle, file: string): void {
  const path = join(dir, file.replace(/[^\w.-]/g, '_'));
  saveBundle(path, b);
  const back = loadBundle(path);
  expect(bundleHash(back)).toBe(bundleHash(b));
  expect(back.sourceMap).toStrictEqual(b.sourceMap);
  expect(back.buffers).toStrictEqual(b.buffers);
  expect(back.outputs).toStrictEqual(b.outputs);
  expect(Object.fromEntries(b.buffers.map((x) => [x.name, x.addr]))).toEqual(upstreamPlacement(b));
}

const CONFIGS = ['small', 'default', 'batch2', 'block32', 'rect-8x16', 'small-fork'];

describe('every bundle the project writes loads again, buffers where upstream allocates them', () => {
  it.each(listWorkloads().map((w) => w.name))('%s on the default config', (name) => {
    roundTrip(buildWorkload(name, { config: resolveConfig('default'), seed: 1 }), `${name}.vtab`);
    // The full-size networks take a minute or more to build on a loaded 2-core machine.
  }, 600_000);

  it.each(CONFIGS)('random programs on %s', (config) => {
    for (const seed of [1, 2, 3]) roundTrip(buildWorkload('random', { config: resolveConfig(config), seed }), `random-${config}-${seed}.vtab`);
  });

  it('the benchmark bundles (long GEMM, one-micro-op stream across page boundaries)', () => {
    roundTrip(largeGemmBundle(4), 'gemm.vtab');
    roundTrip(oneUopStreamBundle(300), 'stream.vtab');
  });

  it('a bundle that would not load is refused before anything is written', () => {
    const b = { ...buildWorkload('vec:matmul_blocked_4x4'), sourceMap: [] };
    const path = join(dir, 'no-source-map.vtab');
    expect(() => saveBundle(path, b)).toThrow(BundleError);
    expect(() => saveBundle(path, b)).toThrow(/sourceMap: 0 entries for 46 instructions/);
    expect(existsSync(path)).toBe(false);
  });
});

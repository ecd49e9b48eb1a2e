/**
 * The read path of our RTL when memory reorders: vta_tensor_reader alone under Verilator, driven
 * by testing/reader_tb.cc — bursts answered in random order with interleaved beats, gaps and
 * random request grants. Every element unit must arrive once, at its index, with its DRAM bytes,
 * for narrow elements (several per beat, unaligned rows) and wide ones (several beats each). The
 * in-order-reads variant (fixtures/rtl-variants) must fail the same check.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoPath } from '../../../runtime/repo.js';
import { applyRtlPatch, readRtlPatch } from '../rtl-patch.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Builds the bench for one (element, bus) size with the given reader source; returns the binary. */
function build(elemBytes: number, busBytes: number, source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'vta-reader-'));
  dirs.push(dir);
  const r = spawnSync(
    'verilator',
    ['--cc', '--exe', '--build', '-j', '2', '-Wno-fatal', '--prefix', 'Vreader', '--top-module', 'vta_tensor_reader', '--Mdir', join(dir, 'obj'),
      `-GElemBytes=${elemBytes}`, `-GBusBytes=${busBytes}`, '-GIdxW=10', '-GNumSlots=4', source, repoPath('targets', 'tsim', 'rtl', 'testing', 'reader_tb.cc'), '-CFLAGS', '-std=c++17'],
    { encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
  return join(dir, 'obj', 'Vreader');
}

function run(binary: string, elemBytes: number, busBytes: number, seed: number): string {
  return spawnSync(binary, [String(elemBytes), String(busBytes), String(seed)], { encoding: 'utf8' }).stdout.trim();
}

const ownReader = repoPath('targets', 'tsim', 'rtl', 'vta_tensor_reader.sv');

describe('our read path with reordering memory', () => {
  it.each([
    [16, 8], // instruction / INP: two beats per element
    [4, 8], // micro-ops: two per beat, rows starting mid-beat
    [4, 32],
    [1024, 32], // block32 WGT: 32 beats per element
  ])('element %i bytes on a %i-byte bus: every unit once, in place', (elemBytes, busBytes) => {
    const bin = build(elemBytes, busBytes, ownReader);
    for (const seed of [1, 2, 3]) expect(run(bin, elemBytes, busBytes, seed)).toMatch(/^ok \d+$/);
  }, 120_000);

  it('the in-order-reads variant loses data as soon as bursts come back reordered', () => {
    // The variant is a patch of our reader: apply it (as a tsim build does) into a file for the bench.
    const [patched] = applyRtlPatch([{ name: 'vta_tensor_reader.sv', path: ownReader, content: readFileSync(ownReader, 'utf8') }], readRtlPatch(repoPath('fixtures', 'rtl-variants', 'in-order-reads', 'variant.patch')));
    const dir = mkdtempSync(join(tmpdir(), 'vta-reader-variant-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'vta_tensor_reader.sv'), patched!.content);
    const bin = build(16, 8, join(dir, 'vta_tensor_reader.sv'));
    expect(run(bin, 16, 8, 1)).toMatch(/wrong or missing|written twice|arrived/);
  }, 120_000);
});

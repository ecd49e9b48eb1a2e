/**
 * Bundles that pass the checksum but not the sense checks (issue 19: 147 mutated bundles made
 * `diff fsim fsim` report DIVERGED, "0 byte(s) differ, first at offset null"): each is refused
 * when read, with the file and the section at fault; every real workload passes.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli/testing/run-cli.js';
import { forgeHeader, type RawHeader } from '../../fuzz/forge-bundle.js';
import { resolveConfig } from '../config/fixtures.js';
import { buildWorkload, listWorkloads } from '../workloads/index.js';
import { BundleError, encodeBundle, loadBundle } from './bundle-file.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-check-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// gemm on small: buffers inp, wgt, out, uop, insn, one page apart from 0x1000; output "out" of 24 bytes at 0x3000.
const gemm = encodeBundle(buildWorkload('gemm', { config: resolveConfig('small'), seed: 1 }));
const buf = (h: RawHeader, role: string) => h.buffers.find((b) => b.role === role)!;

function forged(name: string, edit: (h: RawHeader) => void): string {
  const file = join(dir, `${name}.vtab`);
  writeFileSync(
    file,
    forgeHeader(gemm, (h) => {
      edit(h);
      return h;
    }),
  );
  return file;
}

function refusal(file: string): string {
  try {
    loadBundle(file);
  } catch (e) {
    expect(e).toBeInstanceOf(BundleError);
    return (e as Error).message;
  }
  throw new Error(`${file} was accepted`);
}

describe('a mutated bundle is refused when read, naming the file and the section', () => {
  it.each<[string, (h: RawHeader) => void, RegExp]>([
    ['output beyond DRAM', (h) => (h.outputs[0]!.size = 2 ** 32 + 16), /outputs\[0\] "out": \[0x3000, \+4294967312\) ends beyond the 32-bit DRAM address space/],
    ['output buffer dropped', (h) => ((h.buffers = h.buffers.filter((b) => b.role !== 'out')), (h.expected = [])), /outputs\[0\] "out": \[0x3000, \+24\) does not lie inside one buffer/],
    ['output moved off its buffer', (h) => ((h.outputs[0]!.addr += 1 << 20), (h.expected = [])), /outputs\[0\] "out": \[0x103000, \+24\) does not lie inside one buffer/],
    ['output running past its buffer', (h) => (h.outputs[0]!.size = 25), /outputs\[0\] "out": \[0x3000, \+25\) does not lie inside one buffer/],
    ['buffers overlapping', (h) => (buf(h, 'inp').addr = buf(h, 'wgt').addr + 8), /buffers\[1\] "wgt": \[0x2000, \+48\) overlaps buffers\[0\] "inp" \[0x2008, \+8\)|buffers\[0\] "inp": \[0x2008, \+8\) overlaps buffers\[1\] "wgt" \[0x2000, \+48\)/],
    ['buffer beyond DRAM', (h) => (buf(h, 'uop').addr = 2 ** 32 - 2), /buffers\[3\] "uop": \[0xfffffffe, \+4\) ends beyond the 32-bit DRAM address space/],
    ['two buffers of one name', (h) => (buf(h, 'wgt').name = 'inp'), /buffers\[1\] "inp": a second buffer of this name/],
    ['expected output of another size', (h) => (h.expected[0]!.length = 16), /expected "out": 16 bytes for an output of 24/],
    ['expected output naming no output', (h) => (h.expected[0]!.name = 'nope'), /expected "nope": names no output/],
    ['two outputs of one name', (h) => h.outputs.push({ ...h.outputs[0]! }), /outputs\[1\] "out": a second output of this name/],
  ])('%s', (name, edit, problem) => {
    const file = forged(name.replace(/\W+/g, '-'), edit);
    const message = refusal(file);
    expect(message.startsWith(`bundle file ${file}: `)).toBe(true);
    expect(message).toMatch(problem);
  });

  it('diff fsim fsim on a bundle whose output lies beyond DRAM: refused (exit 2, one line), not DIVERGED', async () => {
    const file = forged('diff-beyond-dram', (h) => (h.outputs[0]!.size = 2 ** 32 + 16));
    const r = await runCli('diff', 'fsim', 'fsim', '--bundle', file, '--db', join(dir, 'trace.db'));
    expect(r.out).not.toMatch(/DIVERGED/);
    expect(r.code).toBe(2);
    expect(r.err.trim().split('\n')).toEqual([expect.stringMatching(new RegExp(`^vta-trace: bundle file ${file}: outputs\\[0\\] "out"`))]);
  });
});

describe('real bundles pass', () => {
  // The operators and networks are left out for time (seconds each); they build from the same builder.
  it('every recorded workload (default) and builder workload (small) loads back from its file', () => {
    let n = 0;
    for (const config of ['default', 'small']) {
      for (const w of listWorkloads()) {
        if (/^(conv:|resnet18|mobilenet|dense|avgpool|maxpool|depthwise)/.test(w.name) || w.name.startsWith('vec:') !== (config === 'default')) continue;
        const b = buildWorkload(w.name, { config: resolveConfig(config), seed: 1 });
        const file = join(dir, 'real.vtab');
        writeFileSync(file, encodeBundle(b));
        expect(() => loadBundle(file), `${w.name}@${config}`).not.toThrow();
        n++;
      }
    }
    expect(n).toBeGreaterThan(80);
  });
});

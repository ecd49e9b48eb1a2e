/**
 * `vta-trace run --bundle FILE` and `--outputs DIR`: the files hold exactly the bytes of each output
 * range, compared here with the output upstream's fsim recorded for the program (the bundle's
 * expected bytes come from that recording, fixtures/vectors), so `cmp` against another simulator works.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildWorkload } from '../../runtime/workloads/index.js';
import { runCli } from '../testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-run-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MATMUL = 'vec:matmul_blocked_4x4';
const recorded = buildWorkload(MATMUL).expected!;

describe('vta-trace run --bundle / --outputs', () => {
  const file = join(dir, 'matmul.vtab');

  it('runs a saved bundle and writes each output range to DIR/<name>.bin, byte for byte the recorded result', async () => {
    expect((await runCli('bundle', 'save', '--workload', MATMUL, '-o', file)).code).toBe(0);
    const outDir = join(dir, 'out', 'fsim'); // a folder that does not exist yet
    const r = await runCli('run', '--bundle', file, '--outputs', outDir);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(new RegExp(`^fsim on ${file}: match$`, 'm'));
    expect(readdirSync(outDir).sort()).toEqual(Object.keys(recorded).map((n) => `${n}.bin`).sort());
    for (const [name, bytes] of Object.entries(recorded)) expect(new Uint8Array(readFileSync(join(outDir, `${name}.bin`)))).toEqual(bytes);
  });

  it('--json carries the output bytes and their sha256; a faulty target writes its own (different) bytes and exits 1', async () => {
    const outDir = join(dir, 'out', 'faulty');
    const r = await runCli('run', '--bundle', file, '--target', 'fsim+alu-op:pc=8,op=2', '--outputs', outDir, '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out) as { verdict: string; outputs: { name: string; size: number; sha256: string; hex: string; file: string }[] };
    expect(j.verdict).toBe('mismatch');
    const [name, want] = Object.entries(recorded)[0]!;
    const o = j.outputs.find((x) => x.name === name)!;
    expect(o.size).toBe(want.length);
    expect(Buffer.from(o.hex, 'hex').equals(Buffer.from(want))).toBe(false);
    expect(o.sha256).toBe(createHash('sha256').update(Buffer.from(o.hex, 'hex')).digest('hex'));
    expect(readFileSync(o.file).toString('hex')).toBe(o.hex);
  });

  it('--workload and --bundle together, or a missing bundle file, is one error line (exit 2)', async () => {
    const both = await runCli('run', '--bundle', file, '--workload', MATMUL);
    expect(both.code).toBe(2);
    expect(both.err).toBe('vta-trace: give either --workload or --bundle, not both\n');
    const missing = await runCli('run', '--bundle', join(dir, 'nonesuch.vtab'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/^vta-trace: bundle file .*nonesuch\.vtab: cannot read/);
  });
});

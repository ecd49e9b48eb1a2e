/**
 * The reference replayer (tools/replay/vta_replay.py, Python standard library only) reads bundle
 * files as docs/bundle-format.md describes, places the buffers where upstream's allocator would and
 * runs the program; its outputs must equal `vta-trace run --bundle --outputs` byte for byte. An
 * independent implementation of the format and of upstream fsim's semantics: if the format, the
 * doc's placement rule or fsim drift, this fails.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { saveBundle } from '../../runtime/bundle/bundle-file.js';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { buildWorkload, listWorkloads } from '../../runtime/workloads/index.js';
import { runCli } from '../testing/run-cli.js';

const REPLAYER = join(import.meta.dirname, '..', '..', 'tools', 'replay', 'vta_replay.py');
const dir = mkdtempSync(join(tmpdir(), 'vta-replay-ref-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Small bundles covering every data path: recorded programs, random programs on every upstream-compatible config, builder workloads. */
function cases(): [string, ProgramBundle][] {
  const out: [string, ProgramBundle][] = [];
  for (const w of listWorkloads().filter((x) => x.name.startsWith('vec:'))) out.push([w.name, buildWorkload(w.name)]);
  for (const config of ['small', 'default', 'batch2', 'block32', 'rect-8x16']) {
    for (const seed of [1, 2]) out.push([`random#${seed}@${config}`, buildWorkload('random', { config: resolveConfig(config), seed })]);
  }
  for (const name of ['alu:shr-tensor', 'alu:mul-imm', 'padded-load:top-bottom-left-right', 'load-store', 'gemm-smt', 'matmul-blocked', 'conv2d-small']) {
    out.push([`${name}@small`, buildWorkload(name, { config: resolveConfig('small'), seed: 1 })]);
  }
  return out;
}

describe('the reference replayer agrees with fsim', () => {
  it('on recorded, random and builder programs, byte for byte in every output range', async () => {
    const all = cases();
    const args: string[] = [];
    const fsimDirs: string[] = [];
    for (const [k, [, b]] of all.entries()) {
      const file = join(dir, `${k}.vtab`);
      saveBundle(file, b);
      args.push(file, join(dir, `py-${k}`));
      const fsimDir = join(dir, `fsim-${k}`);
      const r = await runCli('run', '--bundle', file, '--outputs', fsimDir);
      expect(r.err).toBe('');
      fsimDirs.push(fsimDir);
    }
    execFileSync('python3', [REPLAYER, ...args], { stdio: 'pipe' });
    for (const [k, [name, b]] of all.entries()) {
      const files = readdirSync(fsimDirs[k]!).sort();
      expect(files.length, name).toBe(b.outputs.length);
      for (const f of files) expect(readFileSync(join(dir, `py-${k}`, f)).equals(readFileSync(join(fsimDirs[k]!, f))), `${name} ${f}`).toBe(true);
    }
  });

  it('refuses a bundle whose buffers are not where upstream allocates them, naming the buffer', () => {
    const b = buildWorkload('vec:matmul_blocked_4x4');
    const last = [...b.buffers].sort((x, y) => y.addr - x.addr)[0]!;
    const moved: ProgramBundle = { ...b, buffers: b.buffers.map((x) => (x === last ? { ...x, addr: x.addr + 0x10000 } : x)), outputs: [], expected: {} };
    const file = join(dir, 'gap.vtab');
    saveBundle(file, moved);
    let stderr = '';
    try {
      execFileSync('python3', [REPLAYER, file, join(dir, 'gap')], { stdio: 'pipe' });
    } catch (e) {
      stderr = String((e as { stderr: Buffer }).stderr);
    }
    expect(stderr).toMatch(new RegExp(`buffer "${last.name}" at 0x${(last.addr + 0x10000).toString(16)}: upstream's allocator would place it at 0x${last.addr.toString(16)}`));
  });
});

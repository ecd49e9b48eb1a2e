/**
 * The harness's memory models alone (testing/memory_model_tb.cc, built with g++): random read
 * bursts with repeating ids, random rd_ready and write bursts, every beat checked by the bench's
 * own bookkeeping (data, order within a burst and within an id, re-offer of a beat not taken,
 * writes landing). The in-order model never reorders; the emulated board reorders, interleaves
 * and stalls, identically for one seed and differently for another.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoPath } from '../../runtime/repo.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-memory-tb-'));
const binary = join(dir, 'memory_model_tb');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(() => {
  const h = (n: string) => repoPath('targets', 'tsim', 'harness', n);
  const r = spawnSync(
    'g++',
    ['-std=c++17', '-O1', '-Wall', `-I${repoPath('targets', 'tsim', 'harness')}`, repoPath('targets', 'tsim', 'testing', 'memory_model_tb.cc'),
      ...['memory_choice.cc', 'emu_memory.cc', 'in_order_memory.cc', 'memory_write_channel.cc', 'dram.cc'].map(h), '-o', binary],
    { encoding: 'utf8' },
  );
  expect(r.status, r.stderr).toBe(0);
}, 120_000);

interface Outcome {
  reordered: number;
  interleaved: number;
  stalls: number;
  trace: string;
}

function bench(memory: string, beatBytes: number): Outcome {
  const out = spawnSync(binary, [memory, String(beatBytes)], { encoding: 'utf8' }).stdout.trim();
  const m = /^ok bursts=300 reordered=(\d+) interleaved=(\d+) stalls=(\d+) trace=([0-9a-f]+)$/.exec(out);
  expect(m, `${memory} on a ${beatBytes}-byte bus: ${out}`).not.toBeNull();
  return { reordered: Number(m![1]), interleaved: Number(m![2]), stalls: Number(m![3]), trace: m![4]! };
}

describe('memory models under the bench', () => {
  it.each([8, 16, 64])('in-order on a %i-byte bus: every beat right, nothing reordered, interleaved or stalled', (beat) => {
    expect(bench('in-order', beat)).toMatchObject({ reordered: 0, interleaved: 0, stalls: 0 });
  });

  it.each([8, 16, 64])('emu on a %i-byte bus: every beat right, bursts reordered, interleaved and stalled', (beat) => {
    for (const seed of [1, 2, 3]) {
      const o = bench(`emu:${seed}`, beat);
      expect(o.reordered, `seed ${seed}`).toBeGreaterThan(0);
      expect(o.interleaved, `seed ${seed}`).toBeGreaterThan(0);
      expect(o.stalls, `seed ${seed}`).toBeGreaterThan(0);
    }
  });

  it('emu is a function of its seed', () => {
    expect(bench('emu:7', 8).trace).toBe(bench('emu:7', 8).trace);
    expect(bench('emu:7', 8).trace).not.toBe(bench('emu:8', 8).trace);
  });

  it('rejects a malformed memory choice, naming it', () => {
    const out = spawnSync(binary, ['emu:seven', '8'], { encoding: 'utf8' }).stdout;
    expect(out).toContain("got 'emu:seven'");
  });
});

/**
 * The emulated board through the shared launch sequence alone (no network): the RTL driven only
 * by host-port commands gives the outputs fsim gives, on recorded programs and random ones.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import { buildWorkload } from '../../../runtime/workloads/index.js';
import type { ProgramBundle } from '../../../runtime/bundle/bundle.js';
import { runFsim } from '../../fsim/fsim-target.js';
import { runOnBoard } from '../board-run.js';
import { EmuBackend } from './emu-backend.js';

const quiet = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };

async function onEmu(backend: EmuBackend, bundle: ProgramBundle) {
  const outputs: { name: string; bytes: Uint8Array }[] = [];
  const r = await runOnBoard(backend, bundle, { idleCycles: 200_000 }, { events: false, iters: false, dramGranule: bundle.params.elemBytes.out, onOutput: (o) => outputs.push(o) });
  return { ...r, outputs };
}

describe('emulated board, shared launch sequence', () => {
  const backend = new EmuBackend({ memory: { kind: 'emu', seed: 3 } });
  afterAll(() => backend.close());

  it('runs a recorded program to its recorded result, placed at a high device address', async () => {
    const bundle = buildWorkload('vec:matmul_blocked_4x4', { config: resolveConfig('default') });
    const r = await onEmu(backend, bundle);
    expect(r.message).toBeUndefined();
    expect(r.status).toBe('ok');
    expect(r.deviceBase).toBeGreaterThanOrEqual(0x90000000);
    expect(r.counters.cycles).toBeGreaterThan(0);
    expect(r.retired!.reduce((a, b) => a + b)).toBe(bundle.insnCount);
    const [name, want] = Object.entries(bundle.expected!)[0]!;
    expect(r.outputs.find((o) => o.name === name)!.bytes).toEqual(want);
  }, 240_000);

  it('gives the same outputs as fsim on random programs (small configuration)', async () => {
    for (const seed of [1, 2, 3]) {
      const bundle = buildWorkload('random', { config: resolveConfig('small'), seed });
      const want = runFsim({ bundle, sink: quiet });
      const r = await onEmu(backend, bundle);
      expect(r.status, r.message).toBe('ok');
      expect(r.outputs.map((o) => o.bytes)).toEqual(want.outputs.map((o) => o.bytes));
    }
  }, 240_000);
});

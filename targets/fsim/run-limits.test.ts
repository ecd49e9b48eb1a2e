/**
 * fsim's wall-clock limit: a run whose caller gives none still has one (DEFAULT_RUN_TIMEOUT_MS),
 * so no run waits forever. The clock is made to jump past it instead of waiting 30 minutes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { longGemm } from '../tsim/testing/long-gemm.js';
import { DEFAULT_RUN_TIMEOUT_MS } from '../../runtime/contract/target.js';
import { createFsimTarget } from './fsim-target.js';

const quiet = { wantsEvents: false, wantsIters: false, write() {}, iter() {}, retire() {} };
afterEach(() => vi.restoreAllMocks());

describe('fsim wall-clock limit', () => {
  it(`without limits, a run is stopped as a timeout once ${DEFAULT_RUN_TIMEOUT_MS} ms have passed`, async () => {
    const bundle = longGemm('default', 1000, 1000);
    const real = Date.now.bind(Date);
    const start = real();
    let calls = 0;
    // The first reading is the run's start; every later one is past the default limit.
    vi.spyOn(Date, 'now').mockImplementation(() => (calls++ === 0 ? start : start + DEFAULT_RUN_TIMEOUT_MS + 1));
    const r = await createFsimTarget().run({ bundle, sink: quiet });
    expect(r.status).toBe('timeout');
    expect(r.message).toBe(`wall-clock limit of ${DEFAULT_RUN_TIMEOUT_MS} ms reached`);
  });

  it('a limit given is the one applied, and a run inside it ends ok', async () => {
    const r = await createFsimTarget().run({ bundle: longGemm('default', 10, 10), sink: quiet, limits: { timeoutMs: 60_000 } });
    expect(r.status).toBe('ok');
  });
});

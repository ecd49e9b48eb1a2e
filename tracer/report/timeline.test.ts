/**
 * The timeline's start cycles, worked out by hand from the ISA's token rule for gemm m=2,k=3,n=2
 * on `small` in fsim (retire cycles as `vta-trace show` lists them: #0 11, #1 31 push ld→cmp,
 * #7 32 push ld→cmp, #2 40 pop ld→cmp, #3 48, #4 58, #5 74 push cmp→st, #6 84 pop cmp→st push
 * st→cmp, #8 85 pop ld→cmp and st→cmp, #9 86).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { runCli } from '../../cli/testing/run-cli.js';
import { TraceStore } from '../store/trace-store.js';
import { runTimeline } from './timeline.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-timeline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('starts each instruction when its module is free and the tokens it pops were pushed', async () => {
  const db = join(dir, 't.db');
  expect((await runCli('diff', 'fsim', 'fsim', '--workload', 'gemm,m=2,k=3,n=2', '--config', 'small', '--mode', 'insn', '--db', db)).code).toBe(0);
  const store = TraceStore.open(db, { mustExist: true, readonly: true });
  try {
    const run = store.run(1);
    const t = runTimeline(store, store.bundleParams(run.bundleHash), 1);
    const bars = Object.fromEntries(Array.from(t.pc, (pc, i) => [pc, [t.module[i], t.start[i], t.end[i]]]));
    expect(bars).toEqual({
      0: ['load', 0, 11],
      1: ['load', 11, 31],
      7: ['load', 31, 32],
      2: ['compute', 31, 40], // waits for #1's token, not for the module
      3: ['compute', 40, 48],
      4: ['compute', 48, 58],
      5: ['compute', 58, 74],
      6: ['store', 74, 84], // #5's token
      8: ['compute', 84, 85], // st→cmp from #6 at 84 (ld→cmp from #7 came at 32)
      9: ['compute', 85, 86],
    });
  } finally {
    store.close();
  }
});

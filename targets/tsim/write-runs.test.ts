import { describe, expect, it } from 'vitest';
import type { EventSink } from '../../runtime/contract/events.js';
import { STREAM_ID } from '../../runtime/contract/events.js';
import { WriteRuns } from './write-runs.js';

const ACC = STREAM_ID['sram.acc'];
const INP = STREAM_ID['sram.inp'];

/** A batch holding elements of `len` bytes: element k is k+1 repeated (so payloads are easy to check). */
function batch(count: number, len: number): Uint8Array {
  return Uint8Array.from({ length: count * len }, (_, i) => Math.floor(i / len) + 1);
}

function capture(withRuns: boolean) {
  const calls: unknown[][] = [];
  const sink: EventSink = {
    wantsEvents: true,
    wantsIters: false,
    write: (stream, pc, cycle, addr, data) => calls.push(['write', stream, pc, cycle, addr, Array.from(data)]),
    iter: () => {},
    retire: () => {},
    ...(withRuns
      ? {
          writeRun: (stream, pc, _cycle, first, step, count, elemLen, bytes, cycles) =>
            calls.push(['run', stream, pc, first, step, count, elemLen, Array.from(bytes), Array.from(cycles ?? [])]),
        }
      : {}),
  };
  return { sink, calls };
}

describe('WriteRuns', () => {
  it('gathers writes at a constant address step into runs, each element at its own cycle', () => {
    const { sink, calls } = capture(true);
    const runs = new WriteRuns(sink);
    const src = batch(8, 2);
    // ACC rows 10, 59, 108 (step 49, as the RTL writes a GEMM's rows) by #4 at cycles 100–102.
    runs.add(ACC, 4, 100, 10, src, 0, 2);
    runs.add(ACC, 4, 101, 59, src, 2, 2);
    runs.add(ACC, 4, 102, 108, src, 4, 2);
    // Breaks: another step, another instruction, another stream, another element size.
    runs.add(ACC, 4, 103, 110, src, 6, 2);
    runs.add(ACC, 5, 104, 111, src, 8, 2);
    runs.add(INP, 5, 105, 112, src, 10, 2);
    runs.add(INP, 5, 106, 113, src, 12, 1);
    runs.flush();
    runs.flush(); // nothing left: no call
    expect(calls).toEqual([
      ['run', 'sram.acc', 4, 10, 49, 3, 2, [1, 1, 2, 2, 3, 3], [100, 101, 102]],
      ['run', 'sram.acc', 4, 110, 1, 1, 2, [4, 4], [103]],
      ['run', 'sram.acc', 5, 111, 1, 1, 2, [5, 5], [104]],
      ['run', 'sram.inp', 5, 112, 1, 1, 2, [6, 6], [105]],
      ['run', 'sram.inp', 5, 113, 1, 1, 1, [7], [106]],
    ]);
  });

  it('a sink without writeRun gets one write per element with its own cycle; long runs grow the buffers', () => {
    const { sink, calls } = capture(false);
    const runs = new WriteRuns(sink);
    const n = 5000;
    const src = batch(n, 64);
    for (let k = 0; k < n; k++) runs.add(ACC, 1, 10 + k, 3 + k, src, 64 * k, 64);
    runs.flush();
    expect(calls).toHaveLength(n);
    expect(calls[0]).toEqual(['write', 'sram.acc', 1, 10, 3, Array(64).fill(1)]);
    expect(calls[n - 1]).toEqual(['write', 'sram.acc', 1, 10 + n - 1, 3 + n - 1, Array(64).fill(n & 0xff)]);
  });
});

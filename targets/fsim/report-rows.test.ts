/**
 * fsim hands the recorder runs of rows as views of its memory (writeRun). What gets recorded must
 * be what the same rows reported one write at a time (the path every sink without writeRun gets)
 * record: same digests, same stored events, on every fixture configuration and on a real layer.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProgramBundle } from '../../runtime/bundle/bundle.js';
import { fixtureConfigNames, resolveConfig } from '../../runtime/config/fixtures.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import type { EventSink } from '../../runtime/contract/events.js';
import { MemoryRecordSink, Recorder } from '../../tracer/recorder.js';
import { makeTraceSpec } from '../../tracer/spec.js';
import { runFsim } from './fsim-target.js';

/** A sink that forwards everything but writeRun, so fsim falls back to one write per element. */
function perElement(r: Recorder): EventSink {
  return {
    wantsEvents: r.wantsEvents,
    wantsIters: r.wantsIters,
    wantsReads: r.wantsReads,
    read: (...a) => r.read(...a),
    write: (...a) => r.write(...a),
    iter: (...a) => r.iter(...a),
    retire: (...a) => r.retire(...a),
  };
}

function recorded(bundle: ProgramBundle, runs: boolean, kernels: boolean, mode: 'sram' | 'digest' = 'sram') {
  const out = new MemoryRecordSink();
  const r = new Recorder(makeTraceSpec({ mode }), bundle.insnCount, out);
  const result = runFsim({ bundle, sink: runs ? r : perElement(r) }, undefined, kernels);
  r.finish();
  return { status: result.status, out };
}

/** Everything recorded (or the digests alone), hashed (comparing tens of thousands of events field by field is slow). */
function fingerprint(out: MemoryRecordSink, digestsOnly = false): string {
  const h = createHash('sha256');
  if (!digestsOnly) for (const g of out.eventGroups) {
    h.update(JSON.stringify([g.stream, g.pc, g.part, g.elemLen]));
    for (const a of [g.addrs, g.cycles, g.data]) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  for (const c of out.chunks) h.update(JSON.stringify([c.chunk, c.firstPc, c.count, c.lo, c.hi, Array.from(c.insnDigests), Array.from(c.present)]));
  return h.digest('hex');
}

function expectSame(bundle: ProgramBundle): void {
  const byPath: string[] = [];
  for (const kernels of [true, false]) {
    const a = recorded(bundle, true, kernels);
    const b = recorded(bundle, false, kernels);
    expect(a.status).toBe('ok');
    expect(a.out.chunks.length).toBeGreaterThan(0);
    expect(a.out.eventGroups.some((g) => g.stream === 'sram.acc')).toBe(true);
    expect(fingerprint(a.out)).toBe(fingerprint(b.out));
    // Digest mode keeps no payloads and hashes runs as they come: the same digests.
    expect(fingerprint(recorded(bundle, true, kernels, 'digest').out, true)).toBe(fingerprint(b.out, true));
    byPath.push(fingerprint(a.out));
  }
  // The JavaScript loops mark each iteration's ACC row; after a kernel, fsim works the rows out
  // from the loop nest (ranges, repeated micro-ops skipped): the same rows must come out.
  expect(byPath[0]).toBe(byPath[1]);
}

describe('fsim row runs', () => {
  it.each(fixtureConfigNames())('random programs on %s record the same as element-by-element writes', (name) => {
    for (const seed of [1, 2]) expectSame(buildWorkload('random', { config: resolveConfig(name), seed }) as ProgramBundle);
  });

  it('with a buffer filter, reports only the wanted streams and records what reporting everything records', async () => {
    const bundle = await buildWorkload('conv:C10', { config: resolveConfig('default'), seed: 1 });
    for (const buffers of ['acc', 'inp,dram']) {
      const spec = makeTraceSpec({ mode: 'sram', buffers });
      const run = (ask: boolean) => {
        const out = new MemoryRecordSink();
        const r = new Recorder(spec, bundle.insnCount, out);
        const seen = new Set<string>();
        // Forwards everything; without `wants` fsim cannot skip anything.
        const sink: EventSink = {
          wantsEvents: r.wantsEvents,
          wantsIters: r.wantsIters,
          write: (s, ...a) => (seen.add(s), r.write(s, ...a)),
          writeRun: (s, ...a) => (seen.add(s), r.writeRun(s, ...a)),
          iter: (...a) => r.iter(...a),
          retire: (...a) => r.retire(...a),
          ...(ask ? { wants: (s) => r.wants(s) } : {}),
        };
        expect(runFsim({ bundle, sink }).status).toBe('ok');
        r.finish();
        return { out, seen: [...seen].sort() };
      };
      const skipping = run(true);
      const all = run(false);
      expect(all.seen).toEqual(['dram.store', 'sram.acc', 'sram.inp', 'sram.uop', 'sram.wgt']);
      expect(skipping.seen).toEqual(buffers === 'acc' ? ['sram.acc'] : ['dram.store', 'sram.inp']);
      expect(fingerprint(skipping.out)).toBe(fingerprint(all.out));
    }
  });

  it('a ResNet-18 layer records the same as element-by-element writes', async () => {
    expectSame(await buildWorkload('conv:C10', { config: resolveConfig('default'), seed: 1 }));
  });
});

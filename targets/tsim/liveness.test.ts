/**
 * A simulator process that stops answering must not make a run wait forever: the tsim target
 * watches it from outside (targets/tsim/target.ts, watchLiveness). Stand-ins for the harness —
 * a small script that says HELLO like the real one and then, on RUN, stops itself (SIGSTOP),
 * spins, or sleeps — end as a `hang` within the liveness limit; a spinner with events off, which
 * nothing distinguishes from a long run, ends at the wall-clock limit as a `timeout`. Before, each
 * of these waited forever (no limit applied by default).
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import type { EventSink } from '../../runtime/contract/events.js';
import type { BuiltSimulator } from './build.js';
import { createTsimTarget, type TsimOptions } from './target.js';

const dir = mkdtempSync(join(tmpdir(), 'vta-liveness-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A stand-in for the harness binary: HELLO on fd 3, then on RUN (frame type 3) it misbehaves as told. */
function fakeSimulator(behaviour: 'stop' | 'spin' | 'sleep'): BuiltSimulator {
  const file = join(dir, `fake-${behaviour}`);
  writeFileSync(
    file,
    `#!${process.execPath}
const fs = require('node:fs');
const frame = (type, body) => { const h = Buffer.alloc(5); h.writeUInt32LE(body.length + 1, 0); h[4] = type; return Buffer.concat([h, body]); };
const hello = Buffer.alloc(12); hello.writeUInt32LE(1, 0); hello.writeUInt32LE(64, 4);
fs.writeSync(3, frame(128, Buffer.concat([hello, Buffer.from('fake')])));
let pending = Buffer.alloc(0);
process.stdin.on('data', (d) => {
  pending = Buffer.concat([pending, d]);
  while (pending.length >= 5 && pending.length >= 4 + pending.readUInt32LE(0)) {
    const type = pending[4];
    pending = pending.subarray(4 + pending.readUInt32LE(0));
    if (type !== 3) continue;
    if (${JSON.stringify(behaviour)} === 'stop') process.kill(process.pid, 'SIGSTOP');
    else if (${JSON.stringify(behaviour)} === 'spin') for (;;) {}
  }
});
`,
  );
  chmodSync(file, 0o755);
  return { dir, binary: file, probesTxt: join(dir, 'probes.txt'), dataBits: 64, probeMap: { file: 'fake', state: {}, counters: [] } as unknown as BuiltSimulator['probeMap'], cached: true };
}

const eventsOn: EventSink = { wantsEvents: true, wantsIters: false, write() {}, iter() {}, retire() {} };
const eventsOff: EventSink = { ...eventsOn, wantsEvents: false };

async function runFake(behaviour: 'stop' | 'spin' | 'sleep', sink: EventSink, opts: TsimOptions, timeoutMs?: number) {
  const target = createTsimTarget(opts);
  const fake = fakeSimulator(behaviour);
  target.prepare = async () => fake;
  const bundle = buildWorkload('vec:gemm_single_uop', { config: resolveConfig('default') });
  const t0 = Date.now();
  try {
    const r = await target.run({ bundle, sink, ...(timeoutMs ? { limits: { timeoutMs } } : {}) });
    return { ...r, took: Date.now() - t0 };
  } finally {
    await target.close();
  }
}

describe('a simulator process that stops answering', () => {
  it('stopped by SIGSTOP mid-run: a hang within the liveness limit, saying it was stopped', async () => {
    const r = await runFake('stop', eventsOn, { livenessMs: 500 });
    expect(r.status).toBe('hang');
    expect(r.message).toMatch(/^simulator process stopped \(state [Tt], e\.g\. SIGSTOP\) and sent nothing for \d+ ms; simulator killed\. Retired before: load 0, compute 0, store 0/);
    expect(r.took).toBeGreaterThanOrEqual(500);
    expect(r.took).toBeLessThan(5000);
  });

  it('also with events off (outputs mode): stopped is stopped', async () => {
    const r = await runFake('stop', eventsOff, { livenessMs: 500 });
    expect(r.status).toBe('hang');
    expect(r.message).toMatch(/stopped/);
  });

  it('blocked without using CPU: a hang', async () => {
    const r = await runFake('sleep', eventsOff, { livenessMs: 500 });
    expect(r.status).toBe('hang');
    expect(r.message).toMatch(/^simulator process used no CPU and sent nothing for \d+ ms/);
  });

  it('spinning with events on (nothing sent although a live harness sends every 16384 cycles): a hang', async () => {
    const r = await runFake('spin', eventsOn, { livenessMs: 1000 });
    expect(r.status).toBe('hang');
    expect(r.message).toMatch(/sent nothing for \d+ ms while using CPU \(state R\): it spins without progress/);
    expect(r.took).toBeLessThan(6000);
  });

  it('spinning with events off looks like a long run: it ends at the wall-clock limit, a timeout', async () => {
    const r = await runFake('spin', eventsOff, { livenessMs: 300 }, 1500);
    expect(r.status).toBe('timeout');
    expect(r.message).toBe('wall-clock limit of 1500 ms passed; simulator killed');
    expect(r.took).toBeGreaterThanOrEqual(1500);
  });
});

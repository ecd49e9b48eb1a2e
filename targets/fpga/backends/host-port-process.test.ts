/**
 * The simulator's host-port commands on their own (our RTL, small configuration): register
 * writes and reads reach the VCR (values written by hand, offsets from vta-isa.md §6.3), the
 * clock advances exactly as asked, an unmapped offset reads 0, and a host-port command outside a
 * session is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../../../runtime/config/fixtures.js';
import { ensureBuilt, type BuiltSimulator } from '../../tsim/build.js';
import { ownRtl } from '../../tsim/rtl-source.js';
import { HostPortProcess, HostPortStopped } from './host-port-process.js';

let built: BuiltSimulator;
let proc: HostPortProcess;
beforeAll(async () => {
  const p = resolveConfig('small');
  built = await ensureBuilt(await ownRtl(p), p);
  proc = await HostPortProcess.start(built, ['--memory', 'in-order']);
}, 300_000);
afterAll(() => proc?.exit());

describe('host-port commands', () => {
  it('reach the VCR register by register, with the clock advancing only when asked', async () => {
    const opened = await proc.open({ events: false, iters: false, dramGranule: 4 });
    expect(opened.cycle).toBe(0);
    await proc.regWrite(0x08, 46);
    await proc.regWrite(0x0c, 0x9000_1000);
    await proc.regWrite(0x14, 0x9000_0000);
    expect((await proc.regRead(0x08)).value).toBe(46);
    expect((await proc.regRead(0x0c)).value).toBe(0x9000_1000);
    expect((await proc.regRead(0x14)).value).toBe(0x9000_0000);
    expect((await proc.regRead(0x00)).value).toBe(0); // not launched: neither launch nor done bit
    expect((await proc.regRead(0xfc)).value).toBe(0); // unmapped
    const before = (await proc.regRead(0x08)).cycle;
    const after = await proc.clock(1000);
    expect(after.cycle - before).toBe(1000);
    expect(after.idle).toBeGreaterThanOrEqual(1000); // nothing launched: nothing happens
    expect(after.retired).toEqual([0, 0, 0]);
    await proc.close(false);
  });

  it('refuse a host-port command outside a session', async () => {
    const p = await HostPortProcess.start(built, ['--memory', 'in-order']);
    try {
      const refused = p.regRead(0x00);
      await expect(refused).rejects.toThrow(HostPortStopped);
      await expect(refused).rejects.toThrow('simulator: host-port command 8 outside a host session (send HOST_OPEN first)');
      await expect(p.regRead(0x00)).rejects.toThrow(/simulator process exited with code 1/);
    } finally {
      p.kill();
    }
  });
});

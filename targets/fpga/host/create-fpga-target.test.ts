/**
 * Local emulated-board names with options (no agent starts: a local target connects on its first
 * run). Bad options are user errors naming the option.
 */
import { describe, expect, it } from 'vitest';
import { VtaUserError } from '../../../runtime/errors.js';
import { createFpgaTarget } from './create-fpga-target.js';

describe('fpga target names with options', () => {
  it('accepts no-probes and rtl=<variant> after the memory, in any order', async () => {
    for (const name of ['fpga@emu:3,no-probes', 'fpga@in-order,rtl=alu-swap', 'fpga,no-probes,rtl=in-order-reads', 'fpga@emu:1,rtl=uop-late,no-probes']) {
      const t = await createFpgaTarget(name);
      expect(t.name).toBe(name);
      await t.close();
    }
  });

  it('refuses unknown options and unknown RTL variants, naming them', async () => {
    await expect(createFpgaTarget('fpga@emu:3,probes-off')).rejects.toThrow(/unknown option "probes-off"; expected no-probes or rtl=<variant>/);
    await expect(createFpgaTarget('fpga@emu:3,rtl=nope')).rejects.toThrow(/no RTL variant "nope"; known: .*in-order-reads/);
    await expect(createFpgaTarget('fpga@emu:3,rtl=nope')).rejects.toBeInstanceOf(VtaUserError);
    await expect(createFpgaTarget('fpga@emu:x,no-probes')).rejects.toThrow(/emu:SEED/);
    await expect(createFpgaTarget('fpga@emu:3+dma')).rejects.toThrow(/places each bundle in its DMA region itself; give its memory without \+dma/);
  });
});

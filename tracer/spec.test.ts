import { describe, expect, it } from 'vitest';
import { VtaUserError } from '../runtime/errors.js';
import { TraceSpecError } from './errors.js';
import { checkSpecFits, describeSpec, digestNarrowing, digestScope, digestsStream, makeTraceSpec, parseSpecDescription, parseWindow, storesStream } from './spec.js';

describe('trace spec', () => {
  it('parses windows as half-open slices with optional ends', () => {
    expect(parseWindow('3:7', 'instruction')).toEqual({ from: 3, to: 7 });
    expect(parseWindow(':7', 'instruction')).toEqual({ from: 0, to: 7 });
    expect(parseWindow('5:', 'instruction')).toEqual({ from: 5, to: Infinity });
    expect(parseWindow('5', 'instruction')).toEqual({ from: 5, to: 6 });
  });

  it('rejects malformed windows, modes, buffers and kinds with typed errors naming the input', () => {
    expect(() => parseWindow('7:3', 'cycle')).toThrow(/cycle window "7:3"/);
    expect(() => parseWindow('a:b', 'instruction')).toThrow(TraceSpecError);
    expect(() => makeTraceSpec({ mode: 'verbose' })).toThrow(/unknown trace mode "verbose"/);
    expect(() => makeTraceSpec({ buffers: 'acc,foo' })).toThrow(/unknown buffer "foo"/);
    expect(() => makeTraceSpec({ mode: 'sram', kinds: 'sram.acc,bogus' })).toThrow(/unknown event kind "bogus"/);
    expect(() => makeTraceSpec({ mode: 'outputs', kinds: 'sram.acc' })).toThrow(VtaUserError);
  });

  it('stores per mode: digest nothing, insn retires, sram buffers, full iterations', () => {
    expect(storesStream(makeTraceSpec({ mode: 'digest' }), 'insn.load')).toBe(false);
    expect(storesStream(makeTraceSpec({ mode: 'insn' }), 'insn.load')).toBe(true);
    expect(storesStream(makeTraceSpec({ mode: 'insn' }), 'sram.acc')).toBe(false);
    expect(storesStream(makeTraceSpec({ mode: 'sram' }), 'dram.store')).toBe(true);
    expect(storesStream(makeTraceSpec({ mode: 'sram' }), 'gemm.iter')).toBe(false);
    expect(storesStream(makeTraceSpec({ mode: 'full' }), 'alu.iter')).toBe(true);
  });

  it('narrows stored and digested streams with the buffer filter, never retires', () => {
    const s = makeTraceSpec({ mode: 'sram', buffers: 'acc,dram' });
    expect(storesStream(s, 'sram.acc')).toBe(true);
    expect(storesStream(s, 'sram.inp')).toBe(false);
    expect(storesStream(s, 'dram.store')).toBe(true);
    expect(storesStream(s, 'insn.compute')).toBe(true);
    expect(digestsStream(s, 'sram.inp')).toBe(false);
    expect(digestsStream(s, 'sram.acc')).toBe(true);
    expect(digestsStream(makeTraceSpec({ mode: 'full' }), 'gemm.iter')).toBe(false);
  });

  it('digest scope ignores the cycle window and stored kinds but not buffers or the instruction window', () => {
    const base = digestScope(makeTraceSpec({ mode: 'digest' }));
    expect(digestScope(makeTraceSpec({ mode: 'full', cycles: '10:20' }))).toBe(base);
    expect(digestScope(makeTraceSpec({ mode: 'digest', buffers: 'acc' }))).not.toBe(base);
    expect(digestScope(makeTraceSpec({ mode: 'digest', insn: '0:10' }))).not.toBe(base);
  });

  it('round-trips its one-line description', () => {
    const s = makeTraceSpec({ mode: 'insn', kinds: 'insn.load,sram.acc', buffers: 'acc', insn: '4:9', cycles: '100:' });
    expect(describeSpec(s)).toBe('insn kinds=insn.load,sram.acc buffers=acc insn=4:9 cycles=100:');
    expect(describeSpec(parseSpecDescription(describeSpec(s)))).toBe(describeSpec(s));
    expect(describeSpec(makeTraceSpec({ mode: 'sram' }))).toBe('sram');
  });

  it('names what a spec leaves out of the digests, in words and flags', () => {
    expect(digestNarrowing(makeTraceSpec({ mode: 'sram' }))).toEqual({ covers: [], flags: [] });
    // Cycle windows narrow what is stored, never the digests.
    expect(digestNarrowing(makeTraceSpec({ cycles: '10:20' }))).toEqual({ covers: [], flags: [] });
    expect(digestNarrowing(makeTraceSpec({ buffers: 'wgt,inp', insn: '3:' }))).toEqual({
      covers: ['buffers inp, wgt', 'instructions from #3'],
      flags: ['--buffers', '--insn'],
    });
    expect(digestNarrowing(makeTraceSpec({ insn: ':4' })).covers).toEqual(['instructions #0–#3']);
  });

  it('refuses an instruction window that starts past the program', () => {
    expect(() => checkSpecFits(makeTraceSpec({ insn: '10:' }), 10)).toThrow(TraceSpecError);
    expect(() => checkSpecFits(makeTraceSpec({ insn: '10:' }), 10)).toThrow("it has 10 instructions (#0–#9)");
    expect(() => checkSpecFits(makeTraceSpec({ insn: '9:20' }), 10)).not.toThrow();
    expect(() => checkSpecFits(makeTraceSpec({}), 1)).not.toThrow();
  });
});

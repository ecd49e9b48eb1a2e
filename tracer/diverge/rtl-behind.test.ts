import { describe, expect, it } from 'vitest';
import type { FirstDivergence } from './divergence.js';
import { rtlBehind, type RtlProbeMap } from './rtl-behind.js';

const retire = (m: string) => ({ valid: `top.core.u_${m}.retire_q`, insn: `top.core.u_${m}.insn_q` });
const map: RtlProbeMap = {
  file: 'maps/ours.json',
  retire: { load: retire('load'), compute: retire('compute'), store: retire('store') },
  writes: {
    acc: [
      { enable: 'top.core.acc_we', index: 'top.core.acc_idx', data: 'top.core.acc_d', mask: 'top.core.acc_m', group: 0 },
      { enable: 'top.core.acc1_we', index: 'top.core.acc1_idx', data: 'top.core.acc1_d', group: 1 },
    ],
  },
};
const runs = [
  { id: 1, target: 'fsim' },
  { id: 2, target: 'tsim' },
  { id: 3, target: 'tsim:x' },
];
const probes = (t: string) => (t.startsWith('tsim') ? map : undefined);
const first = (stream: FirstDivergence['stream'], module: FirstDivergence['module']): FirstDivergence => ({
  pc: 4,
  module,
  disasm: '',
  source: null,
  located: true,
  stream,
  expectedRun: 1,
  actualRun: 2,
  cycles: {},
});

describe('the RTL behind an event', () => {
  it('an ACC row: both ACC write ports, the compute retire probe, the compute instance; RTL runs sharing a map together', () => {
    expect(rtlBehind(first('sram.acc', 'compute'), runs, probes)).toEqual([
      {
        runs: [2, 3],
        probeMap: 'maps/ours.json',
        instance: 'top.core.u_compute',
        entries: [
          { entry: 'writes.acc[0]', signals: { enable: 'top.core.acc_we', index: 'top.core.acc_idx', data: 'top.core.acc_d', mask: 'top.core.acc_m' } },
          { entry: 'writes.acc[1]', signals: { enable: 'top.core.acc1_we', index: 'top.core.acc1_idx', data: 'top.core.acc1_d' } },
          { entry: 'retire.compute', signals: { valid: 'top.core.u_compute.retire_q', insn: 'top.core.u_compute.insn_q' } },
        ],
      },
    ]);
  });
  it('a DRAM store or a retire has no write port in the map: the retire probe alone', () => {
    expect(rtlBehind(first('dram.store', 'store'), runs, probes)[0]!.entries).toEqual([{ entry: 'retire.store', signals: retire('store') }]);
    expect(rtlBehind(first('insn.load', 'load'), runs, probes)[0]!.entries.map((e) => e.entry)).toEqual(['retire.load']);
  });
  it('nothing without RTL runs, a probe-map lookup, or a located event', () => {
    expect(rtlBehind(first('sram.acc', 'compute'), runs.slice(0, 1), probes)).toEqual([]);
    expect(rtlBehind(first('sram.acc', 'compute'), runs, undefined)).toEqual([]);
    expect(rtlBehind({ ...first('sram.acc', 'compute'), located: false }, runs, probes)).toEqual([]);
  });
});

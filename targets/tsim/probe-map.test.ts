/** Probe map validation, Verilator naming and the resolved probe list. */
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../runtime/config/fixtures.js';
import { ProbeMapError } from './errors.js';
import { parseProbeMap, probeListText, probesVlt, verilatorScope } from './probe-map.js';

const ok = {
  format: 1,
  top: 't',
  retire: {
    load: { valid: 't.l.ret', insn: 't.l.insn' },
    compute: { valid: 't.c.ret', insn: 't.c.insn' },
    store: { valid: 't.s.ret', insn: 't.s.insn' },
  },
  writes: { acc: [{ enable: 't.c.we', index: 't.c.wa', data: 't.c.wd' }, { enable: 't.c.we2', index: 't.c.wa2', data: 't.c.wd2', mask: 't.c.m', granule: 8 }] },
  counters: [{ name: 'busy_load', offset: 0x28 }],
};

function problem(json: unknown): string {
  try {
    parseProbeMap(json, 'm.json');
  } catch (e) {
    expect(e).toBeInstanceOf(ProbeMapError);
    return (e as Error).message;
  }
  return 'no error';
}

describe('probe maps', () => {
  it('names the file and entry of each mistake', () => {
    expect(problem({ ...ok, format: 2 })).toBe('m.json: format: must be 1, got 2');
    expect(problem({ ...ok, retire: { ...ok.retire, store: undefined } })).toBe('m.json: retire.store: is required');
    expect(problem({ ...ok, writes: { big: ok.writes.acc[0] } })).toMatch(/^m\.json: writes\.big: is not a buffer/);
    expect(problem({ ...ok, writes: { acc: { enable: 'x.we', index: 't.a', data: 't.d' } } })).toBe(
      'm.json: writes.acc.enable: "x.we" must start with the top module "t."',
    );
    expect(problem({ ...ok, writes: { acc: { enable: 't.we', index: 't.a', data: 't.d', mask: 't.m' } } })).toBe('m.json: writes.acc: mask and granule come together');
    expect(problem({ ...ok, counters: [{ name: 'x', offset: 0x24 }] })).toMatch(/counters\[0\]\.offset: must be a multiple of 4 in 0x28\.\.0xFC, got 36/);
    expect(problem(ok)).toBe('no error');
  });

  it('maps hierarchical names to Verilator scopes, generate blocks included', () => {
    expect(verilatorScope('t.u_core.gen_lane[3].acc_q')).toEqual({ scope: 'TOP.t.u_core.gen_lane[3]', variable: 'acc_q' });
    expect(verilatorScope('t.sig')).toEqual({ scope: 'TOP.t', variable: 'sig' });
  });

  it('keeps every probed variable public and lists ports with their buffer geometry', () => {
    const map = parseProbeMap(ok, 'm.json');
    const vlt = probesVlt(map);
    for (const v of ['ret', 'insn', 'we', 'wa', 'wd', 'we2', 'm']) expect(vlt).toContain(`public_flat_rd -module "*" -var "${v}"`);
    const p = resolveConfig('default');
    const lines = probeListText(map, p).split('\n');
    expect(lines).toContain('retire 0 TOP.t.l ret 1 TOP.t.l insn 128');
    // acc: stream 6 (STREAMS index of sram.acc), owner compute (1), 2048 rows of 64 bytes.
    // Then bytes 0..63 carried, enable, data (512 bits), mask, granule, group, one index part.
    expect(lines).toContain('write acc[0] 6 1 2048 64 0 64 TOP.t.c we 1 TOP.t.c wd 512 - - 0 0 0 1 0 0 TOP.t.c wa 0');
    expect(lines).toContain('write acc[1] 6 1 2048 64 0 64 TOP.t.c we2 1 TOP.t.c wd2 512 TOP.t.c m 0 8 0 1 0 0 TOP.t.c wa2 0');
    expect(lines).toContain('counter busy_load 40');
  });

  it('completion groups: validated, listed for the harness, and absent from maps that do not declare them', () => {
    const grouped = {
      ...ok,
      retire: {
        ...ok.retire,
        compute: { ...ok.retire.compute, group: 't.c.grp', complete: [{ group: 0, valid: 't.c.c0' }, { group: 1, valid: 't.c.c1' }] },
      },
      writes: { acc: [{ ...ok.writes.acc[0], group: 0 }, { enable: 't.c.we1', index: 't.c.wa1', data: 't.c.wd1', group: 1 }] },
      iter: {
        gemm: [{ valid: 't.c.gi', result: 't.c.wd', group: 0 }, { valid: 't.c.gi1', result: 't.c.wd1', group: 1 }],
        alu: { valid: 't.c.ai', result: 't.c.wd' },
      },
    };
    const lines = probeListText(parseProbeMap(grouped, 'm.json'), resolveConfig('default')).split('\n');
    expect(lines).toContain('complete 0 TOP.t.c c0 1');
    expect(lines).toContain('complete 1 TOP.t.c c1 1');
    expect(lines).toContain('retire_group TOP.t.c grp 0');
    expect(lines).toContain('write acc[1] 6 1 2048 64 0 64 TOP.t.c we1 1 TOP.t.c wd1 512 - - 0 0 1 1 0 0 TOP.t.c wa1 0');
    // iter lines: stream 9 = gemm.iter, 10 = alu.iter (STREAMS), result 512 bits (16 lanes x 32); a
    // single probe keeps its plain label.
    expect(lines).toContain('iter gemm[1] 9 TOP.t.c gi1 1 - - 0 - - 0 - - 0 TOP.t.c wd1 512 1');
    expect(lines).toContain('iter alu 10 TOP.t.c ai 1 - - 0 - - 0 - - 0 TOP.t.c wd 512 0');
    expect(probesVlt(parseProbeMap(grouped, 'm.json'))).toContain('public_flat_rd -module "*" -var "c1"');

    const plain = probeListText(parseProbeMap(ok, 'm.json'), resolveConfig('default'));
    expect(plain).not.toMatch(/^(complete|retire_group) /m);

    const compute = (extra: object) => ({ ...grouped, retire: { ...grouped.retire, compute: { ...grouped.retire.compute, ...extra } } });
    expect(problem(compute({ complete: [] }))).toBe('m.json: retire.compute.complete: must be a non-empty list of { group, valid }');
    expect(problem(compute({ complete: [{ group: 0, valid: 't.a' }, { group: 0, valid: 't.b' }] }))).toBe('m.json: retire.compute.complete[1].group: group 0 is declared twice');
    expect(problem(compute({ complete: [{ group: 8, valid: 't.a' }] }))).toBe('m.json: retire.compute.complete[0].group: must be an integer in 0..7, got 8');
    expect(problem(compute({ group: undefined }))).toBe('m.json: retire.compute.group: is required when a completion group other than 0 is declared');
    expect(problem({ ...ok, retire: { ...ok.retire, compute: { ...ok.retire.compute, group: 't.g' } } })).toBe('m.json: retire.compute.group: needs retire.compute.complete');
    expect(problem({ ...grouped, writes: { acc: [{ ...ok.writes.acc[0], group: 2 }] } })).toBe('m.json: writes.acc[0].group: group 2 has no retire.compute.complete entry');
    expect(problem({ ...grouped, writes: { inp: { enable: 't.l.we', index: 't.l.wa', data: 't.l.wd', group: 1 } } })).toBe('m.json: writes.inp.group: only buffers of the compute module have groups');
    expect(problem({ ...ok, retire: { ...ok.retire, load: { ...ok.retire.load, group: 't.g' } } })).toBe('m.json: retire.load: only compute has completion groups');
  });

  // Split memories (README "Split memories"): FIRRTL keeps UOP as two 32-bit halves (element =
  // {row, half}) and ACC as one memory per 64-bit word (two 32-bit lanes each).
  const split = (writes: object) => ({ ...ok, writes });
  const uopHalves = [0, 1].map((h) => ({ enable: `t.u.we${h}`, index: ['t.u.row', { value: h, bits: 1 }], data: `t.u.d${h}` }));
  const accWords = (n: number) => Array.from({ length: n }, (_, k) => ({ enable: `t.a.we${k}`, index: `t.a.i${k}`, data: `t.a.d${k}`, lanes: [2 * k, 2] }));

  it('split memories: each port carries its part of the row at an index composed from its fields', () => {
    const map = parseProbeMap(split({ uop: uopHalves, acc: accWords(8), inp: [0, 1].map((k) => ({ enable: 't.i.we', index: 't.i.a', data: `t.i.d${k}`, bytes: [8 * k, 8] })) }), 'm.json');
    const lines = probeListText(map, resolveConfig('default')).split('\n');
    // uop: stream 3, compute (1), 8192 elements of 4 bytes; the whole element; index = {row, 1'b<half>}.
    expect(lines).toContain('write uop[1] 3 1 8192 4 0 4 TOP.t.u we1 1 TOP.t.u d1 32 - - 0 0 0 2 0 0 TOP.t.u row 0 1 1 - - 0');
    // acc word 3: lanes 6..7 of 32 bits = bytes 24..31, 64 bits of data.
    expect(lines).toContain('write acc[3] 6 1 2048 64 24 8 TOP.t.a we3 1 TOP.t.a d3 64 - - 0 0 0 1 0 0 TOP.t.a i3 0');
    expect(lines).toContain('write inp[1] 4 0 2048 16 8 8 TOP.t.i we 1 TOP.t.i d1 64 - - 0 0 0 1 0 0 TOP.t.i a 0');
    expect(probesVlt(map)).toContain('public_flat_rd -module "*" -var "row"');
  });

  it('split memories: a bad port is named, with what is wrong with it', () => {
    const geometry = (writes: object): string => {
      try {
        probeListText(parseProbeMap(split(writes), 'm.json'), resolveConfig('default'));
      } catch (e) {
        expect(e).toBeInstanceOf(ProbeMapError);
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(geometry({ acc: accWords(8) })).toBe('no error');
    expect(geometry({ acc: [...accWords(7), { ...accWords(8)[7]!, lanes: [15, 2] }] })).toBe(
      'm.json: writes.acc[7].lanes: bytes 60..67 go past the 64-byte acc element of this configuration',
    );
    expect(geometry({ acc: accWords(7) })).toBe('m.json: writes.acc: bytes 56..63 of the 64-byte acc element are written by no port');
    expect(geometry({ acc: [...accWords(3), ...accWords(8).slice(4)] })).toBe('m.json: writes.acc: bytes 24..31 of the 64-byte acc element are written by no port');
    expect(problem(split({ uop: [{ ...uopHalves[0], lanes: [0, 1] }] }))).toBe('m.json: writes.uop[0].lanes: uop elements have no lanes; use bytes');
    expect(problem(split({ uop: [{ ...uopHalves[0], index: ['t.u.row', 't.u.half'] }] }))).toBe(
      'm.json: writes.uop[0].index[1]: a part below the most significant one must say its width: { "signal": …, "bits": N }',
    );
    expect(problem(split({ uop: [{ ...uopHalves[0], index: ['t.u.row', { value: 2, bits: 1 }] }] }))).toBe('m.json: writes.uop[0].index[1].value: must be an integer that fits in 1 bits');
    expect(problem(split({ uop: [{ ...uopHalves[0], index: [{ value: 0, bits: 1 }] }] }))).toBe('m.json: writes.uop[0].index[0]: the most significant part must be a signal');
    expect(problem(split({ acc: [{ ...accWords(1)[0], bytes: [0, 8] }] }))).toBe('m.json: writes.acc[0]: give bytes or lanes, not both');
    expect(problem(split({ acc: [{ ...accWords(1)[0], lanes: [0, 0] }] }))).toBe('m.json: writes.acc[0].lanes: must be [first, count] with first ≥ 0 and count ≥ 1, got [0,0]');
  });
});

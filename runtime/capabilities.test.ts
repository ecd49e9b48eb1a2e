/**
 * Capabilities (docs/design-description.md): a bundle that needs what a design lacks is refused
 * naming the instruction, and `random` keeps to a design's capabilities and, unless asked, away
 * from shift amounts upstream leaves undefined. Expectations come from decoding the programs and
 * from fsim running them (the amounts an SHR actually reads), not from the generator.
 */
import { describe, expect, it } from 'vitest';
import { insnBytes } from './bundle/bundle.js';
import { checkCapabilities, MissingCapabilityError, parseCapabilities } from './capabilities.js';
import { resolveConfig } from './config/fixtures.js';
import { decodeProgram, encodeProgram } from './isa/codec.js';
import type { Insn } from './isa/insn.js';
import { MEM_ID } from './isa/layout.js';
import { buildWorkload } from './workloads/index.js';

const small = resolveConfig('small');
const def = resolveConfig('default');
const insnsOf = (b: ReturnType<typeof buildWorkload>): Insn[] => decodeProgram(b.params, insnBytes(b));

describe('capabilities', () => {
  it('parses names and numbers, and refuses unknown keys, opcodes and depths naming the file', () => {
    expect(parseCapabilities({ aluOpcodes: ['MIN', 'ADD', 3], acc8Load: false, depths: { uop: 2048 } }, 'd.json')).toEqual({ aluOpcodes: [0, 2, 3], acc8Load: false, depths: { uop: 2048 } });
    expect(() => parseCapabilities({ aluOpcode: [] }, 'd.json')).toThrow(/d\.json: capabilities\.aluOpcode: unknown key/);
    expect(() => parseCapabilities({ aluOpcodes: ['DIV'] }, 'd.json')).toThrow(/"DIV" is not an ALU opcode/);
    expect(() => parseCapabilities({ depths: { out: 4 } }, 'd.json')).toThrow(/depths\.out: unknown buffer/);
    expect(() => parseCapabilities({ depths: { uop: 0 } }, 'd.json')).toThrow(/depths\.uop must be a positive integer/);
  });

  it('refuses a bundle with a uop index beyond the declared uop depth, naming the instruction', () => {
    const b = buildWorkload('gemm', { config: def, seed: 1 });
    const insns = insnsOf(b);
    const pc = insns.findIndex((i) => i.opcode === 2);
    // The same program with its first GEMM's micro-ops at 8189..8190 (inside the configuration's 8192).
    const moved = insns.map((i, k) => (k === pc && i.opcode === 2 ? { ...i, uop_bgn: 8189, uop_end: 8191 } : i));
    const buf = b.buffers.find((x) => x.role === 'insn')!;
    const bundle = { ...b, buffers: b.buffers.map((x) => (x === buf ? { ...x, bytes: encodeProgram(def, moved) } : x)) };
    expect(() => checkCapabilities(bundle, { depths: { uop: 8192 } }, 'd')).not.toThrow();
    let err: unknown;
    try {
      checkCapabilities(bundle, { depths: { uop: 2048 } }, 'tsim=up.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(MissingCapabilityError);
    expect((err as MissingCapabilityError).pc).toBe(pc);
    expect((err as Error).message).toMatch(new RegExp(`^tsim=up\\.json cannot run this bundle: #${pc} GEMM .* needs uop index 8190 \\(the design's uop buffer has 2048 entries`));
  });

  it('refuses ACC_8BIT loads and ALU opcodes the design lacks', () => {
    const r = buildWorkload('random', { config: small, seed: 3 });
    const acc8 = insnsOf(r).findIndex((i) => i.opcode === 0 && i.memory_type === MEM_ID.ACC_8BIT);
    expect(acc8).toBeGreaterThanOrEqual(0);
    expect(() => checkCapabilities(r, { acc8Load: false }, 'd')).toThrow(new RegExp(`#${acc8} LOAD ACC_8BIT .* needs ACC_8BIT loads`));
    const alu = insnsOf(r).find((i) => i.opcode === 4)!;
    expect(() => checkCapabilities(r, { aluOpcodes: [0, 1, 2, 3, 4].filter((o) => o !== (alu.opcode === 4 ? alu.alu_opcode : -1)) }, 'd')).toThrow(/needs ALU opcode/);
  });
});

describe('random programs within capabilities', () => {
  it('leave out the ACC_8BIT load and opcodes the design lacks, over many seeds', () => {
    const caps = { acc8Load: false, aluOpcodes: [0, 1, 2, 3] };
    for (let seed = 0; seed < 60; seed++) {
      const b = buildWorkload('random', { config: small, seed, capabilities: caps });
      for (const i of insnsOf(b)) {
        expect(i.opcode === 0 && i.memory_type === MEM_ID.ACC_8BIT).toBe(false);
        if (i.opcode === 4) expect(caps.aluOpcodes).toContain(i.alu_opcode);
      }
      expect(() => checkCapabilities(b, caps, 'd')).not.toThrow();
      // What rebuilds it (diff --db): the restriction is in the workload's parameters.
      expect(b.workload?.params).toEqual({ capabilities: caps });
    }
  });

  it('keep every SHR amount inside -31..31 unless asked (checked by running them on fsim)', async () => {
    const { createFsimTarget } = await import('../targets/fsim/fsim-target.js');
    const { MemoryRecordSink, Recorder } = await import('../tracer/recorder.js');
    const { makeTraceSpec } = await import('../tracer/spec.js');
    // The amounts a tensor SHR reads are the src rows' ACC values before it runs: the values the
    // previous writes left, taken from fsim's sram.acc events.
    let tensorAmounts = 0;
    const amounts = async (undef: boolean, seed: number): Promise<number[]> => {
      const b = buildWorkload('random', { config: small, seed, ...(undef ? { params: { undefined: true } } : {}) });
      const sink = new MemoryRecordSink();
      const rec = new Recorder(makeTraceSpec({ mode: 'full' }), b.insnCount, sink);
      const fsim = createFsimTarget();
      await fsim.run({ bundle: b, sink: rec });
      rec.finish();
      const insns = insnsOf(b);
      const acc = new Map<number, Int32Array>();
      const out: number[] = [];
      const groups = [...sink.eventGroups].sort((x, y) => x.pc - y.pc);
      const iters = groups.filter((g) => g.stream === 'alu.iter');
      for (let pc = 0; pc < insns.length; pc++) {
        const i = insns[pc]!;
        if (i.opcode === 4 && i.alu_opcode === 3) {
          if (i.use_imm) out.push(i.imm);
          else {
            for (const g of iters.filter((x) => x.pc === pc)) {
              for (let k = 0; k < g.addrs.length; k++) {
                const src = new DataView(g.data.buffer, g.data.byteOffset + k * g.elemLen).getUint32(4, true);
                const row = acc.get(src);
                if (row) {
                  out.push(...row);
                  tensorAmounts += row.length;
                }
              }
            }
          }
        }
        for (const g of groups.filter((x) => x.pc === pc && x.stream === 'sram.acc')) {
          for (let k = 0; k < g.addrs.length; k++) acc.set(g.addrs[k]!, new Int32Array(g.data.slice(k * g.elemLen, (k + 1) * g.elemLen).buffer));
        }
      }
      return out;
    };
    let outside = 0;
    for (let seed = 0; seed < 40; seed++) {
      for (const a of await amounts(false, seed)) expect(Math.abs(a), `seed ${seed}`).toBeLessThanOrEqual(31);
      if ((await amounts(true, seed)).some((a) => Math.abs(a) > 31)) outside++;
    }
    // The programs of before (params.undefined) depend on undefined amounts often; and the check
    // did see amounts that tensor SHRs read, not only immediates.
    expect(outside).toBeGreaterThan(4);
    expect(tensorAmounts).toBeGreaterThan(100);
  });
});

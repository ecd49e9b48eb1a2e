/**
 * The matcher and named conditions of known differences (docs/known-differences.md), on recorded
 * upstream programs: the micro-ops a condition reads are checked against the program's uop
 * buffer decoded straight from its DRAM image, and the verdicts against rows worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { insnBytes } from '../../runtime/bundle/bundle.js';
import { decodeProgram, decodeUop } from '../../runtime/isa/codec.js';
import { mnemonic } from '../../runtime/isa/disasm.js';
import { moduleOf, type Uop } from '../../runtime/isa/insn.js';
import { buildWorkload } from '../../runtime/workloads/index.js';
import { holds } from './conditions.js';
import { parseKnownDifferences } from './known-file.js';
import { matchKnown, valueMatches } from './match.js';
import { uopBufferAt } from './uop-buffer.js';

function uopsOfImage(name: string): Uop[] {
  const b = buildWorkload(name);
  const buf = b.buffers.find((x) => x.role === 'uop')!;
  const view = new DataView(buf.bytes.buffer, buf.bytes.byteOffset, buf.bytes.length);
  return Array.from({ length: buf.bytes.length / 4 }, (_, i) => decodeUop(b.params, view.getUint32(4 * i, true)));
}

describe('known-difference conditions', () => {
  it('the uop buffer an instruction finds is the one its LOAD UOP copied from DRAM', () => {
    const b = buildWorkload('vec:alu_imm_src_ne_dst');
    // #0 LOAD UOP sram 0 <- 1x4: the image's four micro-ops, in order.
    expect(uopBufferAt(b, 0)).toEqual([]);
    expect(uopBufferAt(b, 2).slice(0, 4)).toEqual(uopsOfImage('vec:alu_imm_src_ne_dst').slice(0, 4));
  });

  it('alu-imm-src-ne-dst / -eq-dst follow the rows each iteration reads and writes', () => {
    for (const name of ['vec:alu_imm_src_ne_dst', 'vec:alu_in_place', 'vec:matmul_blocked_4x4']) {
      const b = buildWorkload(name);
      const uops = uopsOfImage(name);
      decodeProgram(b.params, insnBytes(b)).forEach((insn, pc) => {
        if (insn.opcode !== 4 || !insn.use_imm) {
          expect(holds('alu-imm-src-ne-dst', { insn, uops: uopBufferAt(b, pc) })).toBe(false);
          return;
        }
        // By hand: one loop over the iterations, rows as vta-isa.md §3.4 defines them.
        let differs = false;
        for (let i = 0; i < insn.iter_out; i++)
          for (let j = 0; j < insn.iter_in; j++)
            for (let u = insn.uop_bgn; u < insn.uop_end; u++) {
              const d = uops[u]!.dst_idx + i * insn.dst_factor_out + j * insn.dst_factor_in;
              const s = uops[u]!.src_idx + i * insn.src_factor_out + j * insn.src_factor_in;
              if (d !== s) differs = true;
            }
        expect(holds('alu-imm-src-ne-dst', { insn, uops: uopBufferAt(b, pc) }), `${name} #${pc}`).toBe(differs);
        expect(holds('alu-imm-src-eq-dst', { insn, uops: uopBufferAt(b, pc) })).toBe(!differs);
        expect(holds('alu-imm-src-ne-dst', { insn })).toBe('unchecked');
      });
    }
    // The program named for it has an ALU immediate whose source is not its destination.
    const b = buildWorkload('vec:alu_imm_src_ne_dst');
    expect(decodeProgram(b.params, insnBytes(b)).some((insn, pc) => holds('alu-imm-src-ne-dst', { insn, uops: uopBufferAt(b, pc) }) === true)).toBe(true);
  });

  it('shr-amount-out-of-range and uop-index-beyond', () => {
    const b = buildWorkload('vec:alu_shr_imm_out_of_range');
    const shr = decodeProgram(b.params, insnBytes(b)).filter((i) => i.opcode === 4 && i.alu_opcode === 3 && i.use_imm);
    expect(shr.length).toBeGreaterThan(0);
    for (const insn of shr) expect(holds('shr-amount-out-of-range', { insn })).toBe(insn.opcode === 4 && Math.abs(insn.imm) > 31);
    expect(shr.some((insn) => holds('shr-amount-out-of-range', { insn }) === true)).toBe(true);
    const gemm = decodeProgram(b.params, insnBytes(buildWorkload('vec:matmul_blocked_4x4'))).find((i) => i.opcode === 2)!; // uop [0,2)
    expect([1, 2, 3].map((uopDepth) => holds('uop-index-beyond', { insn: gemm, uopDepth }))).toEqual([true, false, false]);
    expect(holds('uop-index-beyond', { insn: gemm })).toBe('unchecked');
  });
});

describe('conditions over what ran before', () => {
  const insnsOf = (name: string) => {
    const b = buildWorkload(name);
    return { b, insns: decodeProgram(b.params, insnBytes(b)) };
  };
  it('uop-range-empty: vec:edge_noop_gemm_alu #4 GEMM and #10 ALU have uop [1,1); #5 has [0,2) with no iterations', () => {
    const { insns } = insnsOf('vec:edge_noop_gemm_alu');
    expect([4, 5, 10].map((pc) => holds('uop-range-empty', { insn: insns[pc]! }))).toEqual([true, false, true]);
  });

  it('store-reads-row-not-computed: by the disassembly, which write last touched the stored rows', () => {
    // edge_noop_gemm_alu: #3 LOAD ACC rows 0..1, then GEMMs and ALUs with no iterations; #11 STOREs rows 0..1.
    const e = insnsOf('vec:edge_noop_gemm_alu');
    expect(holds('store-reads-row-not-computed', { insn: e.insns[11]!, bundle: e.b, pc: 11 })).toBe(true);
    // matmul_blocked_4x4: #8..#10 ALU over ACC 0..3, then #11 STOREs 2x2 rows from 0.
    const m = insnsOf('vec:matmul_blocked_4x4');
    expect(holds('store-reads-row-not-computed', { insn: m.insns[11]!, bundle: m.b, pc: 11 })).toBe(false);
    expect(holds('store-reads-row-not-computed', { insn: m.insns[11]! })).toBe('unchecked');
  });

  it('alu-reads-earlier-write follows the iterations in order (rows worked out by hand from the micro-ops)', () => {
    for (const name of ['vec:alu_sequential_overlap', 'vec:alu_in_place', 'vec:alu_imm_src_ne_dst']) {
      const { b, insns } = insnsOf(name);
      const uops = uopsOfImage(name);
      insns.forEach((insn, pc) => {
        if (insn.opcode !== 4) return;
        const seen = new Set<number>();
        let reads = false;
        for (let i = 0; i < insn.iter_out; i++)
          for (let j = 0; j < insn.iter_in; j++)
            for (let u = insn.uop_bgn; u < insn.uop_end; u++) {
              const d = uops[u]!.dst_idx + i * insn.dst_factor_out + j * insn.dst_factor_in;
              const s = uops[u]!.src_idx + i * insn.src_factor_out + j * insn.src_factor_in;
              if (seen.has(d) || (!insn.use_imm && seen.has(s))) reads = true;
              seen.add(d);
            }
        expect(holds('alu-reads-earlier-write', { insn, uops: uopBufferAt(b, pc) }), `${name} #${pc}`).toBe(reads);
      });
    }
    // The program named for it does read a row an earlier iteration wrote.
    const { b, insns } = insnsOf('vec:alu_sequential_overlap');
    expect(insns.some((insn, pc) => holds('alu-reads-earlier-write', { insn, uops: uopBufferAt(b, pc) }) === true)).toBe(true);
  });
});

describe('matching entries', () => {
  const entries = parseKnownDifferences(
    JSON.stringify({
      format: 'vta-trace.known-differences/1',
      entries: [
        { id: 'shr-wide', match: { insn: 'ALU SHR', fields: { use_imm: 1, imm: { not: { min: -31, max: 31 } } } }, reason: 'undefined upstream' },
        { id: 'any-alu-acc', match: { insn: 'ALU', stream: ['sram.acc'], kind: 'value' }, reason: 'r' },
      ],
    }),
    'k.json',
  );
  it('value forms', () => {
    expect([valueMatches(3, 3), valueMatches([1, 2], 3), valueMatches({ min: 2 }, 3), valueMatches({ max: 2 }, 3), valueMatches({ not: { min: -31, max: 31 } }, -32)]).toEqual([true, false, true, false, true]);
  });
  it('the first entry whose every key holds explains it; a mnemonic prefix ends at a word', () => {
    const b = buildWorkload('vec:alu_shr_imm_out_of_range');
    const insns = decodeProgram(b.params, insnBytes(b));
    const wide = insns.find((i) => i.opcode === 4 && i.alu_opcode === 3 && i.use_imm && Math.abs(i.imm) > 31)!;
    const facts = (insn: typeof wide, stream: 'sram.acc' | 'sram.out') => ({ insn, mnemonic: mnemonic(b.params, insn), module: moduleOf(insn), stream, kind: 'value' as const, statuses: ['ok', 'mismatch'] });
    expect(matchKnown(entries, facts(wide, 'sram.out')).entry?.id).toBe('shr-wide');
    const narrow = insns.find((i) => i.opcode === 4 && i.alu_opcode === 3 && i.use_imm && Math.abs(i.imm) <= 31);
    if (narrow) expect(matchKnown(entries, facts(narrow, 'sram.acc')).entry?.id).toBe('any-alu-acc');
    const load = insns.find((i) => i.opcode === 0)!;
    expect(matchKnown(entries, facts(load, 'sram.acc')).entry).toBeUndefined();
    // "ALU" does not match "ALUX…" style names: prefixes end at a space.
    const [aluEntry] = parseKnownDifferences(JSON.stringify({ format: 'vta-trace.known-differences/1', entries: [{ id: 'l', match: { insn: 'LOAD ACC' }, reason: 'r' }] }), 'k.json');
    const acc8 = { ...facts(load, 'sram.acc'), mnemonic: 'LOAD ACC_8BIT' };
    expect(matchKnown([aluEntry!], acc8).entry).toBeUndefined();
    expect(matchKnown([aluEntry!], { ...acc8, mnemonic: 'LOAD ACC' }).entry?.id).toBe('l');
    // status: some run of the comparison ended so.
    const [hangs] = parseKnownDifferences(JSON.stringify({ format: 'vta-trace.known-differences/1', entries: [{ id: 'h', match: { insn: 'LOAD', status: ['hang', 'deadlock'] }, reason: 'r' }] }), 'k.json');
    expect(matchKnown([hangs!], { ...acc8, statuses: ['ok', 'hang'] }).entry?.id).toBe('h');
    expect(matchKnown([hangs!], { ...acc8, statuses: ['ok', 'crash'] }).entry).toBeUndefined();
  });
});

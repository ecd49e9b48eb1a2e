/**
 * The mutator on hand-written SystemVerilog: each snippet's mutants are listed by hand from the
 * operator rules of docs/mutate.md (not read back from the code), as (line, operator, replacement).
 */
import { describe, expect, it } from 'vitest';
import { applyMutant, instrumentFile, mutantPatch } from './instrument.js';
import { fileMutants } from './sv-mutants.js';
import { tokenize } from './sv-lexer.js';
import { allMutants, ownRtlFiles, selectMutants } from './rtl-mutants.js';

const listed = (src: string) => fileMutants('t.sv', src).mutants.map((m) => `${m.line} ${m.operator} ${m.replacement}`).sort();

describe('source-level mutants', () => {
  it('an assign, an if condition and a blocking assignment give the operators listed by hand', () => {
    const src = [
      'module m (input logic a, input logic b, input logic [3:0] c, output logic y, output logic [3:0] z);',
      '  assign y = a & !b;',
      '  always_comb begin',
      "    if (c < 4'd3) z = c + 1;",
      "    else z = '0;",
      '  end',
      'endmodule',
      '',
    ].join('\n');
    expect(listed(src)).toEqual(
      [
        '2 swap a | !b',
        '2 drop-term a',
        '2 drop-term !b',
        '2 invert b',
        "4 invert !(c < 4'd3)",
        "4 swap c <= 4'd3",
        "4 off-by-one 4'd4",
        "4 off-by-one 4'd2",
        '4 swap c - 1',
        '4 drop-term c',
        '4 drop-term 1',
        '4 off-by-one 2',
        '4 off-by-one 0',
      ].sort(),
    );
  });

  it('leaves comments, strings, selects, case labels, loop headers, parameters and constant functions alone', () => {
    const src = [
      'module m #(parameter int W = 4 + 1) (input logic [3:0] v, input logic [1:0] i, output logic [3:0] y, output logic e);',
      '  // assign y = v + 1;',
      '  function automatic int width(int n); return n + 1; endfunction',
      '  localparam int K = width(3);',
      "  assign y = v[i+1] + 4'd0; /* a - b */",
      '  always_comb begin',
      '    e = 1\'b0;',
      '    for (int k = 0; k < 4; k++) e = v[k];',
      '    case (i)',
      "      2'd1: e = 1'b1;",
      '      default: ;',
      '    endcase',
      '  end',
      '  initial $display("a + b %d", 1 + 2);',
      'endmodule',
    ].join('\n');
    // Only the outer "+" of line 5 (swap, drop either term) and its constant (0 ± 1 within 4 bits),
    // and the 1-bit constants of lines 7 and 10 (each one's only neighbour in 1 bit).
    expect(listed(src)).toEqual(
      ["5 swap v[i+1] - 4'd0", '5 drop-term v[i+1]', "5 drop-term 4'd0", "5 off-by-one 4'd1", "5 off-by-one 4'd15", "7 off-by-one 1'b1", "10 off-by-one 1'b0"].sort(),
    );
  });

  it('finds a stuck enable by the target name and a register that skips a stage by structure', () => {
    const src = [
      'module m (input logic clk, input logic go, input logic d, output logic b_q);',
      '  logic a_q, wr_en;',
      '  assign wr_en = go;',
      '  always_ff @(posedge clk) begin',
      '    a_q <= d;',
      '    b_q <= a_q;',
      '  end',
      'endmodule',
    ].join('\n');
    expect(listed(src)).toEqual(["3 stuck-enable 1'b0", "3 stuck-enable 1'b1", '6 skip-stage d'].sort());
  });

  it('parses by precedence: a dropped term of "a + b * c" keeps "b * c" whole, a ternary is inverted by its arms', () => {
    const src = 'module m (input logic [7:0] a, b, c, input logic s, output logic [7:0] y);\n  assign y = s ? a + b * c : a;\nendmodule\n';
    const l = listed(src);
    expect(l).toContain('2 drop-term b * c');
    expect(l).toContain('2 drop-term a');
    expect(l).toContain('2 invert s ? a : a + b * c');
    expect(l).toContain('2 swap b + c');
    expect(l).toContain('2 swap a - b * c');
    expect(l).not.toContain('2 drop-term a + b');
  });

  it('the tokenizer keeps a based number whole and skips a comment with an operator in it', () => {
    expect(tokenize("x = 8'shF0 + 'd3; // y - z").map((t) => t.text)).toEqual(['x', '=', "8'shF0", '+', "'d3", ';']);
  });
});

describe('instrumented design and patches', () => {
  const src = ['module m (input logic a, input logic b, output logic y);', '  assign y = a & b;', 'endmodule', ''].join('\n');
  const { modules, mutants } = fileMutants('m.sv', src);
  const swap = mutants.find((m) => m.operator === 'swap')!;
  const dropRight = mutants.find((m) => m.operator === 'drop-term' && m.replacement === 'b')!;

  it('nests the multiplexers of one span: the first-numbered mutant is outermost; the selector is declared in the module', () => {
    const out = instrumentFile(src, modules, [
      { ...swap, id: 1 },
      { ...dropRight, id: 2 },
    ]);
    expect(out).toContain("  assign y = ((vta_mutant_sel == 32'd1) ? (a | b) : ((vta_mutant_sel == 32'd2) ? (b) : (a & b)));");
    expect(out.indexOf('int unsigned vta_mutant_sel;')).toBeGreaterThan(out.indexOf(');'));
    expect(out.indexOf('int unsigned vta_mutant_sel;')).toBeLessThan(out.indexOf('assign'));
    expect(out).toContain('$value$plusargs("vta_mutant=%d", vta_mutant_sel)');
  });

  it('a mutant is a unified diff of its line against the source', () => {
    const patch = mutantPatch(src, swap, 'rtl/m.sv');
    expect(patch).toContain('--- a/rtl/m.sv');
    expect(patch).toContain('+++ b/rtl/m.sv');
    expect(patch).toContain('@@ -1,3 +1,3 @@');
    expect(patch).toContain('-  assign y = a & b;\n+  assign y = a | b;');
    expect(applyMutant(src, swap)).toBe(src.replace('a & b', 'a | b'));
  });
});

describe('our RTL', () => {
  it('parses every module but the DPI shells and a selection of 150 reaches every one of them', () => {
    const set = allMutants(ownRtlFiles());
    const modules = new Set(set.all.map((m) => m.module));
    // targets/tsim/rtl/files.f without the three DPI shells and the top, which only wires them.
    for (const m of ['vta_vcr', 'vta_sram', 'vta_fifo', 'vta_token_queue', 'vta_mem_arbiter', 'vta_tensor_reader', 'vta_tensor_load', 'vta_tensor_writer', 'vta_gemm_row', 'vta_alu_row', 'vta_tensor_pipe', 'vta_acc_footprint', 'vta_fetch', 'vta_insn_seq', 'vta_load', 'vta_retire_queue', 'vta_compute_dual', 'vta_compute', 'vta_store', 'vta_trace_unit', 'vta_core']) {
      expect(modules.has(m), m).toBe(true);
    }
    const picked = selectMutants(set.all, 150, 1);
    expect(picked).toHaveLength(150);
    expect(new Set(picked.map((m) => m.module)).size).toBe(modules.size);
    expect(selectMutants(set.all, 150, 1).map((m) => m.key)).toEqual(picked.map((m) => m.key));
  });
});

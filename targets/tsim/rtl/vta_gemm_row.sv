// One GEMM micro-op on one ACC element (vta-isa.md §5.4): for every batch row b and output
// channel o, acc[b][o] + sum_k inp[b][k] * wgt[o][k] with signed operands, wrapping at the ACC
// width; zero when the instruction resets.
//
// en_i: compute only in cycles whose result is used (a GEMM iteration in the write-back stage);
// otherwise the output is 0. The hardware would not care, but Verilator evaluates this block every
// clock, and its BLOCK_IN x BLOCK_OUT multiplies are a large part of a simulated cycle.
module vta_gemm_row
  import vta_pkg::*;
(
  input  logic                     en_i,
  input  logic                     reset_i,
  input  logic [INP_ELEM_BITS-1:0] inp_i,
  input  logic [WGT_ELEM_BITS-1:0] wgt_i,
  input  logic [ACC_ELEM_BITS-1:0] acc_i,
  output logic [ACC_ELEM_BITS-1:0] acc_o
);
  // Operands are sign-extended to the ACC width as (v ^ sign bit) - sign bit and multiplied
  // modulo 2^ACC_WIDTH: the same low ACC_WIDTH bits as the signed product, but Verilator turns it
  // into a few plain integer operations per multiply instead of its generic sign-extension helpers
  // (BLOCK_IN x BLOCK_OUT multiplies per cycle dominate the simulation of a GEMM).
  localparam logic [ACC_WIDTH-1:0] InpSign = ACC_WIDTH'(1) << (INP_WIDTH - 1);
  localparam logic [ACC_WIDTH-1:0] WgtSign = ACC_WIDTH'(1) << (WGT_WIDTH - 1);

  always_comb begin
    logic [ACC_WIDTH-1:0] sum, w;
    logic [ACC_WIDTH-1:0] x [BLOCK_IN];
    sum   = '0;
    w     = '0;
    x     = '{default: '0};
    acc_o = '0;
    if (en_i) begin
      for (int unsigned b = 0; b < BATCH; b++) begin
        for (int unsigned k = 0; k < BLOCK_IN; k++) begin
          x[k] = (ACC_WIDTH'(inp_i[(b*BLOCK_IN + k)*INP_WIDTH +: INP_WIDTH]) ^ InpSign) - InpSign;
        end
        for (int unsigned o = 0; o < BLOCK_OUT; o++) begin
          sum = acc_i[(b*BLOCK_OUT + o)*ACC_WIDTH +: ACC_WIDTH];
          for (int unsigned k = 0; k < BLOCK_IN; k++) begin
            w   = (ACC_WIDTH'(wgt_i[(o*BLOCK_IN + k)*WGT_WIDTH +: WGT_WIDTH]) ^ WgtSign) - WgtSign;
            sum = sum + x[k] * w;
          end
          acc_o[(b*BLOCK_OUT + o)*ACC_WIDTH +: ACC_WIDTH] = reset_i ? '0 : sum;
        end
      end
    end
  end
endmodule

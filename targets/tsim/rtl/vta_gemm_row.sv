// One GEMM micro-op on one ACC element (vta-isa.md §5.4): for every batch row b and output
// channel o, acc[b][o] + sum_k inp[b][k] * wgt[o][k] with signed operands, wrapping at the ACC
// width; zero when the instruction resets.
module vta_gemm_row
  import vta_pkg::*;
(
  input  logic                     reset_i,
  input  logic [INP_ELEM_BITS-1:0] inp_i,
  input  logic [WGT_ELEM_BITS-1:0] wgt_i,
  input  logic [ACC_ELEM_BITS-1:0] acc_i,
  output logic [ACC_ELEM_BITS-1:0] acc_o
);
  always_comb begin
    for (int unsigned b = 0; b < BATCH; b++) begin
      for (int unsigned o = 0; o < BLOCK_OUT; o++) begin
        logic signed [ACC_WIDTH-1:0] sum;
        sum = $signed(acc_i[(b*BLOCK_OUT + o)*ACC_WIDTH +: ACC_WIDTH]);
        for (int unsigned k = 0; k < BLOCK_IN; k++) begin
          sum = sum + ACC_WIDTH'($signed(inp_i[(b*BLOCK_IN + k)*INP_WIDTH +: INP_WIDTH]) *
                                 $signed(wgt_i[(o*BLOCK_IN + k)*WGT_WIDTH +: WGT_WIDTH]));
        end
        acc_o[(b*BLOCK_OUT + o)*ACC_WIDTH +: ACC_WIDTH] = reset_i ? '0 : sum;
      end
    end
  end
endmodule

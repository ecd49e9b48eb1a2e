// A synchronous first-in first-out queue with a combinational head (show-ahead).
module vta_fifo #(
  parameter int unsigned Depth = 16,  // power of two
  parameter int unsigned Width = 8,
  localparam int unsigned PtrW = $clog2(Depth)
) (
  input  logic             clk_i,
  input  logic             rst_i,
  input  logic             push_i,
  input  logic [Width-1:0] data_i,
  input  logic             pop_i,
  output logic [Width-1:0] head_o,
  output logic             empty_o,
  output logic             full_o,
  output logic [PtrW:0]    level_o
);
  logic [Width-1:0] mem_q [Depth];
  logic [PtrW:0]    wptr_q, rptr_q;

  assign level_o = wptr_q - rptr_q;
  assign empty_o = (wptr_q == rptr_q);
  assign full_o  = (level_o == (PtrW+1)'(Depth));
  assign head_o  = mem_q[rptr_q[PtrW-1:0]];

  always_ff @(posedge clk_i) begin
    if (push_i && !full_o) mem_q[wptr_q[PtrW-1:0]] <= data_i;
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      wptr_q <= '0;
      rptr_q <= '0;
    end else begin
      if (push_i && !full_o) wptr_q <= wptr_q + 1'b1;
      if (pop_i && !empty_o) rptr_q <= rptr_q + 1'b1;
    end
  end
endmodule

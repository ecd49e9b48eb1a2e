// One dependency token queue between two modules (vta-isa.md §4.2). Tokens carry no data, so
// the queue is a counter; 16 bits so that no realistic program loses tokens (upstream Chisel
// saturates at 255). A push and a pop in the same cycle cancel.
module vta_token_queue (
  input  logic clk_i,
  input  logic rst_i,
  input  logic push_i,
  input  logic pop_i,     // only when avail_o
  output logic avail_o,
  output logic [15:0] count_o
);
  logic [15:0] count_q;

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      count_q <= 16'd0;
    end else if (push_i && !pop_i) begin
      count_q <= count_q + 16'd1;
    end else if (pop_i && !push_i) begin
      count_q <= count_q - 16'd1;
    end
  end

  assign avail_o = (count_q != 16'd0);
  assign count_o = count_q;
endmodule

// Wrapper of the upstream VTAHostDPI function (vta-isa.md §7.3): one host register request per
// cycle. The request the function returns is registered, so the core sees it during the next
// cycle; `req_deq_i` in that cycle tells the harness (at the next call) that it was consumed.
module vta_host_dpi (
  input  logic        clk_i,
  input  logic        rst_i,
  output logic        req_valid_o,
  output logic        req_write_o,
  output logic [7:0]  req_addr_o,
  output logic [31:0] req_value_o,
  input  logic        req_deq_i,
  input  logic        resp_valid_i,
  input  logic [31:0] resp_value_i
);
  import "DPI-C" function void VTAHostDPI(
    output byte unsigned req_valid,
    output byte unsigned req_opcode,
    output byte unsigned req_addr,
    output int unsigned  req_value,
    input  byte unsigned req_deq,
    input  byte unsigned resp_valid,
    input  int unsigned  resp_value
  );

  always_ff @(posedge clk_i) begin : dpi_call
    byte unsigned valid_b;
    byte unsigned opcode_b;
    byte unsigned addr_b;
    int unsigned  value_b;
    if (rst_i) begin
      req_valid_o <= 1'b0;
      req_write_o <= 1'b0;
      req_addr_o  <= 8'd0;
      req_value_o <= 32'd0;
    end else begin
      VTAHostDPI(valid_b, opcode_b, addr_b, value_b, {7'd0, req_deq_i}, {7'd0, resp_valid_i},
                 resp_value_i);
      req_valid_o <= (valid_b != 8'd0);
      req_write_o <= (opcode_b != 8'd0);
      req_addr_o  <= addr_b;
      req_value_o <= value_b;
    end
  end
endmodule

// Wrapper of the upstream VTASimDPI function (vta-isa.md §7.3): asks the harness once per
// sim_clock edge whether to freeze the design (sim_wait) or to end the simulation ($finish).
// The DPI output is registered, as upstream does, because Verilator has no delays.
module vta_sim_dpi (
  input  logic clk_i,
  input  logic rst_i,
  output logic sim_wait_o
);
  import "DPI-C" function void VTASimDPI(
    output byte unsigned sim_wait,
    output byte unsigned sim_exit
  );

  logic wait_q;

  always_ff @(posedge clk_i) begin : dpi_call
    byte unsigned wait_b;
    byte unsigned exit_b;
    if (rst_i) begin
      wait_q <= 1'b0;
    end else begin
      VTASimDPI(wait_b, exit_b);
      wait_q <= (wait_b != 8'd0);
      if (exit_b != 8'd0) $finish;
    end
  end

  assign sim_wait_o = wait_q;
endmodule

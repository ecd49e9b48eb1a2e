// Host-visible registers (the upstream VCR map, vta-isa.md §6.3) plus this core's event
// counters. Every counter restarts at launch, counts while the core runs (launch seen, FINISH not
// yet retired) and then holds, so the host reads final values after the done bit.
//
//   0x00 CTRL   bit0 launch (level), bit1 done; FINISH overwrites it with 0b10
//   0x04 cycles from launch to FINISH          0x08 instruction count
//   0x0C instruction address                    0x10..0x20 uop/inp/wgt/acc/out base (OR-ed)
//   0x24 GEMM/ALU ACC row writes (one per cycle and compute pipe: with two pipes, up to 2 a cycle)
//   0x28 busy_load   0x2C busy_compute   0x30 busy_store (cycles executing, after token pops)
//   0x34 GEMM micro-op iterations (reset ones excluded)   0x38 ALU micro-op iterations
//        (both pipes' iterations: they add 0..2 a cycle)
//   0x3C read beats taken   0x40 write beats sent
// With TRACE_UNIT only (otherwise the map ends at 0x40, as without the unit):
//   0x44 trace ring base (16-byte aligned)   0x48 trace ring slots (16 bytes each)
//   0x4C trace records written   0x50 trace records dropped (a module's record queue was full)
module vta_vcr
  import vta_pkg::*;
(
  input  logic        clk_i,
  input  logic        rst_i,
  // host port
  input  logic        req_valid_i,
  input  logic        req_write_i,
  input  logic [7:0]  req_addr_i,
  input  logic [31:0] req_value_i,
  output logic        req_deq_o,
  output logic        resp_valid_o,
  output logic [31:0] resp_value_o,
  // to the core
  output logic        launch_o,      // one-cycle pulse on the 0->1 edge of CTRL bit 0
  output logic [31:0] insn_count_o,
  output logic [31:0] insn_addr_o,
  output logic [31:0] base_uop_o,
  output logic [31:0] base_inp_o,
  output logic [31:0] base_wgt_o,
  output logic [31:0] base_acc_o,
  output logic [31:0] base_out_o,
  // from the core
  input  logic        finish_i,
  input  logic [1:0]  ev_acc_wr_i,     // per compute pipe
  input  logic        ev_busy_ld_i,
  input  logic        ev_busy_cp_i,
  input  logic        ev_busy_st_i,
  input  logic [1:0]  ev_gemm_iter_i,
  input  logic [1:0]  ev_alu_iter_i,
  input  logic        ev_rd_beat_i,
  input  logic        ev_wr_beat_i,
  // trace unit (unused without TRACE_UNIT)
  output logic [31:0] trace_base_o,
  output logic [31:0] trace_slots_o,
  input  logic [31:0] trace_written_i,
  input  logic [31:0] trace_dropped_i
);
  localparam int unsigned NumRegs = TRACE_UNIT ? 21 : 17;  // 0x00 .. 0x50 or 0x40

  logic [31:0] regs_q [NumRegs];
  logic [31:0] regs_d [NumRegs];
  logic        launch_prev_q;
  logic        running_q, running_d;
  logic        resp_valid_q;
  logic [31:0] resp_value_q;
  logic [4:0]  req_idx;
  logic        req_in_map;

  assign req_idx    = req_addr_i[6:2];
  assign req_in_map = (req_addr_i[1:0] == 2'b00) && (32'(req_addr_i[7:2]) < NumRegs);
  assign req_deq_o  = req_valid_i;  // every request is served in the cycle it is seen
  assign launch_o   = regs_q[0][0] && !launch_prev_q;

  always_comb begin
    regs_d    = regs_q;
    running_d = running_q;
    if (launch_o) begin
      running_d = 1'b1;
      for (int unsigned r = 9; r <= 16; r++) regs_d[r] = 32'd0;  // counters, not the ring registers
      regs_d[1] = 32'd0;
    end else if (running_q) begin
      regs_d[1]  = regs_q[1] + 32'd1;
      regs_d[9]  = regs_q[9] + 32'(ev_acc_wr_i[0]) + 32'(ev_acc_wr_i[1]);
      regs_d[10] = regs_q[10] + 32'(ev_busy_ld_i);
      regs_d[11] = regs_q[11] + 32'(ev_busy_cp_i);
      regs_d[12] = regs_q[12] + 32'(ev_busy_st_i);
      regs_d[13] = regs_q[13] + 32'(ev_gemm_iter_i[0]) + 32'(ev_gemm_iter_i[1]);
      regs_d[14] = regs_q[14] + 32'(ev_alu_iter_i[0]) + 32'(ev_alu_iter_i[1]);
      regs_d[15] = regs_q[15] + 32'(ev_rd_beat_i);
      regs_d[16] = regs_q[16] + 32'(ev_wr_beat_i);
      if (finish_i) begin
        running_d = 1'b0;
        regs_d[0] = 32'd2;
      end
    end
    // The trace unit's counters are its own (they follow the ring until its last record).
    if (TRACE_UNIT) begin
      regs_d[NumRegs-2] = trace_written_i;
      regs_d[NumRegs-1] = trace_dropped_i;
    end
    // A host write wins over the core's update of the same register (the drivers only write
    // while the core is idle).
    if (req_valid_i && req_write_i && req_in_map) regs_d[req_idx] = req_value_i;
  end

  always_ff @(posedge clk_i) begin
    if (rst_i) begin
      for (int unsigned r = 0; r < NumRegs; r++) regs_q[r] <= 32'd0;
      launch_prev_q <= 1'b0;
      running_q     <= 1'b0;
      resp_valid_q  <= 1'b0;
      resp_value_q  <= 32'd0;
    end else begin
      regs_q        <= regs_d;
      launch_prev_q <= regs_q[0][0];
      running_q     <= running_d;
      resp_valid_q  <= req_valid_i && !req_write_i;
      resp_value_q  <= req_in_map ? regs_q[req_idx] : 32'd0;
    end
  end

  assign resp_valid_o = resp_valid_q;
  assign resp_value_o = resp_value_q;
  assign insn_count_o = regs_q[2];
  assign insn_addr_o  = regs_q[3];
  assign base_uop_o   = regs_q[4];
  assign base_inp_o   = regs_q[5];
  assign base_wgt_o   = regs_q[6];
  assign base_acc_o   = regs_q[7];
  assign base_out_o   = regs_q[8];
  if (TRACE_UNIT) begin : gen_trace_regs
    assign trace_base_o  = regs_q[17];
    assign trace_slots_o = regs_q[18];
  end else begin : gen_no_trace_regs
    assign trace_base_o  = '0;
    assign trace_slots_o = '0;
    /* verilator lint_off UNUSEDSIGNAL */  // no trace unit: nothing to report
    logic unused_trace;
    assign unused_trace = ^{trace_written_i, trace_dropped_i};
    /* verilator lint_on UNUSEDSIGNAL */
  end
endmodule

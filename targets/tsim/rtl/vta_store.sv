// The store module (vta-isa.md §4.1): executes STORE in program order. pop_prev_dep takes from
// CMP->ST, push_prev_dep puts on ST->CMP (§2.9). x_size = 0 is a NOP. Like upstream Chisel, the
// memory type and pad fields of a STORE are ignored (fsim rejects them). The instruction retires
// only after its last write beat went out.
module vta_store
  import vta_pkg::*;
(
  input  logic                     clk_i,
  input  logic                     rst_i,
  input  logic                     q_empty_i,
  input  logic [INSN_BITS-1:0]     q_head_i,
  output logic                     q_pop_o,
  input  logic                     cmp2st_avail_i,
  output logic                     cmp2st_pop_o,
  output logic                     st2cmp_push_o,
  input  logic [31:0]              base_out_i,
  output logic                     acc_re_o,
  output logic [LOG_ACC_DEPTH-1:0] acc_raddr_o,
  input  logic                     acc_hold_i,   // the compute module still writes that row
  input  logic [ACC_ELEM_BITS-1:0] acc_rdata_i,
  output logic                     wr_req_valid_o,
  output logic [31:0]              wr_req_addr_o,
  output logic [7:0]               wr_req_len_o,
  output logic                     wr_valid_o,
  output logic [DATA_BITS-1:0]     wr_data_o,
  output logic [BUS_BYTES-1:0]     wr_strb_o,
  output logic                     retire_o,
  output logic [INSN_BITS-1:0]     insn_o,
  output logic [1:0]               state_o,
  output logic                     busy_o
);
  // Probe points (fixtures/probe-maps/vta-trace-rtl.json): state_q, retire_q, retired_q; the
  // sequencer holds them, these copies keep their path u_store.*.
  logic [1:0]           state_q;
  logic [INSN_BITS-1:0] insn_q;     // the instruction waiting to start or executing
  logic                 retire_q;
  logic [INSN_BITS-1:0] retired_q;  // the instruction retire_q announces (insn_q may be the next)
  logic                 take_tokens, start, writer_busy, is_nop, tokens_ok;

  assign is_nop    = (insn_q[MEM_X_SIZE_LSB +: 16] == 16'd0);
  assign tokens_ok = !insn_q[HDR_POP_PREV_DEP_LSB] || cmp2st_avail_i;

  // Only compute's completion probe needs the retire decision a cycle early.
  /* verilator lint_off PINCONNECTEMPTY */
  vta_insn_seq u_seq (
    .clk_i, .rst_i, .q_empty_i, .q_head_i, .q_pop_o,
    .tokens_ok_i(tokens_ok), .is_nop_i(is_nop), .exec_busy_i(writer_busy),
    .take_tokens_o(take_tokens), .start_o(start), .insn_o(insn_q),
    .retiring_o(), .retire_o(retire_q), .retired_o(retired_q), .state_o(state_q), .busy_o
  );
  /* verilator lint_on PINCONNECTEMPTY */

  assign cmp2st_pop_o  = take_tokens && insn_q[HDR_POP_PREV_DEP_LSB];
  assign st2cmp_push_o = retire_q && retired_q[HDR_PUSH_PREV_DEP_LSB];

  vta_tensor_writer u_writer (
    .clk_i, .rst_i, .start_i(start),
    .sram_base_i(insn_q[MEM_SRAM_BASE_LSB +: LOG_ACC_DEPTH]),
    .dram_base_i(insn_q[MEM_DRAM_BASE_LSB +: 32]),
    .y_size_i(insn_q[MEM_Y_SIZE_LSB +: 16]),
    .x_size_i(insn_q[MEM_X_SIZE_LSB +: 16]),
    .x_stride_i(insn_q[MEM_X_STRIDE_LSB +: 16]),
    .base_addr_i(base_out_i),
    .busy_o(writer_busy),
    .acc_re_o, .acc_raddr_o, .acc_hold_i, .acc_rdata_i,
    .wr_req_valid_o, .wr_req_addr_o, .wr_req_len_o, .wr_valid_o, .wr_data_o, .wr_strb_o
  );

  assign retire_o = retire_q;
  assign insn_o   = retired_q;
  assign state_o  = state_q;
endmodule

// Top of our VTA RTL under the upstream tsim shell (vta-isa.md §7): the DPI wrappers for the
// simulation control, host registers and memory, the VCR and the core.
//
// The port names are upstream's `Test` ports (clock, reset active high, sim_clock, sim_wait), not
// lowRISC's `_i`/`_o` style: the harness and upstream's tsim driver expect exactly these names.
module vta_tsim_top
  import vta_pkg::*;
(
  input  logic clock,
  input  logic reset,
  input  logic sim_clock,
  output logic sim_wait
);
  // ---- simulation control
  vta_sim_dpi u_sim (.clk_i(sim_clock), .rst_i(reset), .sim_wait_o(sim_wait));

  // ---- host registers
  logic        host_req_valid, host_req_write, host_req_deq, host_resp_valid;
  logic [7:0]  host_req_addr;
  logic [31:0] host_req_value, host_resp_value;

  vta_host_dpi u_host (
    .clk_i(clock), .rst_i(reset),
    .req_valid_o(host_req_valid), .req_write_o(host_req_write), .req_addr_o(host_req_addr),
    .req_value_o(host_req_value), .req_deq_i(host_req_deq),
    .resp_valid_i(host_resp_valid), .resp_value_i(host_resp_value)
  );

  logic        launch, finish;
  logic [31:0] insn_count, insn_addr, base_uop, base_inp, base_wgt, base_acc, base_out;
  logic        ev_busy_ld, ev_busy_cp, ev_busy_st;
  logic [1:0]  ev_acc_wr, ev_gemm_iter, ev_alu_iter;  // per compute pipe
  logic [31:0] trace_base, trace_slots, trace_written, trace_dropped;

  // ---- memory
  logic                 rd_req_valid, rd_valid, rd_ready, wr_req_valid, wr_valid;
  logic [7:0]           rd_req_len, rd_req_id, rd_id, wr_req_len;
  logic [63:0]          rd_req_addr, wr_req_addr;
  logic [DATA_BITS-1:0] rd_data, wr_data;
  logic [BUS_BYTES-1:0] wr_strb;

  vta_vcr u_vcr (
    .clk_i(clock), .rst_i(reset),
    .req_valid_i(host_req_valid), .req_write_i(host_req_write), .req_addr_i(host_req_addr),
    .req_value_i(host_req_value), .req_deq_o(host_req_deq),
    .resp_valid_o(host_resp_valid), .resp_value_o(host_resp_value),
    .launch_o(launch), .insn_count_o(insn_count), .insn_addr_o(insn_addr),
    .base_uop_o(base_uop), .base_inp_o(base_inp), .base_wgt_o(base_wgt), .base_acc_o(base_acc),
    .base_out_o(base_out),
    .finish_i(finish), .ev_acc_wr_i(ev_acc_wr), .ev_busy_ld_i(ev_busy_ld), .ev_busy_cp_i(ev_busy_cp),
    .ev_busy_st_i(ev_busy_st), .ev_gemm_iter_i(ev_gemm_iter), .ev_alu_iter_i(ev_alu_iter),
    .ev_rd_beat_i(rd_valid && rd_ready), .ev_wr_beat_i(wr_valid),
    .trace_base_o(trace_base), .trace_slots_o(trace_slots), .trace_written_i(trace_written),
    .trace_dropped_i(trace_dropped)
  );

  vta_mem_dpi #(.DataBits(DATA_BITS)) u_mem (
    .clk_i(clock), .rst_i(reset),
    .rd_req_valid_i(rd_req_valid), .rd_req_len_i(rd_req_len), .rd_req_id_i(rd_req_id),
    .rd_req_addr_i(rd_req_addr),
    .wr_req_valid_i(wr_req_valid), .wr_req_len_i(wr_req_len), .wr_req_addr_i(wr_req_addr),
    .wr_valid_i(wr_valid), .wr_data_i(wr_data), .wr_strb_i(wr_strb),
    .rd_valid_o(rd_valid), .rd_id_o(rd_id), .rd_data_o(rd_data), .rd_ready_i(rd_ready)
  );

  vta_core u_core (
    .clk_i(clock), .rst_i(reset),
    .launch_i(launch), .insn_count_i(insn_count), .insn_addr_i(insn_addr),
    .base_uop_i(base_uop), .base_inp_i(base_inp), .base_wgt_i(base_wgt), .base_acc_i(base_acc),
    .base_out_i(base_out), .trace_base_i(trace_base), .trace_slots_i(trace_slots),
    .trace_written_o(trace_written), .trace_dropped_o(trace_dropped),
    .finish_o(finish), .ev_acc_wr_o(ev_acc_wr), .ev_busy_ld_o(ev_busy_ld), .ev_busy_cp_o(ev_busy_cp),
    .ev_busy_st_o(ev_busy_st), .ev_gemm_iter_o(ev_gemm_iter), .ev_alu_iter_o(ev_alu_iter),
    .rd_req_valid_o(rd_req_valid), .rd_req_len_o(rd_req_len), .rd_req_id_o(rd_req_id),
    .rd_req_addr_o(rd_req_addr), .rd_valid_i(rd_valid), .rd_id_i(rd_id), .rd_data_i(rd_data),
    .rd_ready_o(rd_ready),
    .wr_req_valid_o(wr_req_valid), .wr_req_len_o(wr_req_len), .wr_req_addr_o(wr_req_addr),
    .wr_valid_o(wr_valid), .wr_data_o(wr_data), .wr_strb_o(wr_strb)
  );
endmodule
